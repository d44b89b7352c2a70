// A small stand-in for CircleCI's compiler and machine runner, for the orb's tests: it expands a
// job's steps as the compiler does (orb commands and jobs with their parameters checked, typed and
// defaulted; `<< parameters.x >>` substituted; `when`/`unless` blocks; `\<<` unescaped) and runs
// them as the runner does: each `run` step under `/bin/bash -eo pipefail` with the step's
// environment on top of the job's and $BASH_ENV read by bash at its start; after a failed step only
// `when: always` steps; store_artifacts, persist_to_workspace and attach_workspace as copies.
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { run } from './ci.ts'

type Yaml = Record<string, unknown>

/** A parameter declaration of a command or job. */
interface Parameter {
  type: 'string' | 'boolean' | 'integer' | 'enum' | 'env_var_name' | 'steps' | 'executor'
  default?: unknown
  enum?: string[]
}

/** A command or job of the orb: its parameters and steps. */
interface Definition {
  parameters?: Record<string, Parameter>
  steps: unknown[]
}

/** One step as it ran. */
export interface StepRun {
  name: string
  code: number
  output: string
}

/** What a job did: its steps, and whether it passed. */
export interface JobRun {
  passed: boolean
  steps: StepRun[]
  /** The whole log, step by step, as the web app shows it. */
  log: string
  /** The $BASH_ENV file the steps shared. */
  bashEnv: string
}

/** Where a job runs: its directory, environment, and the folders CircleCI keeps for it. */
export interface JobContext {
  orb: Yaml
  /** The name the config's `orbs:` gives the orb, as in `empiricalrun/upload`. */
  alias: string
  /** The job's working directory. */
  cwd: string
  /** Project and context variables, on top of the machine's environment. */
  env: Record<string, string>
  artifacts: string
  workspace: string
  /** A folder of the machine's for the job's own files ($BASH_ENV). */
  home: string
}

const PARAMETER = /<<\s*parameters\.([\w-]+)\s*>>/g
const WHOLE_PARAMETER = /^<<\s*parameters\.([\w-]+)\s*>>$/

/** The value given for a parameter, checked against its type, or its default. */
function parameterValue(name: string, declared: Parameter, given: unknown): unknown {
  const value = given === undefined ? declared.default : given
  if (value === undefined) throw new Error(`parameter ${name} is required`)
  const wrong = (): never => {
    throw new Error(`parameter ${name}: ${JSON.stringify(value)} is not of type ${declared.type}`)
  }
  switch (declared.type) {
    case 'boolean':
      if (typeof value !== 'boolean') wrong()
      break
    case 'integer':
      if (!Number.isInteger(value)) wrong()
      break
    case 'enum':
      if (!declared.enum?.includes(String(value))) wrong()
      break
    case 'env_var_name':
      if (typeof value !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_-]+$/.test(value)) wrong()
      break
    case 'string':
      if (typeof value !== 'string') wrong()
      break
    default:
      throw new Error(`parameter ${name}: type ${declared.type} is not modelled here`)
  }
  return value
}

/** Every parameter's value, for an invocation with `given`; unknown parameters refused. */
function parameterValues(definition: Definition, given: Yaml, what: string): Yaml {
  const declared = definition.parameters ?? {}
  const unknown = Object.keys(given).filter((name) => !(name in declared) && !JOB_KEYS.has(name))
  if (unknown.length) throw new Error(`${what}: unknown parameters ${unknown.join(', ')}`)
  return Object.fromEntries(
    Object.entries(declared).map(([name, parameter]) => [
      name,
      parameterValue(`${what}.${name}`, parameter, given[name])
    ])
  )
}

/** Workflow keys an orb job invocation may carry besides its parameters. */
const JOB_KEYS = new Set(['requires', 'context', 'name', 'filters', 'matrix'])

/** A value with `<< parameters.x >>` replaced: typed where it is the whole string. */
function substitute(value: unknown, values: Yaml): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PARAMETER.exec(value)
    if (whole) return values[whole[1]!]
    return value.replace(PARAMETER, (_match, name: string) => {
      if (!(name in values)) throw new Error(`<< parameters.${name} >> is not declared`)
      return String(values[name])
    })
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, values))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, values)])
    )
  }
  return value
}

/** The orb's command a step names (`alias/name` from a config, `name` inside the orb). */
function command(context: JobContext, name: string, inOrb: boolean): Definition | undefined {
  const commands = (context.orb.commands ?? {}) as Record<string, Definition>
  if (name.startsWith(`${context.alias}/`)) return commands[name.slice(context.alias.length + 1)]
  return inOrb ? commands[name] : undefined
}

