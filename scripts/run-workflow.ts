// A deliberately small local runner for the subset of GitHub Actions syntax this repository's
// workflows use. It runs one job of a workflow file on this machine, step by step, the way a
// Linux runner would: `run:` steps through bash with GitHub's flags, `uses: ./` through the
// action's node entry point with INPUT_* variables, `${{ }}` expressions substituted, file
// commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY) read back, `if:`,
// `continue-on-error` and status functions honoured, and every process the job started killed
// at the end (GitHub's runner does that with RUNNER_TRACKING_ID; so does this one).
//
// Anything outside the subset (an unknown context, function, key or shell) throws a
// WorkflowError before any step runs: a workflow this runner cannot read is never "passed".
import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
import { parse as parseYaml } from 'yaml'

export type Outcome = 'success' | 'failure' | 'skipped'

/** What one step did. */
export interface StepResult {
  /** The step's `id:`, or null when it has none. */
  id: string | null
  /** The display name GitHub shows: `name:`, or `Run <first line>` / `Run <action>`. */
  name: string
  kind: 'run' | 'uses'
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
  /** What the step appended to GITHUB_STEP_SUMMARY. */
  summary: string
  durationMs: number
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
  /** The node binary for node actions and for a skipped actions/setup-node; process.execPath. */
  node?: string
  /** Overrides the job's `timeout-minutes`. */
  timeoutMs?: number
}

/** The workflow uses something this runner does not support, or is wrong in a way GitHub rejects. */
export class WorkflowError extends Error {
  override name = 'WorkflowError'
}

/** An expression failed while a step ran (e.g. fromJSON of an empty string): the step fails. */
class EvaluationError extends Error {}

// ---------------------------------------------------------------------------------------------
// Expressions

type Value = null | boolean | number | string | Value[] | { [key: string]: Value }

type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||'

type Expr =
  | { kind: 'literal'; value: Value }
  | { kind: 'context'; name: string }
  | { kind: 'index'; object: Expr; key: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }

interface Token {
  type: 'punct' | 'string' | 'number' | 'ident'
  text: string
  value: Value
}

const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||']
const PUNCT1 = '()[].,!<>'

function tokenize(source: string, where: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const fail = (message: string): never => {
    throw new WorkflowError(`${where}: ${message} in expression \`${source.trim()}\``)
  }
  while (i < source.length) {
    const c = source[i]!
    const rest = source.slice(i)
    if (/\s/.test(c)) {
      i++
    } else if (PUNCT2.includes(rest.slice(0, 2))) {
      tokens.push({ type: 'punct', text: rest.slice(0, 2), value: null })
      i += 2
    } else if (PUNCT1.includes(c)) {
      tokens.push({ type: 'punct', text: c, value: null })
      i++
    } else if (c === "'") {
      let j = i + 1
      let value = ''
      for (;;) {
        if (j >= source.length) fail('unterminated string')
        if (source[j] === "'") {
          if (source[j + 1] !== "'") break
          value += "'"
          j += 2
        } else {
          value += source[j]
          j++
        }
      }
      tokens.push({ type: 'string', text: source.slice(i, j + 1), value })
      i = j + 1
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(rest)!
      tokens.push({ type: 'number', text: match[0], value: Number(match[0]) })
      i += match[0].length
    } else if (/[a-z_]/i.test(c)) {
      const match = /^[a-z_][a-z0-9_-]*/i.exec(rest)!
      tokens.push({ type: 'ident', text: match[0], value: null })
      i += match[0].length
    } else if (c === '"') {
      fail('double quotes are not string delimiters in GitHub expressions (use single quotes)')
    } else {
      fail(`unsupported character '${c}'`)
    }
  }
  return tokens
}

/** Parses one expression (what goes between `${{` and `}}`). */
function parseExpression(source: string, where: string): Expr {
  const tokens = tokenize(source, where)
  let position = 0
  const fail = (message: string): never => {
    throw new WorkflowError(`${where}: ${message} in expression \`${source.trim()}\``)
  }
  const peek = (): Token | undefined => tokens[position]
  const accept = (text: string): boolean => {
    const token = peek()
    if (token?.type === 'punct' && token.text === text) {
      position++
      return true
    }
    return false
  }
  const expect = (text: string): void => {
    if (!accept(text)) fail(`expected '${text}' at ${peek()?.text ?? 'the end'}`)
  }
  const binary = (ops: BinaryOp[], next: () => Expr) => (): Expr => {
    let left = next()
    for (;;) {
      const token = peek()
      const op = ops.find((candidate) => token?.type === 'punct' && token.text === candidate)
      if (!op) return left
      position++
      left = { kind: 'binary', op, left, right: next() }
    }
  }
  const primary = (): Expr => {
    const token = peek()
    if (!token) return fail('unexpected end')
    position++
    if (token.type === 'string' || token.type === 'number') {
      return { kind: 'literal', value: token.value }
    }
    if (token.type === 'punct' && token.text === '(') {
      const inner = or()
      expect(')')
      return inner
    }
    if (token.type !== 'ident') return fail(`unexpected '${token.text}'`)
    if (token.text === 'true' || token.text === 'false') {
      return { kind: 'literal', value: token.text === 'true' }
    }
    if (token.text === 'null') return { kind: 'literal', value: null }
    if (accept('(')) {
      const args: Expr[] = []
      if (!accept(')')) {
        do args.push(or())
        while (accept(','))
        expect(')')
      }
      return { kind: 'call', name: token.text.toLowerCase(), args }
    }
    return { kind: 'context', name: token.text.toLowerCase() }
  }
  const postfix = (): Expr => {
    let object = primary()
    for (;;) {
      if (accept('.')) {
        const name = peek()
        if (name?.type !== 'ident') return fail(`expected a property name after '.'`)
        position++
        object = { kind: 'index', object, key: { kind: 'literal', value: name.text } }
      } else if (accept('[')) {
        const key = or()
        expect(']')
        object = { kind: 'index', object, key }
      } else {
        return object
      }
    }
  }
  const unary = (): Expr => (accept('!') ? { kind: 'not', operand: unary() } : postfix())
  const comparison = binary(['<', '<=', '>', '>='], unary)
  const equality = binary(['==', '!='], comparison)
  const and = binary(['&&'], equality)
  const or = binary(['||'], and)
  const expr = or()
  if (position < tokens.length) fail(`unexpected '${peek()!.text}'`)
  return expr
}

