// What a job run returns, the options it takes, and the two errors: one refuses the workflow
// before anything runs, the other fails only the step whose expression could not be evaluated.

export type Outcome = 'success' | 'failure' | 'skipped'

/** What one step did. */
export interface StepResult {
  /** The step's `id:`, or null when it has none. */
  id: string | null
  /** The display name GitHub shows: `name:`, or `Run <first line>` / `Run <action>`. */
  name: string
  uses: string | null
  /** The result before `continue-on-error` (what `steps.<id>.outcome` gives). */
  outcome: Outcome
  /** The result after `continue-on-error` (what `steps.<id>.conclusion` gives). */
  conclusion: Outcome
  /** Why a skipped step did not run: its `if:` was false, or skipUses/skipRun matched it. */
  skipped: 'if' | 'not-run-locally' | null
  outputs: Record<string, string>
  /** stdout and stderr together, plus the runner's own `##[error]`/`##[warning]` lines. */
  log: string
  /** `error: …`, `warning: …` and `notice: …` workflow commands the step printed, in order. */
  annotations: string[]
}

/** A process the job left running. */
export interface Leftover {
  pid: number
  command: string
}

/** What the job did. */
export interface JobResult {
  /** The job's display name, expressions substituted, e.g. `Self-test (ubuntu-latest)`. */
  name: string
  steps: StepResult[]
  /** True when no step concluded with failure (and the job did not time out). */
  success: boolean
  /** The RUNNER_TRACKING_ID every process of the job inherited (see findTrackedProcesses). */
  trackingId: string
  /** Processes still running at the end of the job, which the runner then ended. */
  cleanedUp: Leftover[]
}

export interface JobOptions {
  /** The checkout: cwd of every step and GITHUB_WORKSPACE. `uses: ./` is resolved in it. */
  workspace: string
  /** One combination of the job's matrix, e.g. `{ os: 'ubuntu-latest' }`. */
  matrix?: Record<string, string>
  /** Remote actions (`owner/repo@ref`) to record as skipped instead of refusing the workflow. */
  skipUses?: RegExp
  /** `run:` scripts (compared trimmed) to record as skipped, e.g. `npm ci` in a ready checkout. */
  skipRun?: RegExp
  /** Overrides the job's `timeout-minutes`. */
  timeoutMs?: number
}

/** The workflow uses something this runner does not support, or is wrong in a way GitHub rejects. */
export class WorkflowError extends Error {
  override name = 'WorkflowError'
}

/** An expression failed while a step ran (e.g. fromJSON of an empty string): the step fails. */
export class EvaluationError extends Error {}

/** The message of anything thrown, with its cause's (GitHub's engine puts the detail there). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message
}
