// Reads the one job to run into plans before any step runs: what each step runs, its values with
// their expressions parsed and checked, a local action's manifest. GitHub's schema checks the
// file first (github-schema.ts). The values are read with `yaml`: @actions/workflow-parser's job
// model drops with:, shell:, working-directory: and timeout-minutes:, and it builds a multi-line
// value's expression from the YAML source, indentation included (right for an editor, wrong here).
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { condition, template, type Expression, type Template } from './expressions.ts'
import { validateWorkflow } from './github-schema.ts'
import type { Scope, StepRef } from './references.ts'
import { WorkflowError, type JobOptions } from './types.ts'

type Yaml = string | Yaml[] | { [key: string]: Yaml } | null
type YamlMap = Record<string, Yaml>

/** The job's values, read and checked, evaluated when it starts; and its steps. */
export interface JobPlan {
  job: string
  /** github.workflow: the workflow's name, else its path in the workspace. */
  workflow: string
  name: Template | null
  runsOn: Template
  timeoutMinutes: Template | null
  /** The workflow's and the job's concurrency groups (evaluated only to reject one that fails). */
  concurrency: Template[]
  env: [string, Template][]
  matrix: Record<string, string>
  steps: StepPlan[]
}

/** One step, read and checked before the job starts. */
export interface StepPlan extends StepRef {
  index: number
  name: Template | null
  defaultName: string
  condition: Expression
  local: LocalAction | null
  run: RunPlan | null
  with: [string, Template][]
  env: [string, Template][]
  continueOnError: Template | null
  timeoutMinutes: Template | null
}

/** What a `run:` step runs. */
export interface RunPlan {
  /** The script as written, before expressions are substituted. */
  raw: string
  script: Template
  /** The shell's command line; `{0}` stands for the script file. */
  shell: string[]
  workingDirectory: Template | null
}

/** A local action's manifest, as far as this runner uses it. */
export interface LocalAction {
  dir: string
  main: string
  nodeMajor: number
  /** Declared inputs (lower case) and their defaults. */
  inputs: Map<string, Template | null>
  outputs: Set<string>
}

// What this runner implements; GitHub's schema has already refused keys GitHub does not know.
const JOB_KEYS = 'name runs-on strategy timeout-minutes steps env defaults permissions concurrency'
const STEP_KEYS =
  'id name if uses run with env shell working-directory continue-on-error timeout-minutes'

const isMap = (value: Yaml | undefined): value is YamlMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const asMap = (value: Yaml | undefined): YamlMap => (isMap(value) ? value : {})
const text = (value: Yaml | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined

/** Every scalar a string, as GitHub passes `with:` and `env:` values on. */
const readYaml = (source: string): YamlMap => asMap(parseYaml(source, { schema: 'failsafe' }))

/** Refuses keys GitHub knows but this runner does not implement. */
function supported(value: YamlMap, keys: string, where: string): void {
  const other = Object.keys(value).find((key) => !keys.split(' ').includes(key))
  if (other !== undefined) {
    throw new WorkflowError(`${where}: key '${other}' is not supported by this runner`)
  }
}

/** A value as a template, or null when absent; a list (as runs-on may be) is joined with commas. */
function value(raw: Yaml | undefined, scope: Scope): Template | null {
  const joined = Array.isArray(raw) ? raw.map((item) => text(item) ?? '').join(',') : text(raw)
  return joined === undefined ? null : template(joined, scope)
}

/** A mapping of values (env:, with:) as templates. */
function pairs(raw: Yaml | undefined, scope: Scope): [string, Template][] {
  return Object.entries(asMap(raw)).map(([key, item]) => [
    key,
    template(text(item) ?? '', { ...scope, where: `${scope.where}.${key}` })
  ])
}

/** Reads and checks a job of a workflow file; throws a WorkflowError for anything refused. */
export async function readJob(file: string, job: string, options: JobOptions): Promise<JobPlan> {
  const content = await readFile(file, 'utf8')
  await validateWorkflow(file, content)
  const workflow = readYaml(content)
  const spec = asMap(workflow.jobs)[job]
  if (!isMap(spec)) throw new WorkflowError(`${file}: no job '${job}'`)
  const where = `job ${job}`
  supported(spec, JOB_KEYS, where)
  const matrix = resolveMatrix(asMap(spec.strategy).matrix, options.matrix ?? {})
  const scope: Scope = { where, steps: new Map(), matrix: new Set(Object.keys(matrix)) }
  const at = (place: string): Scope => ({ ...scope, where: `${where}: ${place}` })
  const group = (raw: Yaml | undefined): Yaml | undefined => (isMap(raw) ? raw.group : raw)
  const concurrency = [
    value(group(workflow.concurrency), { ...scope, where: 'workflow concurrency' }),
    value(group(spec.concurrency), at('concurrency'))
  ]
  return {
    job,
    workflow: text(workflow.name) ?? path.relative(path.resolve(options.workspace), file),
    name: value(spec.name, at('name')),
    runsOn: value(spec['runs-on'], at('runs-on')) ?? [],
    timeoutMinutes: value(spec['timeout-minutes'], at('timeout-minutes')),
    concurrency: concurrency.filter((group) => group !== null),
    env: [...pairs(workflow.env, { ...scope, where: 'env' }), ...pairs(spec.env, at('env'))],
    matrix,
    steps: await planSteps(workflow, spec, scope, options)
  }
}

/** The given matrix combination, checked against the job's `strategy.matrix`. */
function resolveMatrix(
  matrix: Yaml | undefined,
  given: Record<string, string>
): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, values] of Object.entries(asMap(matrix))) {
    if (!Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
      throw new WorkflowError(`strategy.matrix.${key}: only lists of plain values are supported`)
    }
    const chosen = given[key]
    if (chosen === undefined || !values.includes(chosen)) {
      throw new WorkflowError(`matrix.${key} must be given as one of: ${values.join(', ')}`)
    }
    result[key.toLowerCase()] = chosen
  }
  const extra = Object.keys(given).find((key) => result[key.toLowerCase()] === undefined)
  if (extra !== undefined) throw new WorkflowError(`the job has no matrix key '${extra}'`)
  return result
}