type Part = { text: string } | { expr: Expr; source: string }

/** Splits a string into text and `${{ … }}` expressions (a `}}` inside a 'string' does not end one). */
function parseTemplate(text: string, where: string): Part[] {
  const parts: Part[] = []
  let i = 0
  for (;;) {
    const start = text.indexOf('${{', i)
    if (start === -1) break
    if (start > i) parts.push({ text: text.slice(i, start) })
    let j = start + 3
    let inString = false
    while (j < text.length && (inString || !text.startsWith('}}', j))) {
      if (text[j] === "'") inString = !inString
      j++
    }
    if (j >= text.length) throw new WorkflowError(`${where}: \`\${{\` without a closing \`}}\``)
    const source = text.slice(start + 3, j)
    parts.push({ expr: parseExpression(source, where), source })
    i = j + 2
  }
  if (i < text.length || parts.length === 0) parts.push({ text: text.slice(i) })
  return parts
}

const STATUS_FUNCTIONS = new Set(['success', 'failure', 'always', 'cancelled'])
const FUNCTIONS: Record<string, [number, number]> = {
  success: [0, 0],
  failure: [0, 0],
  always: [0, 0],
  cancelled: [0, 0],
  fromjson: [1, 1],
  tojson: [1, 1],
  contains: [2, 2],
  startswith: [2, 2],
  endswith: [2, 2],
  format: [1, Infinity],
  join: [1, 2]
}
const GITHUB_KEYS = new Set(['workflow', 'ref', 'workspace', 'job'])
const RUNNER_KEYS = new Set(['os', 'arch', 'temp'])

function some(expr: Expr, test: (expr: Expr) => boolean): boolean {
  if (test(expr)) return true
  switch (expr.kind) {
    case 'index':
      return some(expr.object, test) || some(expr.key, test)
    case 'call':
      return expr.args.some((arg) => some(arg, test))
    case 'not':
      return some(expr.operand, test)
    case 'binary':
      return some(expr.left, test) || some(expr.right, test)
    default:
      return false
  }
}

/** `steps.upload.outputs.count` → ['steps', 'upload', 'outputs', 'count']; null if not such a chain. */
function contextChain(expr: Expr): string[] | null {
  if (expr.kind === 'context') return [expr.name]
  if (expr.kind === 'index' && expr.key.kind === 'literal' && typeof expr.key.value === 'string') {
    const base = contextChain(expr.object)
    return base ? [...base, expr.key.value] : null
  }
  return null
}

/** What an expression may refer to at its place in the workflow. */
interface CheckScope {
  where: string
  /** Steps that run before this point, by lower-case id; null where the steps context is unavailable. */
  steps: Map<string, StepPlan> | null
  matrix: Set<string>
  statusFunctions: boolean
}

/** Throws a WorkflowError for a reference or function this runner does not know. */
function checkExpr(expr: Expr, scope: CheckScope): void {
  const chain = contextChain(expr)
  if (chain) return checkChain(chain, scope)
  switch (expr.kind) {
    case 'literal':
      return
    case 'index': {
      const base = contextChain(expr.object)
      if (base) {
        throw new WorkflowError(
          `${scope.where}: a computed index into ${base.join('.')} is not supported`
        )
      }
      checkExpr(expr.object, scope)
      return checkExpr(expr.key, scope)
    }
    case 'call': {
      const arity = FUNCTIONS[expr.name]
      if (!arity)
        throw new WorkflowError(`${scope.where}: unknown or unsupported function ${expr.name}()`)
      if (expr.args.length < arity[0] || expr.args.length > arity[1]) {
        throw new WorkflowError(
          `${scope.where}: ${expr.name}() takes ${arity.join(' to ')} arguments`
        )
      }
      if (STATUS_FUNCTIONS.has(expr.name) && !scope.statusFunctions) {
        throw new WorkflowError(`${scope.where}: ${expr.name}() is only allowed in if:`)
      }
      for (const arg of expr.args) checkExpr(arg, scope)
      return
    }
    case 'not':
      return checkExpr(expr.operand, scope)
    case 'binary':
      checkExpr(expr.left, scope)
      return checkExpr(expr.right, scope)
    case 'context':
      return
  }
}