/** The steps as the compiler leaves them: only built-in steps, in order. */
export function expandSteps(context: JobContext, steps: unknown[], inOrb: boolean): Yaml[] {
  return steps.flatMap((step): Yaml[] => {
    const [name, body] =
      typeof step === 'string' ? [step, {}] : (Object.entries(step as Yaml)[0] as [string, unknown])
    if (name === 'when' || name === 'unless') {
      const block = body as { condition: unknown; steps: unknown[] }
      const truthy = block.condition === true || block.condition === 'true'
      return truthy === (name === 'when') ? expandSteps(context, block.steps, inOrb) : []
    }
    const definition = command(context, name, inOrb)
    if (definition) {
      const values = parameterValues(definition, (body ?? {}) as Yaml, name)
      return expandSteps(context, substitute(definition.steps, values) as unknown[], true)
    }
    if (
      ['run', 'store_artifacts', 'persist_to_workspace', 'attach_workspace', 'checkout'].includes(
        name
      )
    ) {
      return [{ [name]: body }]
    }
    throw new Error(`unknown step ${name}`)
  })
}

/** The steps of one of the orb's jobs, invoked with `given`. */
export function orbJobSteps(context: JobContext, name: string, given: Yaml): Yaml[] {
  const jobs = (context.orb.jobs ?? {}) as Record<string, Definition>
  const definition = jobs[name]
  if (!definition) throw new Error(`the orb has no job ${name}`)
  const values = parameterValues(definition, given, name)
  return expandSteps(context, substitute(definition.steps, values) as unknown[], true)
}

/** A step's environment values as strings, the way the runner exports them. */
function environment(values: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((values ?? {}) as Yaml).map(([key, value]) => [key, String(value ?? '')])
  )
}

/** Runs expanded steps as the machine runner does. */
export async function runSteps(context: JobContext, steps: Yaml[]): Promise<JobRun> {
  const bashEnv = path.join(await mkdtemp(path.join(context.home, 'job-')), '.bash_env')
  await writeFile(bashEnv, '')
  const ran: StepRun[] = []
  let failed = false
  for (const step of steps) {
    const [kind, body] = Object.entries(step)[0] as [string, Yaml | string]
    if (kind === 'run') {
      const spec: Yaml = typeof body === 'string' ? { command: body } : body
      if (failed && spec.when !== 'always') continue
      const commandText = String(spec.command).replaceAll('\\<<', '<<')
      const name = String(spec.name ?? commandText.split('\n')[0])
      const cwd = path.resolve(context.cwd, String(spec.working_directory ?? '.'))
      const result = await run('/bin/bash', ['-eo', 'pipefail', '-c', commandText], {
        cwd,
        env: {
          ...context.env,
          CIRCLECI: 'true',
          BASH_ENV: bashEnv,
          ...environment(spec.environment)
        }
      })
      ran.push({ name, code: result.code ?? 1, output: result.stdout + result.stderr })
      if (result.code !== 0) failed = true
    } else if (failed) {
      continue
    } else if (kind === 'store_artifacts') {
      const spec = body as { path: string; destination?: string }
      const to = path.join(context.artifacts, spec.destination ?? path.basename(spec.path))
      await cp(path.resolve(context.cwd, spec.path), to, { recursive: true })
      ran.push({ name: `Uploading artifacts ${spec.path}`, code: 0, output: '' })
    } else if (kind === 'persist_to_workspace') {
      const spec = body as { root: string; paths: string[] }
      for (const item of spec.paths) {
        await cp(path.resolve(context.cwd, spec.root, item), path.join(context.workspace, item), {
          recursive: true
        })
      }
      ran.push({ name: 'Persisting to workspace', code: 0, output: '' })
    } else if (kind === 'attach_workspace') {
      const spec = body as { at: string }
      await mkdir(path.resolve(context.cwd, spec.at), { recursive: true })
      await cp(context.workspace, path.resolve(context.cwd, spec.at), { recursive: true })
      ran.push({ name: 'Attaching workspace', code: 0, output: '' })
    } else {
      ran.push({ name: kind, code: 0, output: '' })
    }
  }
  const log = ran.map((step) => `== ${step.name} (exit ${step.code})\n${step.output}`).join('\n')
  return { passed: !failed, steps: ran, log, bashEnv }
}
