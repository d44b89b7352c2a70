// One step at a time: its `if:`, its command (a `run:` script through the shell, or a local node
// action with INPUT_* variables), its file commands read back, and its outcome and conclusion
// (`continue-on-error`) recorded where later expressions read them (steps.<id>.…).
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { holds, render, type Template } from './expressions.ts'
import { annotationsOf, createFileCommands, readFileCommands } from './file-commands.ts'
import type { JobState } from './job.ts'
import { exec, type Command, type Exec } from './processes.ts'
import { EvaluationError, WorkflowError, errorMessage, type StepResult } from './types.ts'
import type { LocalAction, RunPlan, StepPlan } from './workflow-file.ts'

/** Runs one step, or records why it did not run, and adds its result to the job. */
export async function runStep(job: JobState, plan: StepPlan): Promise<void> {
  const started = performance.now()
  const result = newResult(plan, stepName(job, plan))
  await attemptStep(job, plan, result)
  result.durationMs = performance.now() - started
  result.annotations = annotationsOf(result.log)
  job.results.push(result)
  if (plan.id !== null) {
    const { outputs, outcome, conclusion } = result
    job.steps[plan.id] = { outputs, outcome, conclusion }
  }
  if (result.conclusion === 'failure') job.scope.status.failed = true
}

/** The step's display name; GitHub keeps the default when `name:` does not evaluate. */
function stepName(job: JobState, plan: StepPlan): string {
  try {
    return plan.name ? render(plan.name, job.scope) : plan.defaultName
  } catch {
    return plan.defaultName
  }
}

/** A step's result before it runs: skipped, until something else is known. */
function newResult(plan: StepPlan, name: string): StepResult {
  return {
    id: plan.id,
    name,
    kind: plan.run ? 'run' : 'uses',
    uses: plan.uses,
    outcome: 'skipped',
    conclusion: 'skipped',
    skipped: null,
    outputs: {},
    log: '',
    annotations: [],
    summary: '',
    durationMs: 0
  }
}

/** Fails a step with an error line in its log. */
function failStep(result: StepResult, message: string): void {
  result.log += `##[error]${message}\n`
  result.outcome = 'failure'
  result.conclusion = 'failure'
}

/** Runs the step if its `if:` holds and it is to run here; each early return leaves `result` set. */
async function attemptStep(job: JobState, plan: StepPlan, result: StepResult): Promise<void> {
  if (performance.now() > job.deadline) job.scope.status.cancelled = true
  if (!conditionHolds(job, plan, result)) return
  if (skippedLocally(job, plan, result.name)) {
    result.skipped = 'not-run-locally'
    return
  }
  const command = await prepareCommand(job, plan, result)
  if (command) await runCommand(job, plan, command, result)
}

/** Evaluates the step's `if:`; a false condition or one that fails to evaluate is recorded. */
function conditionHolds(job: JobState, plan: StepPlan, result: StepResult): boolean {
  let holding: boolean
  try {
    holding = holds(plan.condition, job.scope)
  } catch (error) {
    failStep(result, `if: ${errorMessage(error)}`)
    return false
  }
  if (!holding) result.skipped = 'if'
  return holding
}

/** Whether options leave the step out; a skipped setup-node still puts its node on PATH. */
function skippedLocally(job: JobState, plan: StepPlan, name: string): boolean {
  const { skipRun } = job.options
  if (!((plan.uses && !plan.local) || (plan.run && skipRun?.test(plan.run.raw.trim())))) {
    return false
  }
  // Not run here: the workspace is already a checkout with node_modules.
  if (plan.uses?.startsWith('actions/setup-node@')) setUpNode(job, plan, name)
  return true
}

/** What a skipped actions/setup-node would do: check the version, put the node on PATH. */
function setUpNode(job: JobState, plan: StepPlan, name: string): void {
  const { node, nodeMajor } = job
  const version = plan.with.find(([key]) => key === 'node-version')
  const wanted = version ? Number.parseInt(render(version[1], job.scope), 10) : nodeMajor
  if (wanted !== nodeMajor) {
    throw new WorkflowError(
      `${name}: the workflow sets up Node ${wanted}, but ${node} is Node ${nodeMajor}`
    )
  }
  job.pathPrefix.unshift(path.dirname(node))
}

/** The step's command and environment; null (the step failed) when an expression fails. */
async function prepareCommand(
  job: JobState,
  plan: StepPlan,
  result: StepResult
): Promise<Command | null> {
  const env: Record<string, string> = { ...job.env }
  try {
    for (const [key, template] of plan.env) env[key] = render(template, job.scope)
    if (plan.run) return { ...(await scriptCommand(job, plan.run)), env }
    const local = plan.local!
    setInputs(job, local, plan.with, env, result)
    const args = [path.resolve(local.dir, local.main)]
    return { command: job.node, args, cwd: job.workspace, env }
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error
    failStep(result, `The template is not valid: ${error.message}`)
    return null
  }
}