function checkChain(chain: string[], scope: CheckScope): void {
  const [root, ...rest] = chain
  const label = chain.join('.')
  const fail = (message: string): never => {
    throw new WorkflowError(`${scope.where}: ${label}: ${message}`)
  }
  const key = rest[0]?.toLowerCase()
  switch (root) {
    case 'steps': {
      if (!scope.steps) return fail('the steps context is not available here')
      const [id, field, output, ...extra] = rest
      const step = id === undefined ? undefined : scope.steps.get(id.toLowerCase())
      if (!step) {
        const known = [...scope.steps.values()].map((plan) => plan.id).join(', ') || 'none'
        return fail(`no step with this id runs before this point (ids so far: ${known})`)
      }
      const lower = field?.toLowerCase()
      if ((lower === 'outcome' || lower === 'conclusion') && output === undefined) return
      if (lower !== 'outputs' || output === undefined || extra.length > 0) {
        return fail('only steps.<id>.outputs.<name>, .outcome and .conclusion are supported')
      }
      const declared = step.local?.outputs
      if (declared && !declared.has(output.toLowerCase())) {
        fail(
          `${step.uses} declares no output '${output}' (it declares ${[...declared].join(', ')})`
        )
      }
      return
    }
    case 'matrix':
      if (rest.length !== 1 || !scope.matrix.has(key!)) {
        fail(`not a key of this job's matrix (${[...scope.matrix].join(', ') || 'no matrix'})`)
      }
      return
    case 'github':
      if (rest.length !== 1 || !GITHUB_KEYS.has(key!)) {
        fail(`this runner knows only github.${[...GITHUB_KEYS].join(', github.')}`)
      }
      return
    case 'runner':
      if (rest.length !== 1 || !RUNNER_KEYS.has(key!)) {
        fail(`this runner knows only runner.${[...RUNNER_KEYS].join(', runner.')}`)
      }
      return
    case 'secrets':
      if (rest.length !== 1) fail('use secrets.<NAME>')
      return
    default:
      fail(`unknown or unsupported context '${root}'`)
  }
}

interface JobStatus {
  failed: boolean
  cancelled: boolean
}

interface EvalScope {
  contexts: Record<string, Value>
  /** null where status functions are not allowed (everywhere but if:). */
  status: JobStatus | null
}

function typeOf(value: Value): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** GitHub's coercion to a number for comparisons between different types. */
function toNumber(value: Value): number {
  if (value === null) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    const text = value.trim()
    if (text === '') return 0
    return /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN
  }
  return NaN
}

function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === '' || Number.isNaN(value))
}

/** GitHub's `==`: same types compare directly (strings ignoring case), others as numbers. */
function looseEquals(a: Value, b: Value): boolean {
  if (typeOf(a) !== typeOf(b)) return toNumber(a) === toNumber(b)
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  return a === b
}

function compare(a: Value, b: Value, op: '<' | '<=' | '>' | '>='): boolean {
  let left: string | number = toNumber(a)
  let right: string | number = toNumber(b)
  if (typeof a === 'string' && typeof b === 'string') {
    left = a.toLowerCase()
    right = b.toLowerCase()
  }
  if (op === '<') return left < right
  if (op === '<=') return left <= right
  if (op === '>') return left > right
  return left >= right
}

/** A value as text, for `${{ }}` in a string and for string functions. */
function toText(value: Value, what: string): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new EvaluationError(
    `${what} is an ${typeOf(value)}; GitHub would write '${Array.isArray(value) ? 'Array' : 'Object'}' (use toJSON())`
  )
}

function lookup(object: Value, key: Value): Value {
  if (Array.isArray(object)) {
    return typeof key === 'number' && Number.isInteger(key) ? (object[key] ?? null) : null
  }
  if (object === null || typeof object !== 'object' || typeof key !== 'string') return null
  if (Object.hasOwn(object, key)) return object[key] ?? null
  const lower = key.toLowerCase()
  const match = Object.keys(object).find((name) => name.toLowerCase() === lower)
  return match === undefined ? null : (object[match] ?? null)
}

function evaluate(expr: Expr, scope: EvalScope): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value
    case 'context':
      return scope.contexts[expr.name] ?? null
    case 'index':
      return lookup(evaluate(expr.object, scope), evaluate(expr.key, scope))
    case 'not':
      return !truthy(evaluate(expr.operand, scope))
    case 'binary': {
      const left = evaluate(expr.left, scope)
      if (expr.op === '&&') return truthy(left) ? evaluate(expr.right, scope) : left
      if (expr.op === '||') return truthy(left) ? left : evaluate(expr.right, scope)
      const right = evaluate(expr.right, scope)
      if (expr.op === '==') return looseEquals(left, right)
      if (expr.op === '!=') return !looseEquals(left, right)
      return compare(left, right, expr.op)
    }
    case 'call':
      return call(
        expr.name,
        expr.args.map((arg) => evaluate(arg, scope)),
        scope
      )
  }
}

function call(name: string, args: Value[], scope: EvalScope): Value {
  const [a = null, b = null] = args
  const status = scope.status
  if (STATUS_FUNCTIONS.has(name) && !status) throw new EvaluationError(`${name}() outside if:`)
  switch (name) {
    case 'success':
      return !status!.failed && !status!.cancelled
    case 'failure':
      return status!.failed
    case 'always':
      return true
    case 'cancelled':
      return status!.cancelled
    case 'fromjson': {
      const text = toText(a, 'the argument of fromJSON()')
      try {
        return JSON.parse(text) as Value
      } catch (error) {
        throw new EvaluationError(
          `fromJSON(${JSON.stringify(text)}): ${error instanceof Error ? error.message : String(error)}`
        )
      }
    }
    case 'tojson':
      return JSON.stringify(a, null, 2)
    case 'contains':
      if (Array.isArray(a)) return a.some((item) => looseEquals(item, b))
      return toText(a, 'contains()').toLowerCase().includes(toText(b, 'contains()').toLowerCase())
    case 'startswith':
      return toText(a, 'startsWith()')
        .toLowerCase()
        .startsWith(toText(b, 'startsWith()').toLowerCase())
    case 'endswith':
      return toText(a, 'endsWith()').toLowerCase().endsWith(toText(b, 'endsWith()').toLowerCase())
    case 'format': {
      const values = args.slice(1).map((value) => toText(value, 'format()'))
      return toText(a, 'format()').replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index?: string) => {
        if (match === '{{') return '{'
        if (match === '}}') return '}'
        const value = values[Number(index)]
        if (value === undefined) throw new EvaluationError(`format(): no argument ${index}`)
        return value
      })
    }
    case 'join': {
      const separator = args.length > 1 ? toText(b, 'join()') : ','
      return Array.isArray(a)
        ? a.map((item) => toText(item, 'join()')).join(separator)
        : toText(a, 'join()')
    }
    default:
      throw new EvaluationError(`unknown function ${name}()`)
  }
}

