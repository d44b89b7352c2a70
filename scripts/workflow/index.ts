// A deliberately small local runner for the subset of GitHub Actions syntax that the self-test
// workflow uses. It runs one job of a workflow file on this machine, step by step, the way a
// Linux runner would: `run:` steps through bash with GitHub's flags, `uses: ./` through the
// action's node entry point with INPUT_* variables, `${{ }}` expressions evaluated by GitHub's
// own engine, step outputs read back from GITHUB_OUTPUT, `if:`, `continue-on-error` and status
// functions honoured, and every process the job started killed at the end (GitHub's runner does
// that with RUNNER_TRACKING_ID; so does this one).
//
// A workflow GitHub would reject, or one that uses anything outside the subset (a key, shell,
// context value or function this runner lacks), throws a WorkflowError before any step runs: a
// workflow this runner cannot read is never "passed".
import { rm } from 'node:fs/promises'
import { startJob } from './job.ts'
import { cleanUp } from './processes.ts'
import { runStep } from './steps.ts'
import type { JobOptions, JobResult, Leftover } from './types.ts'
import { readJob } from './workflow-file.ts'

export { findTrackedProcesses } from './processes.ts'
export { WorkflowError } from './types.ts'
export type { JobOptions, JobResult, Leftover, Outcome, StepResult } from './types.ts'

/** Runs one job of a workflow file locally (see the top of this file for what is supported). */
export async function runWorkflowJob(
  file: string,
  job: string,
  options: JobOptions
): Promise<JobResult> {
  // Read and check everything before running anything.
  const plan = await readJob(file, job, options)
  const { name, state } = await startJob(plan, options)
  let cleanedUp: Leftover[]
  try {
    for (const step of plan.steps) await runStep(state, step)
  } finally {
    cleanedUp = await cleanUp(state.trackingId, state.groups)
    await rm(state.temp, { recursive: true, force: true })
  }
  const { failed, cancelled } = state.scope.status
  const { trackingId, results: steps } = state
  return { name, steps, success: !failed && !cancelled, trackingId, cleanedUp }
}