/** Writes a `run:` script to a file and returns the shell command line that runs it. */
async function scriptCommand(job: JobState, run: RunPlan): Promise<Omit<Command, 'env'>> {
  const script = path.join(job.temp, `${randomUUID()}.sh`)
  await writeFile(script, render(run.script, job.scope))
  const [command, ...args] = run.shell.map((arg) => (arg === '{0}' ? script : arg)) as [
    string,
    ...string[]
  ]
  const directory = run.workingDirectory && render(run.workingDirectory, job.scope)
  return { command, args, cwd: path.resolve(job.workspace, directory ?? '') }
}

/** Sets INPUT_* for a local action: the `with:` values, then the defaults of the rest. */
function setInputs(
  job: JobState,
  local: LocalAction,
  given: [string, Template][],
  env: Record<string, string>,
  result: StepResult
): void {
  const variable = (input: string): string => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`
  const values = new Map(given.map(([key, value]) => [key.toLowerCase(), render(value, job.scope)]))
  for (const [input, value] of values) env[variable(input)] = value
  for (const [input, fallback] of local.inputs) {
    if (!values.has(input) && fallback !== null) env[variable(input)] = render(fallback, job.scope)
  }
  const unexpected = [...values.keys()].filter((key) => !local.inputs.has(key))
  if (unexpected.length > 0) {
    // GitHub only warns, and the action then sees the input's default: a likely typo.
    const valid = [...local.inputs.keys()].map((key) => `'${key}'`).join(', ')
    result.log += `##[warning]Unexpected input(s) '${unexpected.join("', '")}', valid inputs are [${valid}]\n`
  }
}

/** Runs the step's process with fresh file commands and records what it did. */
async function runCommand(
  job: JobState,
  plan: StepPlan,
  command: Command,
  result: StepResult
): Promise<void> {
  const { cwd, env } = command
  const files = await createFileCommands(job.temp, plan.index, env)
  env.PATH = [...job.pathPrefix, env.PATH ?? ''].join(path.delimiter)
  const { timeoutMs, stepLimited } = stepTimeout(job, plan)
  if (!existsSync(cwd)) return failStep(result, `working-directory ${cwd} does not exist`)
  const ran = await exec(command, timeoutMs, job.groups)
  result.log += ran.log
  result.summary = await readFile(files.GITHUB_STEP_SUMMARY!, 'utf8')
  result.outcome = ran.code === 0 ? 'success' : 'failure'
  await applyFileCommands(job, files, result)
  reportExit(job, ran, stepLimited, result)
  result.conclusion = result.outcome
  if (result.outcome === 'failure' && plan.continueOnError) {
    continueOnError(job, plan.continueOnError, result)
  }
}

/** Takes in what the step wrote to GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH; a malformed file fails it. */
async function applyFileCommands(
  job: JobState,
  files: Record<string, string>,
  result: StepResult
): Promise<void> {
  try {
    const written = await readFileCommands(files)
    result.outputs = written.outputs
    Object.assign(job.env, written.env)
    job.pathPrefix.unshift(...written.path.reverse())
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error
    result.log += `##[error]${error.message}\n`
    result.outcome = 'failure'
  }
}

/** How long the step may run: what is left of the job, or its own timeout-minutes if shorter. */
function stepTimeout(job: JobState, plan: StepPlan): { timeoutMs: number; stepLimited: boolean } {
  let timeoutMs = Math.max(job.deadline - performance.now(), 0)
  const minutes = plan.timeoutMinutes ? Number(render(plan.timeoutMinutes, job.scope)) : NaN
  const stepLimited = Number.isFinite(minutes) && minutes * 60_000 < timeoutMs
  if (stepLimited) timeoutMs = minutes * 60_000
  if (job.scope.status.cancelled) timeoutMs = 10_000 // a grace period for always() steps after a timeout
  return { timeoutMs, stepLimited }
}

/** Logs why the process ended, as the runner does; a job timeout cancels the job. */
function reportExit(job: JobState, ran: Exec, stepLimited: boolean, result: StepResult): void {
  if (ran.error !== null) result.log += `##[error]${ran.error}\n`
  else if (ran.timedOut) {
    result.log += `##[error]The ${stepLimited ? 'step' : 'job'} has exceeded its maximum execution time.\n`
    if (!stepLimited) job.scope.status.cancelled = true
  } else if (ran.code !== 0) {
    result.log += `##[error]Process completed with exit code ${ran.code ?? ran.signal}.\n`
  }
}

/** Applies `continue-on-error` to a failed step; anything but true or false is the workflow's error. */
function continueOnError(job: JobState, template: Template, result: StepResult): void {
  const value = render(template, job.scope).trim()
  if (value !== 'true' && value !== 'false') {
    throw new WorkflowError(`${result.name}: continue-on-error is '${value}', not true or false`)
  }
  if (value === 'true') result.conclusion = 'success'
}