function render(parts: Part[], scope: EvalScope): string {
  return parts
    .map((part) =>
      'text' in part ? part.text : toText(evaluate(part.expr, scope), `\${{${part.source}}}`)
    )
    .join('')
}

function templateExprs(parts: Part[]): Expr[] {
  return parts.flatMap((part) => ('expr' in part ? [part.expr] : []))
}

/** An `if:` (with or without `${{ }}`); without a status function it means `success() && (…)`. */
function parseCondition(raw: string, where: string): Expr {
  const text = raw.trim()
  let source = text
  if (text.startsWith('${{') && text.endsWith('}}') && parseTemplate(text, where).length === 1) {
    source = text.slice(3, -2)
  } else if (text.includes('${{')) {
    throw new WorkflowError(
      `${where}: mixes \${{ }} with other text; GitHub would evaluate it as a non-empty string, which is always true`
    )
  }
  const expr = parseExpression(source, where)
  const hasStatus = some(expr, (node) => node.kind === 'call' && STATUS_FUNCTIONS.has(node.name))
  if (hasStatus) return expr
  return {
    kind: 'binary',
    op: '&&',
    left: { kind: 'call', name: 'success', args: [] },
    right: expr
  }
}

// ---------------------------------------------------------------------------------------------
// The workflow file

type Yaml = string | Yaml[] | { [key: string]: Yaml } | null

function isMap(value: unknown): value is Record<string, Yaml> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkKeys(value: Record<string, Yaml>, allowed: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new WorkflowError(`${where}: key '${key}' is unknown or not supported by this runner`)
    }
  }
}

function text(value: Yaml | undefined, where: string): string {
  if (typeof value !== 'string') throw new WorkflowError(`${where} must be a string`)
  return value
}

function entries(value: Yaml | undefined, where: string): [string, string][] {
  if (value === undefined || value === null) return []
  if (!isMap(value)) throw new WorkflowError(`${where} must be a mapping`)
  return Object.entries(value).map(([key, item]) => [key, text(item, `${where}.${key}`)])
}

/** A local action's manifest, as far as this runner uses it. */
interface LocalAction {
  dir: string
  main: string
  nodeMajor: number
  /** Declared inputs (lower case) and their parsed defaults. */
  inputs: Map<string, Part[] | null>
  outputs: Set<string>
}

async function readLocalAction(dir: string, uses: string, where: string): Promise<LocalAction> {
  const file = ['action.yml', 'action.yaml'].map((name) => path.join(dir, name)).find(existsSync)
  if (!file) throw new WorkflowError(`${where}: ${uses} has no action.yml`)
  const manifest: unknown = parseYaml(await readFile(file, 'utf8'), { schema: 'failsafe' })
  if (!isMap(manifest) || !isMap(manifest.runs)) throw new WorkflowError(`${file}: no runs:`)
  const runs = manifest.runs
  const using = /^node(\d+)$/.exec(text(runs.using, `${file}: runs.using`))
  if (!using) throw new WorkflowError(`${file}: only node actions are supported`)
  checkKeys(runs, ['using', 'main'], `${file}: runs`)
  const inputs = new Map<string, Part[] | null>()
  for (const [name, spec] of Object.entries(isMap(manifest.inputs) ? manifest.inputs : {})) {
    const fallback = isMap(spec) ? spec.default : undefined
    const parts =
      typeof fallback === 'string'
        ? parseTemplate(fallback, `${file}: inputs.${name}.default`)
        : null
    inputs.set(name.toLowerCase(), parts)
  }
  const outputs = new Set(Object.keys(isMap(manifest.outputs) ? manifest.outputs : {}))
  return {
    dir,
    main: text(runs.main, `${file}: runs.main`),
    nodeMajor: Number(using[1]),
    inputs,
    outputs: new Set([...outputs].map((name) => name.toLowerCase()))
  }
}

interface StepPlan {
  index: number
  id: string | null
  name: Part[] | null
  defaultName: string
  condition: Expr
  uses: string | null
  local: LocalAction | null
  run: { raw: string; script: Part[]; shell: string[]; workingDirectory: Part[] | null } | null
  with: [string, Part[]][]
  env: [string, Part[]][]
  continueOnError: Part[] | null
  timeoutMinutes: Part[] | null
}

const STEP_KEYS = [
  'id',
  'name',
  'if',
  'uses',
  'run',
  'with',
  'env',
  'shell',
  'working-directory',
  'continue-on-error',
  'timeout-minutes'
]
const JOB_KEYS = [
  'name',
  'runs-on',
  'strategy',
  'timeout-minutes',
  'steps',
  'env',
  'defaults',
  'permissions',
  'concurrency'
]

/** GitHub's command line for a `shell:` value on Linux ({0} is the script file). */
function shellCommand(shell: string | null, where: string): string[] {
  if (shell === null) return ['bash', '-e', '{0}']
  if (shell === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}']
  if (shell === 'sh') return ['sh', '-e', '{0}']
  throw new WorkflowError(`${where}: shell '${shell}' is not supported by this runner (bash, sh)`)
}

