// A job's start: the contexts and environment its steps begin with, and its name and runs-on
// evaluated; JobState then carries what the steps change.
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { render, type EvalScope, type Json, type Template } from './expressions.ts'
import { WorkflowError, errorMessage, type JobOptions, type StepResult } from './types.ts'
import type { JobPlan } from './workflow-file.ts'

/** A running job: what it runs with, and what its steps have changed so far. */
export interface JobState {
  options: JobOptions
  /** options.workspace, resolved. */
  workspace: string
  /** The RUNNER_TRACKING_ID every process of the job inherits. */
  trackingId: string
  temp: string
  /** performance.now() when the job's time is up. */
  deadline: number
  /** The process groups of the job's steps. */
  groups: Set<number>
  /** The contexts, and the status the status functions read. */
  scope: EvalScope
  /** contexts.steps, which each step with an id adds to. */
  steps: Record<string, Json>
  /** The environment of every step, whose PATH a skipped setup-node adds to. */
  env: Record<string, string>
  results: StepResult[]
}

/** Evaluates the job's name and runs-on, then creates its temp dir: the first step can run. */
export async function startJob(
  plan: JobPlan,
  options: JobOptions
): Promise<{ name: string; state: JobState }> {
  const { job, workflow } = plan
  const workspace = path.resolve(options.workspace)
  const trackingId = `run-workflow-${randomUUID()}`
  const temp = path.join(os.tmpdir(), trackingId) // created once the job's values evaluate
  const github = { workflow, ref: 'refs/heads/main', workspace, job }
  const steps: Record<string, Json> = {}
  const runner = { os: 'Linux', arch: 'X64', temp }
  const contexts = { github, runner, matrix: plan.matrix, secrets: {}, steps }
  const scope: EvalScope = { contexts, status: { failed: false, cancelled: false } }
  const name = plan.name ? jobValue(plan.name, scope, `job ${job}: name`) : job
  const runsOn = jobValue(plan.runsOn, scope, `job ${job}: runs-on`)
  if (!/ubuntu|linux/i.test(runsOn)) {
    throw new WorkflowError(`job ${job}: runs-on is '${runsOn}'; this runner emulates Linux only`)
  }
  const deadline = performance.now() + (options.timeoutMs ?? plan.timeoutMinutes * 60_000)
  const env = runnerEnvironment(github, temp, trackingId)
  await mkdir(temp)
  const state = { options, workspace, trackingId, temp, deadline, groups: new Set<number>() }
  return { name, state: { ...state, scope, steps, env, results: [] } }
}

/** Renders a job-level value; it cannot fail a step, so a failure is the workflow's error. */
function jobValue(template: Template, scope: EvalScope, where: string): string {
  try {
    return render(template, scope)
  } catch (error) {
    throw new WorkflowError(`${where}: ${errorMessage(error)}`)
  }
}

/** What a hosted Linux runner sets, on a clean base: no node_modules/.bin on PATH, no test variables. */
function runnerEnvironment(
  github: { workflow: string; ref: string; workspace: string; job: string },
  temp: string,
  trackingId: string
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ['HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  env.PATH = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !/node_modules[\\/]\.bin$/.test(dir))
    .join(path.delimiter)
  return {
    ...env,
    ...{ CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: github.workspace },
    ...{ GITHUB_WORKFLOW: github.workflow, GITHUB_REF: github.ref, GITHUB_JOB: github.job },
    ...{ RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64', RUNNER_TEMP: temp, RUNNER_TRACKING_ID: trackingId }
  }
}
