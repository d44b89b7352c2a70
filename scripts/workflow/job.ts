// A job's start: the contexts and environment its steps begin with, and its job-level values
// (name, runs-on, timeout, concurrency, env) evaluated; JobState then carries what steps change.
import { spawnSync } from 'node:child_process'
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
  node: string
  nodeMajor: number
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
  /** The job's environment, which GITHUB_ENV adds to. */
  env: Record<string, string>
  /** What GITHUB_PATH and a skipped setup-node put before PATH, the latest first. */
  pathPrefix: string[]
  results: StepResult[]
}

/** Evaluates the job-level values, then creates the job's temp dir: the first step can run. */
export async function startJob(
  plan: JobPlan,
  options: JobOptions
): Promise<{ name: string; state: JobState }> {
  const { job, workflow } = plan
  const node = options.node ?? process.execPath
  const nodeMajor = checkNode(plan, node)
  const workspace = path.resolve(options.workspace)
  const trackingId = `run-workflow-${randomUUID()}`
  const temp = path.join(os.tmpdir(), trackingId) // created once the job-level values evaluate
  const github = { workflow, ref: 'refs/heads/main', workspace, job }
  const steps: Record<string, Json> = {}
  const runner = { os: 'Linux', arch: 'X64', temp }
  const contexts = { github, runner, matrix: plan.matrix, secrets: {}, steps }
  const scope: EvalScope = { contexts, status: { failed: false, cancelled: false } }
  const value = (template: Template | null, where: string, fallback = ''): string =>
    jobValue(template, scope, `job ${job}: ${where}`, fallback)
  const name = value(plan.name, 'name', job)
  const deadline = checkJob(plan, value, options)
  const env = runnerEnvironment(github, temp, trackingId)
  for (const [key, template] of plan.env) env[key] = value(template, `env.${key}`)
  await mkdir(temp)
  const groups = new Set<number>()
  const state = { options, workspace, node, nodeMajor, trackingId, temp, deadline, groups, scope }
  return { name, state: { ...state, steps, env, pathPrefix: [], results: [] } }
}

/** The node's major version, which every local action's `runs.using` must name. */
function checkNode(plan: JobPlan, node: string): number {
  const version =
    node === process.execPath
      ? process.versions.node
      : spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout
  const major = Number(version.split('.')[0])
  for (const { local, uses } of plan.steps) {
    if (local && local.nodeMajor !== major) {
      throw new WorkflowError(
        `${uses} runs on node${local.nodeMajor}, but ${node} is Node ${major}`
      )
    }
  }
  return major
}

/** Checks runs-on and the concurrency groups; returns when the job's time is up. */
function checkJob(
  plan: JobPlan,
  value: (template: Template | null, where: string, fallback?: string) => string,
  options: JobOptions
): number {
  const runsOn = value(plan.runsOn, 'runs-on')
  if (!/ubuntu|linux/i.test(runsOn)) {
    throw new WorkflowError(
      `job ${plan.job}: runs-on is '${runsOn}'; this runner emulates Linux only`
    )
  }
  // Only to reject a group that does not evaluate: the one local job needs no queue.
  for (const group of plan.concurrency) value(group, 'concurrency')
  const minutes = Number(value(plan.timeoutMinutes, 'timeout-minutes', '360'))
  return performance.now() + (options.timeoutMs ?? minutes * 60_000)
}

/** Renders a job-level value; it cannot fail a step, so a failure is the workflow's error. */
function jobValue(
  template: Template | null,
  scope: EvalScope,
  where: string,
  fallback: string
): string {
  try {
    return template ? render(template, scope) : fallback
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