function defaultsRun(defaults: Yaml | undefined, where: string): Record<string, string> {
  if (defaults === undefined) return {}
  if (!isMap(defaults)) throw new WorkflowError(`${where}: defaults must be a mapping`)
  checkKeys(defaults, ['run'], `${where}: defaults`)
  const run = Object.fromEntries(entries(defaults.run, `${where}: defaults.run`))
  checkKeys(run, ['shell', 'working-directory'], `${where}: defaults.run`)
  return run
}

async function planStep(
  step: Yaml,
  index: number,
  defaults: Record<string, string>,
  options: JobOptions
): Promise<StepPlan> {
  const where = `step ${index + 1}`
  if (!isMap(step)) throw new WorkflowError(`${where} must be a mapping`)
  checkKeys(step, STEP_KEYS, where)
  const id = step.id === undefined ? null : text(step.id, `${where}: id`)
  if (id !== null && !/^[a-z_][a-z0-9_-]*$/i.test(id))
    throw new WorkflowError(`${where}: bad id '${id}'`)
  const label = `step ${index + 1} (${step.name === undefined ? (id ?? 'unnamed') : text(step.name, `${where}: name`)})`
  const template = (key: string): Part[] | null =>
    step[key] === undefined
      ? null
      : parseTemplate(text(step[key], `${label}: ${key}`), `${label}: ${key}`)
  const plan: StepPlan = {
    index,
    id,
    name: template('name'),
    defaultName: '',
    condition: parseCondition(
      step.if === undefined ? 'success()' : text(step.if, `${label}: if`),
      `${label}: if`
    ),
    uses: null,
    local: null,
    run: null,
    with: entries(step.with, `${label}: with`).map(([key, value]) => [
      key,
      parseTemplate(value, `${label}: with.${key}`)
    ]),
    env: entries(step.env, `${label}: env`).map(([key, value]) => [
      key,
      parseTemplate(value, `${label}: env.${key}`)
    ]),
    continueOnError: template('continue-on-error'),
    timeoutMinutes: template('timeout-minutes')
  }
  if ((step.uses === undefined) === (step.run === undefined)) {
    throw new WorkflowError(`${label}: needs exactly one of uses: and run:`)
  }
  if (step.run !== undefined) {
    const raw = text(step.run, `${label}: run`)
    if (step.with !== undefined) throw new WorkflowError(`${label}: with: needs uses:`)
    const shell =
      step.shell === undefined ? (defaults.shell ?? null) : text(step.shell, `${label}: shell`)
    const workingDirectory =
      step['working-directory'] === undefined
        ? (defaults['working-directory'] ?? null)
        : text(step['working-directory'], `${label}: working-directory`)
    plan.run = {
      raw,
      script: parseTemplate(raw, `${label}: run`),
      shell: shellCommand(shell, label),
      workingDirectory:
        workingDirectory === null
          ? null
          : parseTemplate(workingDirectory, `${label}: working-directory`)
    }
    plan.defaultName = `Run ${raw.trim().split('\n')[0] ?? ''}`
    return plan
  }
  const uses = text(step.uses, `${label}: uses`)
  plan.uses = uses
  plan.defaultName = `Run ${uses}`
  if (step.shell !== undefined || step['working-directory'] !== undefined) {
    throw new WorkflowError(`${label}: shell: and working-directory: need run:`)
  }
  if (uses.startsWith('./')) {
    plan.local = await readLocalAction(path.resolve(options.workspace, uses), uses, label)
  } else if (!/^[\w.-]+\/[\w./-]+@[\w./-]+$/.test(uses)) {
    throw new WorkflowError(`${label}: unsupported uses: '${uses}'`)
  } else if (!options.skipUses?.test(uses)) {
    throw new WorkflowError(
      `${label}: cannot run the remote action ${uses} locally (add it to skipUses)`
    )
  }
  return plan
}

function resolveMatrix(
  strategy: Yaml | undefined,
  given: Record<string, string>
): Record<string, string> {
  if (strategy !== undefined && !isMap(strategy))
    throw new WorkflowError('strategy must be a mapping')
  if (strategy) checkKeys(strategy, ['matrix', 'fail-fast', 'max-parallel'], 'strategy')
  const matrix = strategy?.matrix
  const result: Record<string, string> = {}
  if (matrix !== undefined && !isMap(matrix))
    throw new WorkflowError('strategy.matrix must be a mapping')
  for (const [key, values] of Object.entries(matrix ?? {})) {
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
      throw new WorkflowError(`strategy.matrix.${key}: only lists of plain values are supported`)
    }
    const value = given[key]
    if (value === undefined || !values.includes(value)) {
      throw new WorkflowError(`matrix.${key} must be given as one of: ${values.join(', ')}`)
    }
    result[key.toLowerCase()] = value
  }
  for (const key of Object.keys(given)) {
    if (result[key.toLowerCase()] === undefined)
      throw new WorkflowError(`the job has no matrix key '${key}'`)
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Exec {
  code: number | null
  signal: NodeJS.Signals | null
  log: string
  error: string | null
  timedOut: boolean
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // The group is gone.
  }
}

function closed(stream: Readable): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', resolve))
}

/**
 * Runs a command in its own process group (recorded in `groups`, so that what it leaves running
 * in the background can be found and killed at the end of the job) and collects its output.
 */
function exec(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  groups: Set<number>
): Promise<Exec> {
  return new Promise((resolve) => {
    let log = ''
    let timedOut = false
    let settled = false
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    if (child.pid !== undefined) groups.add(child.pid)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL')
    }, timeoutMs)
    child.once('error', (error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ code: null, signal: null, log, error: error.message, timedOut })
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      // The step is over when its process exits. A background process that inherited stdout or
      // stderr keeps them open: read what is there, then let go of them.
      const streams = Promise.all([closed(child.stdout), closed(child.stderr)]).then(() => true)
      void Promise.race([streams, delay(500).then(() => false)]).then((drained) => {
        if (!drained) {
          log +=
            "\n##[warning]A background process still holds this step's output; it is no longer read.\n"
          child.stdout.destroy()
          child.stderr.destroy()
        }
        if (settled) return
        settled = true
        resolve({ code, signal, log, error: null, timedOut })
      })
    })
  })
}

