// One step at a time: its `if:`, its command (a `run:` script through bash, or a local node
// action with INPUT_* variables), its outputs read back, and its outcome and conclusion
// (`continue-on-error`) recorded where later expressions read them (steps.<id>.…).
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { holds, render, type Template } from './expressions.ts'
import { annotationsOf, createFileCommands, readOutputs } from './file-commands.ts'
import type { JobState } from './job.ts'
import { exec, type Command } from './processes.ts'
import { EvaluationError, WorkflowError, errorMessage, type StepResult } from './types.ts'
import type { LocalAction, StepPlan } from './workflow-file.ts'

/** Runs one step, or records why it did not run, and adds its result to the job. */
export async function runStep(job: JobState, plan: StepPlan): Promise<void> {
  const result: StepResult = {
    id: plan.id,
    name: stepName(job, plan),
    uses: plan.uses,
    outcome: 'skipped',
    conclusion: 'skipped',
    skipped: null,
    outputs: {},
    log: '',
    annotations: []
  }
  await attemptStep(job, plan, result)
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

/** Fails a step with an error line in its log. */
function failStep(result: StepResult, message: string): void {
  result.log += `##[error]${message}\n`
  result.outcome = 'failure'
  result.conclusion = 'failure'
}

/** Runs the step if its `if:` holds and it is to run here; each early return leaves `result` set. */
async function attemptStep(job: JobState, plan: StepPlan, result: StepResult): Promise<void> {
  if (performance.now() > job.deadline) job.scope.status.cancelled = true
  try {
    if (!holds(plan.condition, job.scope)) {
      result.skipped = 'if'
      return
    }
  } catch (error) {
    return failStep(result, `if: ${errorMessage(error)}`)
  }
  if (skippedLocally(job, plan, result.name)) {
    result.skipped = 'not-run-locally'
    return
  }
  const command = await prepareCommand(job, plan, result)
  if (command) await runCommand(job, plan, command, result)
}

/** Whether options leave the step out; a skipped setup-node still puts this Node on PATH. */
function skippedLocally(job: JobState, plan: StepPlan, name: string): boolean {
  const { skipRun } = job.options
  if (!((plan.uses && !plan.local) || (plan.run && skipRun?.test(plan.run.raw.trim())))) {
    return false
  }
  // Not run here: the workspace is already a checkout with node_modules.
  if (plan.uses?.startsWith('actions/setup-node@')) {
    const version = plan.with.find(([key]) => key === 'node-version')
    const wanted = version && Number.parseInt(render(version[1], job.scope), 10)
    const major = Number(process.versions.node.split('.')[0])
    if (wanted && wanted !== major) {
      throw new WorkflowError(`${name}: the workflow sets up Node ${wanted}, this is Node ${major}`)
    }
    job.env.PATH = [path.dirname(process.execPath), job.env.PATH].join(path.delimiter)
  }
  return true
}

/** The step's command and environment; null (the step failed) when an expression fails. */
async function prepareCommand(
  job: JobState,
  plan: StepPlan,
  result: StepResult
): Promise<Command | null> {
  const env: Record<string, string> = { ...job.env }
  const cwd = job.workspace
  try {
    for (const [key, template] of plan.env) env[key] = render(template, job.scope)
    if (plan.run) {
      const script = path.join(job.temp, `${randomUUID()}.sh`)
      await writeFile(script, render(plan.run.script, job.scope))
      const [command, ...args] = plan.run.shell.map((arg) => (arg === '{0}' ? script : arg))
      return { command: command!, args, cwd, env }
    }
    const local = plan.local!
    setInputs(job, local, plan.with, env, result)
    return { command: process.execPath, args: [path.resolve(local.dir, local.main)], cwd, env }
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error
    failStep(result, `The template is not valid: ${error.message}`)
    return null
  }
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

/**
 * Runs the step's process with fresh file commands, for what is left of the job's time (after a
 * timeout, 10 s for an always() step), and records what it did; a job timeout cancels the job.
 */
async function runCommand(
  job: JobState,
  plan: StepPlan,
  command: Command,
  result: StepResult
): Promise<void> {
  await createFileCommands(job.temp, plan.index, command.env)
  const left = Math.max(job.deadline - performance.now(), 0)
  const ran = await exec(command, job.scope.status.cancelled ? 10_000 : left, job.groups)
  result.log += ran.log
  result.outcome = ran.code === 0 ? 'success' : 'failure'
  try {
    result.outputs = await readOutputs(command.env.GITHUB_OUTPUT!)
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error
    failStep(result, error.message)
  }
  if (ran.error !== null) result.log += `##[error]${ran.error}\n`
  else if (ran.timedOut) {
    result.log += '##[error]The job has exceeded its maximum execution time.\n'
    job.scope.status.cancelled = true
  } else if (ran.code !== 0) {
    result.log += `##[error]Process completed with exit code ${ran.code ?? ran.signal}.\n`
  }
  const failed = result.outcome === 'failure'
  result.conclusion = failed && plan.continueOnError ? 'success' : result.outcome
}