/** Plans every step; each one's expressions may read only the steps before it. */
async function planSteps(
  workflow: YamlMap,
  spec: YamlMap,
  scope: Scope,
  options: JobOptions
): Promise<StepPlan[]> {
  if (!Array.isArray(spec.steps)) throw new WorkflowError(`${scope.where}: no steps`)
  const defaults = { ...asMap(asMap(workflow.defaults).run), ...asMap(asMap(spec.defaults).run) }
  const prior = new Map<string, StepPlan>()
  const plans: StepPlan[] = []
  for (const [index, step] of spec.steps.entries()) {
    const plan = await planStep(asMap(step), index, { ...scope, steps: prior }, defaults, options)
    if (plan.id !== null) prior.set(plan.id.toLowerCase(), plan)
    plans.push(plan)
  }
  return plans
}

/** Reads one step; a local action's manifest is read too. */
async function planStep(
  step: YamlMap,
  index: number,
  scope: Scope,
  defaults: YamlMap,
  options: JobOptions
): Promise<StepPlan> {
  const [id, uses, script] = [text(step.id) ?? null, text(step.uses) ?? null, text(step.run)]
  const defaultName = `Run ${uses ?? script?.trim().split('\n')[0] ?? ''}`
  const label = `step ${index + 1} (${text(step.name) ?? id ?? defaultName})`
  supported(step, STEP_KEYS, label)
  const at = (key: string): Scope => ({ ...scope, where: `${label}: ${key}` })
  return {
    index,
    id,
    uses,
    defaultName,
    name: value(step.name, at('name')),
    condition: condition(text(step.if), at('if')),
    local: uses === null ? null : await planUses(uses, label, options),
    run: script === undefined ? null : planRun(script, step, defaults, at),
    with: pairs(step.with, at('with')),
    env: pairs(step.env, at('env')),
    continueOnError: value(step['continue-on-error'], at('continue-on-error')),
    timeoutMinutes: value(step['timeout-minutes'], at('timeout-minutes'))
  }
}

/** A `run:` step's script, shell and working directory (its own, else the defaults'). */
function planRun(
  raw: string,
  step: YamlMap,
  defaults: YamlMap,
  at: (key: string) => Scope
): RunPlan {
  const shell = text(step.shell) ?? text(defaults.shell) ?? null
  const directory = step['working-directory'] ?? defaults['working-directory']
  return {
    raw,
    script: template(raw, at('run')),
    shell: shellCommand(shell, at('shell').where),
    workingDirectory: value(directory, at('working-directory'))
  }
}

/** GitHub's command line for a `shell:` value on Linux ({0} is the script file). */
function shellCommand(shell: string | null, where: string): string[] {
  if (shell === null) return ['bash', '-e', '{0}']
  if (shell === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}']
  if (shell === 'sh') return ['sh', '-e', '{0}']
  throw new WorkflowError(`${where}: shell '${shell}' is not supported by this runner (bash, sh)`)
}

/** A `uses:` step's local action, or null for a remote one that options.skipUses lets through. */
async function planUses(
  uses: string,
  label: string,
  options: JobOptions
): Promise<LocalAction | null> {
  if (uses.startsWith('./')) {
    return readLocalAction(path.resolve(options.workspace, uses), uses, label)
  }
  if (!/^[\w.-]+\/[\w./-]+@[\w./-]+$/.test(uses)) {
    throw new WorkflowError(`${label}: unsupported uses: '${uses}'`)
  }
  if (!options.skipUses?.test(uses)) {
    throw new WorkflowError(
      `${label}: cannot run the remote action ${uses} locally (add it to skipUses)`
    )
  }
  return null
}

/**
 * A local action's manifest. Read with `yaml`, not the package's parseAction: that one rejects
 * `${{ }}` in an input's description, which GitHub accepts and this repository's action.yml has.
 */
async function readLocalAction(dir: string, uses: string, where: string): Promise<LocalAction> {
  const file = ['action.yml', 'action.yaml'].map((name) => path.join(dir, name)).find(existsSync)
  if (!file) throw new WorkflowError(`${where}: ${uses} has no action.yml`)
  const manifest = readYaml(await readFile(file, 'utf8'))
  const runs = asMap(manifest.runs)
  const using = /^node(\d+)$/.exec(text(runs.using) ?? '')
  const main = text(runs.main)
  if (!using || main === undefined)
    throw new WorkflowError(`${file}: only node actions are supported`)
  supported(runs, 'using main', `${file}: runs`)
  const inputs = new Map<string, Template | null>()
  for (const [name, spec] of Object.entries(asMap(manifest.inputs))) {
    // A default may use github.* and runner.*, not steps or matrix.
    const where = `${file}: inputs.${name}.default`
    inputs.set(
      name.toLowerCase(),
      value(asMap(spec).default, { where, steps: new Map(), matrix: new Set() })
    )
  }
  const outputs = Object.keys(asMap(manifest.outputs)).map((name) => name.toLowerCase())
  return { dir, main, nodeMajor: Number(using[1]), inputs, outputs: new Set(outputs) }
}