/**
 * The processes of a job that are still running: on Linux, every process whose environment
 * carries the job's RUNNER_TRACKING_ID (as GitHub's runner finds orphans) or that is in one of
 * the job's process groups; elsewhere, the process groups still alive (as negative numbers).
 */
export async function findTrackedProcesses(
  trackingId: string,
  groups: Iterable<number> = []
): Promise<number[]> {
  const groupSet = new Set(groups)
  if (!existsSync('/proc/self/stat')) {
    return [...groupSet]
      .filter((pid) => {
        try {
          process.kill(-pid, 0)
          return true
        } catch {
          return false
        }
      })
      .map((pid) => -pid)
  }
  const marker = `RUNNER_TRACKING_ID=${trackingId}\0`
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (state === 'Z' || state === 'X') continue
      if (groupSet.has(Number(pgrp))) {
        found.push(pid)
        continue
      }
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8')
      if (environ.startsWith(marker) || environ.includes(`\0${marker}`)) found.push(pid)
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // Already gone.
    }
  }
}

/** A process the job left running. */
export interface Leftover {
  pid: number
  command: string
}

async function commandOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/**
 * Ends what the job left running, as the runner's orphan-process cleanup does: SIGTERM once
 * (a second one would cut a graceful shutdown short), then SIGKILL after 3 s.
 */
async function cleanUp(trackingId: string, groups: Set<number>): Promise<Leftover[]> {
  const found = new Map<number, Leftover>()
  const started = performance.now()
  for (;;) {
    const remaining = await findTrackedProcesses(trackingId, groups)
    if (remaining.length === 0) return [...found.values()]
    const late = performance.now() - started > 3_000
    if (performance.now() - started > 5_000) {
      throw new Error(`processes of the job survived SIGKILL: ${remaining.join(', ')}`)
    }
    for (const pid of remaining) {
      if (!found.has(pid)) {
        found.set(pid, { pid, command: await commandOf(pid) })
        signalAll([pid], 'SIGTERM')
      } else if (late) {
        signalAll([pid], 'SIGKILL')
      }
    }
    await delay(50)
  }
}

// ---------------------------------------------------------------------------------------------
// File commands and logs

/** Reads GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks, as the runner does. */
function parseFileCommand(content: string, what: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = content.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals > 0 && (heredoc === -1 || equals < heredoc)) {
      result[line.slice(0, equals)] = line.slice(equals + 1)
    } else if (heredoc > 0 && line.length > heredoc + 2) {
      const delimiter = line.slice(heredoc + 2)
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!)
      if (i >= lines.length) throw new EvaluationError(`${what}: no closing '${delimiter}'`)
      result[line.slice(0, heredoc)] = value.join('\n')
    } else {
      throw new EvaluationError(`${what}: invalid line '${line}'`)
    }
  }
  return result
}

