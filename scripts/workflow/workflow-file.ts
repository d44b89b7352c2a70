// Reads the one job to run into plans before any step runs: what each step runs, its values with
// their expressions parsed and checked, a local action's manifest. GitHub's schema checks the
// file first (github-schema.ts), and gives each step's `if:`. The values are read with `yaml`:
// @actions/workflow-parser's job model drops with: and shell:, and it builds a multi-line value's
// expression from the YAML source, indentation included (right for an editor, wrong here).
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { compile, template, type Expression, type Template } from './expressions.ts'
import { stepConditions, validateWorkflow } from './github-schema.ts'
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
  timeoutMinutes: number
  matrix: Record<string, string>
  steps: StepPlan[]
}

/** One step, read and checked before the job starts. */
export interface StepPlan {
  index: number
  id: string | null
  uses: string | null
  name: Template | null
  defaultName: string
  condition: Expression
  /** The action of `uses: ./…`; null for a remote action, which options.skipUses lets through. */
  local: LocalAction | null
  /** A `run:` step: the script as written, as a template, and bash's command line for it. */
  run: { raw: string; script: Template; shell: string[] } | null
  with: [string, Template][]
  env: [string, Template][]
  continueOnError: boolean
}

/** A local node action's manifest, as far as this runner uses it. */
export interface LocalAction {
  dir: string
  main: string
  /** Declared inputs (lower case) and their defaults. */
  inputs: Map<string, Template | null>
}

// What this runner implements; GitHub's schema has already refused keys GitHub does not know.
// `permissions` and `concurrency` change nothing for one job run locally, and are not read.
const WORKFLOW_KEYS = 'name on permissions concurrency jobs'
const JOB_KEYS = 'name runs-on strategy timeout-minutes steps permissions concurrency'
const STEP_KEYS = 'id name if uses run with env shell continue-on-error'

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
function value(raw: Yaml | undefined, where: string): Template | null {
  const joined = Array.isArray(raw) ? raw.map((item) => text(item) ?? '').join(',') : text(raw)
  return joined === undefined ? null : template(joined, where)
}

/** A mapping of values (env:, with:) as templates. */
function pairs(raw: Yaml | undefined, where: string): [string, Template][] {
  return Object.entries(asMap(raw)).map(([key, item]) => [
    key,
    template(text(item) ?? '', `${where}.${key}`)
  ])
}

/** Reads and checks a job of a workflow file; throws a WorkflowError for anything refused. */
export async function readJob(file: string, job: string, options: JobOptions): Promise<JobPlan> {
  const content = await readFile(file, 'utf8')
  const conditions = stepConditions(await validateWorkflow(file, content), job)
  const workflow = readYaml(content)
  supported(workflow, WORKFLOW_KEYS, 'workflow')
  const spec = asMap(workflow.jobs)[job]
  if (!isMap(spec)) throw new WorkflowError(`${file}: no job '${job}'`)
  const where = `job ${job}`
  supported(spec, JOB_KEYS, where)
  const timeoutMinutes = Number(text(spec['timeout-minutes']) ?? 360)
  if (!(timeoutMinutes > 0)) {
    throw new WorkflowError(`${where}: timeout-minutes: only a number is supported by this runner`)
  }
  const steps = Array.isArray(spec.steps) ? spec.steps : []
  return {
    job,
    workflow: text(workflow.name) ?? path.relative(path.resolve(options.workspace), file),
    name: value(spec.name, `${where}: name`),
    runsOn: value(spec['runs-on'], `${where}: runs-on`) ?? [],
    timeoutMinutes,
    matrix: resolveMatrix(asMap(spec.strategy).matrix, options.matrix ?? {}),
    steps: await Promise.all(
      steps.map((step, index) => planStep(asMap(step), index, conditions[index]!, options))
    )
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

/** Reads one step, with its `if:` as GitHub reads it; a local action's manifest is read too. */
async function planStep(
  step: YamlMap,
  index: number,
  condition: string,
  options: JobOptions
): Promise<StepPlan> {
  const [id, uses, script] = [text(step.id) ?? null, text(step.uses) ?? null, text(step.run)]
  const defaultName = `Run ${uses ?? script?.trim().split('\n')[0] ?? ''}`
  const label = `step ${index + 1} (${text(step.name) ?? id ?? defaultName})`
  supported(step, STEP_KEYS, label)
  const continueOnError = text(step['continue-on-error']) ?? 'false'
  if (continueOnError !== 'true' && continueOnError !== 'false') {
    const message = 'only true or false is supported by this runner'
    throw new WorkflowError(`${label}: continue-on-error: ${message}`)
  }
  const local = uses?.startsWith('./') ? uses : null
  if (uses !== null && local === null && !options.skipUses?.test(uses)) {
    throw new WorkflowError(`${label}: cannot run the action ${uses} locally (add it to skipUses)`)
  }
  const at = (key: string): string => `${label}: ${key}`
  return {
    index,
    id,
    uses,
    defaultName,
    name: value(step.name, at('name')),
    condition: compile(condition, at('if')),
    local: local === null ? null : await readLocalAction(local, label, options.workspace),
    run: script === undefined ? null : planRun(script, text(step.shell), label),
    with: pairs(step.with, at('with')),
    env: pairs(step.env, at('env')),
    continueOnError: continueOnError === 'true'
  }
}

/** A `run:` step's script, and GitHub's bash command line on Linux for it ({0}: the script file). */
function planRun(raw: string, shell: string | undefined, label: string): StepPlan['run'] {
  if (shell !== undefined && shell !== 'bash') {
    throw new WorkflowError(`${label}: shell '${shell}' is not supported by this runner (bash)`)
  }
  return {
    raw,
    script: template(raw, `${label}: run`),
    shell: shell
      ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}']
      : ['bash', '-e', '{0}']
  }
}

/**
 * A local action's manifest. Read with `yaml`, not the package's parseAction: that one rejects
 * `${{ }}` in an input's description, which GitHub accepts and this repository's action.yml has.
 * Its `runs.using` must name the Node this runner runs it with, this process's.
 */
async function readLocalAction(
  uses: string,
  where: string,
  workspace: string
): Promise<LocalAction> {
  const dir = path.resolve(workspace, uses)
  const file = path.join(dir, 'action.yml')
  if (!existsSync(file)) throw new WorkflowError(`${where}: ${uses} has no action.yml`)
  const manifest = readYaml(await readFile(file, 'utf8'))
  const runs = asMap(manifest.runs)
  const main = text(runs.main)
  if (!/^node\d+$/.test(text(runs.using) ?? '') || main === undefined) {
    throw new WorkflowError(`${file}: only node actions are supported`)
  }
  supported(runs, 'using main', `${file}: runs`)
  const node = `node${process.versions.node.split('.')[0]}`
  if (runs.using !== node) {
    throw new WorkflowError(`${uses} runs on ${runs.using}, but this runner has ${node}`)
  }
  const inputs = new Map<string, Template | null>()
  for (const [name, spec] of Object.entries(asMap(manifest.inputs))) {
    inputs.set(name.toLowerCase(), value(asMap(spec).default, `${file}: inputs.${name}.default`))
  }
  return { dir, main, inputs }
}