function annotationsOf(log: string): string[] {
  const annotations: string[] = []
  for (const line of log.split('\n')) {
    const match =
      /^(?:::(error|warning|notice)(?: [^:]*)?::|##\[(error|warning|notice)\])(.*)$/.exec(line)
    if (match) annotations.push(`${match[1] ?? match[2]}: ${match[3]}`)
  }
  return annotations
}

function nodeMajorOf(node: string): number {
  if (node === process.execPath) return Number(process.versions.node.split('.')[0])
  const result = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' })
  return Number(result.stdout.split('.')[0])
}

/** The environment a hosted runner starts from: no node_modules/.bin on PATH, no test-runner variables. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ['HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  env.PATH = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !/node_modules[\\/]\.bin$/.test(dir))
    .join(path.delimiter)
  return env
}

// ---------------------------------------------------------------------------------------------
// The job

/** Runs one job of a workflow file locally (see the top of this file for what is supported). */
export async function runWorkflowJob(
  file: string,
  job: string,
  options: JobOptions
): Promise<JobResult> {
  const workflow: unknown = parseYaml(await readFile(file, 'utf8'), { schema: 'failsafe' })
  if (!isMap(workflow) || !isMap(workflow.jobs)) throw new WorkflowError(`${file}: no jobs:`)
  const spec = workflow.jobs[job]
  if (!isMap(spec)) throw new WorkflowError(`${file}: no job '${job}'`)
  checkKeys(spec, JOB_KEYS, `job ${job}`)
  const workspace = path.resolve(options.workspace)
  const matrix = resolveMatrix(spec.strategy, options.matrix ?? {})
  const matrixKeys = new Set(Object.keys(matrix))
  const node = options.node ?? process.execPath
  const nodeMajor = nodeMajorOf(node)

  // Read and check everything before running anything.
  const defaults = {
    ...defaultsRun(workflow.defaults, 'workflow'),
    ...defaultsRun(spec.defaults, `job ${job}`)
  }
  if (!Array.isArray(spec.steps) || spec.steps.length === 0)
    throw new WorkflowError(`job ${job}: no steps`)
  const plans: StepPlan[] = []
  const prior = new Map<string, StepPlan>()
  for (const [index, step] of spec.steps.entries()) {
    const plan = await planStep(step, index, defaults, { ...options, workspace })
    if (plan.local && plan.local.nodeMajor !== nodeMajor) {
      throw new WorkflowError(
        `${plan.uses} runs on node${plan.local.nodeMajor}, but ${node} is Node ${nodeMajor}`
      )
    }
    const where = `step ${index + 1} (${plan.defaultName})`
    const check = (exprs: Expr[], statusFunctions = false) => {
      for (const expr of exprs)
        checkExpr(expr, { where, steps: prior, matrix: matrixKeys, statusFunctions })
    }
    check([plan.condition], true)
    for (const parts of [
      plan.name,
      plan.run?.script,
      plan.run?.workingDirectory,
      plan.continueOnError,
      plan.timeoutMinutes
    ]) {
      if (parts) check(templateExprs(parts))
    }
    for (const [, parts] of [...plan.with, ...plan.env]) check(templateExprs(parts))
    for (const [input, parts] of plan.local?.inputs ?? []) {
      for (const expr of parts ? templateExprs(parts) : []) {
        checkExpr(expr, {
          where: `${plan.uses}: default of ${input}`,
          steps: null,
          matrix: new Set(),
          statusFunctions: false
        })
      }
    }
    if (plan.id !== null) {
      if (prior.has(plan.id.toLowerCase()))
        throw new WorkflowError(`${where}: duplicate id '${plan.id}'`)
      prior.set(plan.id.toLowerCase(), plan)
    }
    plans.push(plan)
  }
  const jobTemplate = (value: Yaml | undefined, where: string): Part[] | null => {
    if (value === undefined) return null
    const source = Array.isArray(value)
      ? value.map((item) => text(item, where)).join(',')
      : text(value, where)
    const parts = parseTemplate(source, where)
    for (const expr of templateExprs(parts)) {
      checkExpr(expr, { where, steps: null, matrix: matrixKeys, statusFunctions: false })
    }
    return parts
  }
  const workflowConcurrency = isMap(workflow.concurrency)
    ? workflow.concurrency.group
    : workflow.concurrency
  const workflowGroup = jobTemplate(workflowConcurrency, 'workflow concurrency')
  const jobParts = {
    name: jobTemplate(spec.name, `job ${job}: name`),
    runsOn: jobTemplate(spec['runs-on'], `job ${job}: runs-on`),
    timeout: jobTemplate(spec['timeout-minutes'], `job ${job}: timeout-minutes`),
    concurrency: jobTemplate(
      isMap(spec.concurrency) ? spec.concurrency.group : spec.concurrency,
      `job ${job}: concurrency`
    ),
    env: [...entries(workflow.env, 'workflow env'), ...entries(spec.env, `job ${job}: env`)].map(
      ([key, value]) => [key, jobTemplate(value, `env.${key}`)!] as const
    )
  }

  const trackingId = `run-workflow-${randomUUID()}`
  const temp = path.join(os.tmpdir(), trackingId) // created once the job-level values evaluate
  const groups = new Set<number>()
  const contexts: Record<string, Value> = {
    github: {
      workflow: typeof workflow.name === 'string' ? workflow.name : path.relative(workspace, file),
      ref: 'refs/heads/main',
      workspace,
      job
    },
    runner: { os: 'Linux', arch: 'X64', temp },
    matrix,
    secrets: {},
    steps: {}
  }
  const steps = contexts.steps as Record<string, Value>
  const renderJob = (parts: Part[] | null, where: string, fallback: string): string => {
    try {
      return parts ? render(parts, { contexts, status: null }) : fallback
    } catch (error) {
      throw new WorkflowError(`${where}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  const jobName = renderJob(jobParts.name, `job ${job}: name`, job)
  const runsOn = renderJob(jobParts.runsOn, `job ${job}: runs-on`, '')
  if (!/ubuntu|linux/i.test(runsOn)) {
    throw new WorkflowError(`job ${job}: runs-on is '${runsOn}'; this runner emulates Linux only`)
  }
  renderJob(workflowGroup, 'workflow concurrency', '')
  renderJob(jobParts.concurrency, `job ${job}: concurrency`, '')
  const jobMinutes = Number(renderJob(jobParts.timeout, `job ${job}: timeout-minutes`, '360'))
  const deadline = performance.now() + (options.timeoutMs ?? jobMinutes * 60_000)

  const env: Record<string, string> = {
    ...baseEnvironment(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_WORKFLOW: String(lookup(contexts.github!, 'workflow')),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_JOB: job,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    RUNNER_TRACKING_ID: trackingId
  }
  for (const [key, parts] of jobParts.env) env[key] = renderJob(parts, `env.${key}`, '')
  await mkdir(temp)
  const pathPrefix: string[] = []
  const status: JobStatus = { failed: false, cancelled: false }
  const results: StepResult[] = []
  let cleanedUp: Leftover[]

  try {
    for (const plan of plans) {
      const started = performance.now()
      const scope: EvalScope = { contexts, status: null }
      let name = plan.defaultName
      try {
        if (plan.name) name = render(plan.name, scope)
      } catch {
        // Keep the default name, as GitHub does when a name does not evaluate.
      }
      const result: StepResult = {
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
      const finish = (): void => {
        result.durationMs = performance.now() - started
        result.annotations = annotationsOf(result.log)
        results.push(result)
        if (plan.id !== null) {
          steps[plan.id] = {
            outputs: result.outputs,
            outcome: result.outcome,
            conclusion: result.conclusion
          }
        }
        if (result.conclusion === 'failure') status.failed = true
      }
      const fail = (message: string): void => {
        result.log += `##[error]${message}\n`
        result.outcome = 'failure'
        result.conclusion = 'failure'
      }

      if (performance.now() > deadline) status.cancelled = true
      let runIt: boolean
      try {
        runIt = truthy(evaluate(plan.condition, { contexts, status }))
      } catch (error) {
        fail(`if: ${error instanceof Error ? error.message : String(error)}`)
        finish()
        continue
      }
      if (!runIt) {
        result.skipped = 'if'
        finish()
        continue
      }
      if ((plan.uses && !plan.local) || (plan.run && options.skipRun?.test(plan.run.raw.trim()))) {
        // Not run here: the workspace is already a checkout with node_modules.
        if (plan.uses?.startsWith('actions/setup-node@')) {
          const version = plan.with.find(([key]) => key === 'node-version')
          const wanted = version ? Number.parseInt(render(version[1], scope), 10) : nodeMajor
          if (wanted !== nodeMajor) {
            throw new WorkflowError(
              `${name}: the workflow sets up Node ${wanted}, but ${node} is Node ${nodeMajor}`
            )
          }
          pathPrefix.unshift(path.dirname(node))
        }
        result.skipped = 'not-run-locally'
        finish()
        continue
      }

      const files = {
        GITHUB_OUTPUT: path.join(temp, `output-${plan.index}`),
        GITHUB_ENV: path.join(temp, `env-${plan.index}`),
        GITHUB_PATH: path.join(temp, `path-${plan.index}`),
        GITHUB_STATE: path.join(temp, `state-${plan.index}`),
        GITHUB_STEP_SUMMARY: path.join(temp, `summary-${plan.index}`)
      }
      let command: string
      let args: string[]
      let cwd = workspace
      const stepEnv: Record<string, string> = { ...env }
      try {
        for (const [key, parts] of plan.env) stepEnv[key] = render(parts, scope)
        if (plan.run) {
          const script = path.join(temp, `${randomUUID()}.sh`)
          await writeFile(script, render(plan.run.script, scope))
          ;[command, ...args] = plan.run.shell.map((arg) => (arg === '{0}' ? script : arg)) as [
            string,
            ...string[]
          ]
          if (plan.run.workingDirectory)
            cwd = path.resolve(workspace, render(plan.run.workingDirectory, scope))
        } else {
          const local = plan.local!
          const given = new Map(
            plan.with.map(([key, parts]) => [key.toLowerCase(), render(parts, scope)])
          )
          for (const [input, value] of given) {
            stepEnv[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value
          }
          for (const [input, fallback] of local.inputs) {
            if (given.has(input) || fallback === null) continue
            stepEnv[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = render(fallback, scope)
          }
          const unexpected = [...given.keys()].filter((key) => !local.inputs.has(key))
          if (unexpected.length > 0) {
            // GitHub only warns, and the action then sees the input's default: a likely typo.
            const valid = [...local.inputs.keys()].map((key) => `'${key}'`).join(', ')
            result.log += `##[warning]Unexpected input(s) '${unexpected.join("', '")}', valid inputs are [${valid}]\n`
          }
          command = node
          args = [path.resolve(local.dir, local.main)]
        }
      } catch (error) {
        if (!(error instanceof EvaluationError)) throw error
        fail(`The template is not valid: ${error.message}`)
        finish()
        continue
      }
      for (const [key, file] of Object.entries(files)) {
        await writeFile(file, '')
        stepEnv[key] = file
      }
      stepEnv.PATH = [...pathPrefix, stepEnv.PATH ?? ''].join(path.delimiter)

      let timeoutMs = Math.max(deadline - performance.now(), 0)
      const stepMinutes = plan.timeoutMinutes ? Number(render(plan.timeoutMinutes, scope)) : NaN
      const stepLimited = Number.isFinite(stepMinutes) && stepMinutes * 60_000 < timeoutMs
      if (stepLimited) timeoutMs = stepMinutes * 60_000
      if (status.cancelled) timeoutMs = 10_000 // a grace period for always() steps after a timeout
      if (!existsSync(cwd)) {
        fail(`working-directory ${cwd} does not exist`)
        finish()
        continue
      }
      const ran = await exec(command, args, cwd, stepEnv, timeoutMs, groups)
      result.log += ran.log
      result.summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
      result.outcome = ran.code === 0 ? 'success' : 'failure'
      try {
        result.outputs = parseFileCommand(
          await readFile(files.GITHUB_OUTPUT, 'utf8'),
          'GITHUB_OUTPUT'
        )
        Object.assign(env, parseFileCommand(await readFile(files.GITHUB_ENV, 'utf8'), 'GITHUB_ENV'))
        const added = (await readFile(files.GITHUB_PATH, 'utf8')).split(/\r?\n/).filter(Boolean)
        pathPrefix.unshift(...added.reverse())
      } catch (error) {
        if (!(error instanceof EvaluationError)) throw error
        result.log += `##[error]${error.message}\n`
        result.outcome = 'failure'
      }
      if (ran.error !== null) result.log += `##[error]${ran.error}\n`
      else if (ran.timedOut) {
        result.log += `##[error]The ${stepLimited ? 'step' : 'job'} has exceeded its maximum execution time.\n`
        if (!stepLimited) status.cancelled = true
      } else if (ran.code !== 0) {
        result.log += `##[error]Process completed with exit code ${ran.code ?? ran.signal}.\n`
      }
      result.conclusion = result.outcome
      if (result.outcome === 'failure' && plan.continueOnError) {
        const value = render(plan.continueOnError, scope).trim()
        if (value !== 'true' && value !== 'false') {
          throw new WorkflowError(`${name}: continue-on-error is '${value}', not true or false`)
        }
        if (value === 'true') result.conclusion = 'success'
      }
      finish()
    }
  } finally {
    cleanedUp = await cleanUp(trackingId, groups)
    await rm(temp, { recursive: true, force: true })
  }
  return {
    name: jobName,
    steps: results,
    success: !status.failed && !status.cancelled,
    trackingId,
    cleanedUp
  }
}
