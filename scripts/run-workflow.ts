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
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process'
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

/** A WorkflowError about one expression, quoting it. */
function expressionError(where: string, source: string, message: string): WorkflowError {
  return new WorkflowError(`${where}: ${message} in expression \`${source.trim()}\``)
}

/** Splits an expression into tokens; whitespace only separates them. */
function tokenize(source: string, where: string): Token[] {
  const fail = (message: string): never => {
    throw expressionError(where, source, message)
  }
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    if (/\s/.test(source[i]!)) {
      i++
      continue
    }
    const token = readToken(source, i, fail)
    tokens.push(token)
    i += token.text.length
  }
  return tokens
}

/** The token that starts at `source[i]` (not whitespace). */
function readToken(source: string, i: number, fail: (message: string) => never): Token {
  const c = source[i]!
  const rest = source.slice(i)
  if (PUNCT2.includes(rest.slice(0, 2)))
    return { type: 'punct', text: rest.slice(0, 2), value: null }
  if (PUNCT1.includes(c)) return { type: 'punct', text: c, value: null }
  if (c === "'") return readString(source, i, fail)
  if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
    const match = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(rest)!
    return { type: 'number', text: match[0], value: Number(match[0]) }
  }
  if (/[a-z_]/i.test(c)) {
    const match = /^[a-z_][a-z0-9_-]*/i.exec(rest)!
    return { type: 'ident', text: match[0], value: null }
  }
  if (c === '"') {
    return fail('double quotes are not string delimiters in GitHub expressions (use single quotes)')
  }
  return fail(`unsupported character '${c}'`)
}

/** The 'string' literal that starts at `source[start]`; `''` inside it is one quote. */
function readString(source: string, start: number, fail: (message: string) => never): Token {
  let j = start + 1
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
  return { type: 'string', text: source.slice(start, j + 1), value }
}

/** Parses one expression (what goes between `${{` and `}}`). */
function parseExpression(source: string, where: string): Expr {
  return new ExpressionParser(source, where).parse()
}

/**
 * A recursive-descent parser over the tokens of one expression, loosest operator first:
 * `||`, `&&`, `==` `!=`, `<` `<=` `>` `>=`, `!`, then `.name` / `[key]` after a primary.
 */
class ExpressionParser {
  private readonly tokens: Token[]
  private position = 0
  private readonly source: string
  private readonly where: string

  constructor(source: string, where: string) {
    this.source = source
    this.where = where
    this.tokens = tokenize(source, where)
  }

  /** The whole expression; tokens left over are an error. */
  parse(): Expr {
    const expr = this.or()
    if (this.position < this.tokens.length) this.fail(`unexpected '${this.peek()!.text}'`)
    return expr
  }

  private fail(message: string): never {
    throw expressionError(this.where, this.source, message)
  }

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }

  /** Consumes the punctuation `text` if it comes next. */
  private accept(text: string): boolean {
    const token = this.peek()
    if (token?.type === 'punct' && token.text === text) {
      this.position++
      return true
    }
    return false
  }

  private expect(text: string): void {
    if (!this.accept(text)) this.fail(`expected '${text}' at ${this.peek()?.text ?? 'the end'}`)
  }

  /** A left-associative chain of `next` operands joined by any of `ops`. */
  private binary(ops: BinaryOp[], next: () => Expr): Expr {
    let left = next()
    for (;;) {
      const token = this.peek()
      const op = ops.find((candidate) => token?.type === 'punct' && token.text === candidate)
      if (!op) return left
      this.position++
      left = { kind: 'binary', op, left, right: next() }
    }
  }

  private or(): Expr {
    return this.binary(['||'], () => this.and())
  }

  private and(): Expr {
    return this.binary(['&&'], () => this.equality())
  }

  private equality(): Expr {
    return this.binary(['==', '!='], () => this.comparison())
  }

  private comparison(): Expr {
    return this.binary(['<', '<=', '>', '>='], () => this.unary())
  }

  private unary(): Expr {
    return this.accept('!') ? { kind: 'not', operand: this.unary() } : this.postfix()
  }

  /** A primary followed by any number of `.name` and `[key]` lookups. */
  private postfix(): Expr {
    let object = this.primary()
    for (;;) {
      if (this.accept('.')) {
        const name = this.peek()
        if (name?.type !== 'ident') return this.fail(`expected a property name after '.'`)
        this.position++
        object = { kind: 'index', object, key: { kind: 'literal', value: name.text } }
      } else if (this.accept('[')) {
        const key = this.or()
        this.expect(']')
        object = { kind: 'index', object, key }
      } else {
        return object
      }
    }
  }

  /** A literal, a parenthesised expression, a function call or a context name. */
  private primary(): Expr {
    const token = this.peek()
    if (!token) return this.fail('unexpected end')
    this.position++
    if (token.type === 'string' || token.type === 'number') {
      return { kind: 'literal', value: token.value }
    }
    if (token.type === 'punct' && token.text === '(') {
      const inner = this.or()
      this.expect(')')
      return inner
    }
    if (token.type !== 'ident') return this.fail(`unexpected '${token.text}'`)
    if (token.text === 'true' || token.text === 'false') {
      return { kind: 'literal', value: token.text === 'true' }
    }
    if (token.text === 'null') return { kind: 'literal', value: null }
    if (this.accept('(')) return { kind: 'call', name: token.text.toLowerCase(), args: this.args() }
    return { kind: 'context', name: token.text.toLowerCase() }
  }

  /** A call's arguments, after its `(`, up to and including its `)`. */
  private args(): Expr[] {
    const args: Expr[] = []
    if (this.accept(')')) return args
    do args.push(this.or())
    while (this.accept(','))
    this.expect(')')
    return args
  }
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

/** Throws a WorkflowError for a context reference this runner cannot resolve. */
function checkChain(chain: string[], scope: CheckScope): void {
  const [root, ...rest] = chain
  const fail = (message: string): never => {
    throw new WorkflowError(`${scope.where}: ${chain.join('.')}: ${message}`)
  }
  const key = rest[0]?.toLowerCase()
  switch (root) {
    case 'steps':
      return checkStepsChain(rest, scope.steps, fail)
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

/** Checks `steps.<id>.…` (given without `steps`) against the steps that run before this point. */
function checkStepsChain(
  rest: string[],
  steps: Map<string, StepPlan> | null,
  fail: (message: string) => never
): void {
  if (!steps) return fail('the steps context is not available here')
  const [id, field, output, ...extra] = rest
  const step = id === undefined ? undefined : steps.get(id.toLowerCase())
  if (!step) {
    const known = [...steps.values()].map((plan) => plan.id).join(', ') || 'none'
    return fail(`no step with this id runs before this point (ids so far: ${known})`)
  }
  const lower = field?.toLowerCase()
  if ((lower === 'outcome' || lower === 'conclusion') && output === undefined) return
  if (lower !== 'outputs' || output === undefined || extra.length > 0) {
    return fail('only steps.<id>.outputs.<name>, .outcome and .conclusion are supported')
  }
  const declared = step.local?.outputs
  if (declared && !declared.has(output.toLowerCase())) {
    fail(`${step.uses} declares no output '${output}' (it declares ${[...declared].join(', ')})`)
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

/** Calls an expression function on evaluated arguments (names and arity were checked up front). */
function call(name: string, args: Value[], scope: EvalScope): Value {
  if (STATUS_FUNCTIONS.has(name)) return statusValue(name, scope.status)
  const [a = null, b = null] = args
  switch (name) {
    case 'fromjson':
      return fromJsonValue(a)
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
    case 'format':
      return formatText(a, args.slice(1))
    case 'join':
      return joinText(a, args.length > 1 ? b : undefined)
    default:
      throw new EvaluationError(`unknown function ${name}()`)
  }
}

/** success(), failure(), always() or cancelled(); `status` is null outside if:. */
function statusValue(name: string, status: JobStatus | null): boolean {
  if (!status) throw new EvaluationError(`${name}() outside if:`)
  if (name === 'success') return !status.failed && !status.cancelled
  if (name === 'failure') return status.failed
  if (name === 'cancelled') return status.cancelled
  return true
}

/** fromJSON(): an invalid document fails the step that evaluates it. */
function fromJsonValue(value: Value): Value {
  const text = toText(value, 'the argument of fromJSON()')
  try {
    return JSON.parse(text) as Value
  } catch (error) {
    throw new EvaluationError(`fromJSON(${JSON.stringify(text)}): ${errorMessage(error)}`)
  }
}

/** format(): `{N}` is argument N, `{{` and `}}` are literal braces. */
function formatText(template: Value, args: Value[]): string {
  const values = args.map((value) => toText(value, 'format()'))
  return toText(template, 'format()').replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index?: string) => {
    if (match === '{{') return '{'
    if (match === '}}') return '}'
    const value = values[Number(index)]
    if (value === undefined) throw new EvaluationError(`format(): no argument ${index}`)
    return value
  })
}

/** join(): an array's items between separators (',' unless given); any other value as text. */
function joinText(value: Value, separator: Value | undefined): string {
  const between = separator === undefined ? ',' : toText(separator, 'join()')
  return Array.isArray(value)
    ? value.map((item) => toText(item, 'join()')).join(between)
    : toText(value, 'join()')
}

/** The message of anything thrown. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
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

/** What a `run:` step runs. */
interface RunPlan {
  /** The script as written, before expressions are substituted. */
  raw: string
  script: Part[]
  /** The shell's command line; `{0}` stands for the script file. */
  shell: string[]
  workingDirectory: Part[] | null
}

/** One step, read and checked before the job starts. */
interface StepPlan {
  index: number
  id: string | null
  name: Part[] | null
  defaultName: string
  condition: Expr
  uses: string | null
  local: LocalAction | null
  run: RunPlan | null
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

/** Reads one step of the job and checks its keys; a local action's manifest is read too. */
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
  const plan = commonPlan(step, index, id, label)
  if ((step.uses === undefined) === (step.run === undefined)) {
    throw new WorkflowError(`${label}: needs exactly one of uses: and run:`)
  }
  if (step.run !== undefined) {
    plan.run = planRun(step, label, defaults)
    plan.defaultName = `Run ${plan.run.raw.trim().split('\n')[0] ?? ''}`
    return plan
  }
  const uses = text(step.uses, `${label}: uses`)
  plan.uses = uses
  plan.defaultName = `Run ${uses}`
  plan.local = await planUses(step, uses, label, options)
  return plan
}

/** The parts of a step's plan that `run:` and `uses:` steps share. */
function commonPlan(
  step: Record<string, Yaml>,
  index: number,
  id: string | null,
  label: string
): StepPlan {
  const template = (key: string): Part[] | null =>
    step[key] === undefined
      ? null
      : parseTemplate(text(step[key], `${label}: ${key}`), `${label}: ${key}`)
  const templates = (key: 'with' | 'env'): [string, Part[]][] =>
    entries(step[key], `${label}: ${key}`).map(([name, value]) => [
      name,
      parseTemplate(value, `${label}: ${key}.${name}`)
    ])
  return {
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
    with: templates('with'),
    env: templates('env'),
    continueOnError: template('continue-on-error'),
    timeoutMinutes: template('timeout-minutes')
  }
}

/** A `run:` step's script, shell and working directory (the step's, else the defaults'). */
function planRun(
  step: Record<string, Yaml>,
  label: string,
  defaults: Record<string, string>
): RunPlan {
  const raw = text(step.run, `${label}: run`)
  if (step.with !== undefined) throw new WorkflowError(`${label}: with: needs uses:`)
  const shell =
    step.shell === undefined ? (defaults.shell ?? null) : text(step.shell, `${label}: shell`)
  const workingDirectory =
    step['working-directory'] === undefined
      ? (defaults['working-directory'] ?? null)
      : text(step['working-directory'], `${label}: working-directory`)
  return {
    raw,
    script: parseTemplate(raw, `${label}: run`),
    shell: shellCommand(shell, label),
    workingDirectory:
      workingDirectory === null
        ? null
        : parseTemplate(workingDirectory, `${label}: working-directory`)
  }
}

/** A `uses:` step's local action, or null for a remote one that options.skipUses lets through. */
async function planUses(
  step: Record<string, Yaml>,
  uses: string,
  label: string,
  options: JobOptions
): Promise<LocalAction | null> {
  if (step.shell !== undefined || step['working-directory'] !== undefined) {
    throw new WorkflowError(`${label}: shell: and working-directory: need run:`)
  }
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
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    if (child.pid !== undefined) groups.add(child.pid)
    const output = { log: '', timedOut: false }
    let settled = false
    const settle = (code: number | null, signal: NodeJS.Signals | null, error: string | null) => {
      if (settled) return
      settled = true
      resolve({ code, signal, log: output.log, error, timedOut: output.timedOut })
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.log += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.log += chunk))
    const timer = setTimeout(() => {
      output.timedOut = true
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL')
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      settle(null, null, error.message)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      void releaseOutput(child, output).then(() => settle(code, signal, null))
    })
  })
}

/** After the step's process exits, reads what is left of its output, for at most 500 ms. */
async function releaseOutput(
  child: ChildProcessByStdio<null, Readable, Readable>,
  output: { log: string }
): Promise<void> {
  // The step is over when its process exits. A background process that inherited stdout or
  // stderr keeps them open: read what is there, then let go of them.
  const streams = Promise.all([closed(child.stdout), closed(child.stderr)]).then(() => true)
  const drained = await Promise.race([streams, delay(500).then(() => false)])
  if (drained) return
  output.log +=
    "\n##[warning]A background process still holds this step's output; it is no longer read.\n"
  child.stdout.destroy()
  child.stderr.destroy()
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

/** What a job runs with, settled before anything runs. */
interface JobSetup {
  file: string
  job: string
  /** options.workspace, resolved. */
  workspace: string
  options: JobOptions
  matrix: Record<string, string>
  matrixKeys: Set<string>
  node: string
  nodeMajor: number
}

/** The job-level values, parsed and checked before any step runs. */
interface JobTemplates {
  workflowGroup: Part[] | null
  name: Part[] | null
  runsOn: Part[] | null
  timeout: Part[] | null
  concurrency: Part[] | null
  env: (readonly [string, Part[]])[]
}

/** A running job: its setup, and what its steps have changed so far. */
interface JobState {
  setup: JobSetup
  /** The RUNNER_TRACKING_ID every process of the job inherits. */
  trackingId: string
  temp: string
  /** performance.now() when the job's time is up. */
  deadline: number
  /** The process groups of the job's steps. */
  groups: Set<number>
  contexts: Record<string, Value>
  /** contexts.steps, which each step with an id adds to. */
  steps: Record<string, Value>
  /** The job's environment, which GITHUB_ENV adds to. */
  env: Record<string, string>
  /** What GITHUB_PATH and a skipped setup-node put before PATH, the latest first. */
  pathPrefix: string[]
  status: JobStatus
  results: StepResult[]
}

/** A step's process, ready to start. */
interface Command {
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
}

/** Runs one job of a workflow file locally (see the top of this file for what is supported). */
export async function runWorkflowJob(
  file: string,
  job: string,
  options: JobOptions
): Promise<JobResult> {
  const { workflow, spec } = await readJob(file, job)
  const setup = jobSetup(file, job, spec, options)
  // Read and check everything before running anything.
  const plans = await planSteps(workflow, spec, setup)
  const { name, state } = await startJob(workflow, jobTemplates(workflow, spec, setup), setup)
  let cleanedUp: Leftover[]
  try {
    for (const plan of plans) await runStep(state, plan)
  } finally {
    cleanedUp = await cleanUp(state.trackingId, state.groups)
    await rm(state.temp, { recursive: true, force: true })
  }
  return {
    name,
    steps: state.results,
    success: !state.status.failed && !state.status.cancelled,
    trackingId: state.trackingId,
    cleanedUp
  }
}

/** Evaluates the job-level values, then creates the job's temp dir: the first step can run. */
async function startJob(
  workflow: Record<string, Yaml>,
  templates: JobTemplates,
  setup: JobSetup
): Promise<{ name: string; state: JobState }> {
  const trackingId = `run-workflow-${randomUUID()}`
  const temp = path.join(os.tmpdir(), trackingId) // created once the job-level values evaluate
  const contexts = jobContexts(workflow, setup, temp)
  const { name, deadline } = evaluateJob(templates, contexts, setup)
  const env = jobEnvironment(setup, contexts, templates.env, temp, trackingId)
  await mkdir(temp)
  const state: JobState = {
    setup,
    trackingId,
    temp,
    deadline,
    groups: new Set(),
    contexts,
    steps: contexts.steps as Record<string, Value>,
    env,
    pathPrefix: [],
    status: { failed: false, cancelled: false },
    results: []
  }
  return { name, state }
}

/** The workflow file, and the job's mapping in it with its keys checked. */
async function readJob(
  file: string,
  job: string
): Promise<{ workflow: Record<string, Yaml>; spec: Record<string, Yaml> }> {
  const workflow: unknown = parseYaml(await readFile(file, 'utf8'), { schema: 'failsafe' })
  if (!isMap(workflow) || !isMap(workflow.jobs)) throw new WorkflowError(`${file}: no jobs:`)
  const spec = workflow.jobs[job]
  if (!isMap(spec)) throw new WorkflowError(`${file}: no job '${job}'`)
  checkKeys(spec, JOB_KEYS, `job ${job}`)
  return { workflow, spec }
}

/** The workspace, the matrix combination and the node binary the job runs with. */
function jobSetup(
  file: string,
  job: string,
  spec: Record<string, Yaml>,
  options: JobOptions
): JobSetup {
  const workspace = path.resolve(options.workspace)
  const matrix = resolveMatrix(spec.strategy, options.matrix ?? {})
  const node = options.node ?? process.execPath
  const matrixKeys = new Set(Object.keys(matrix))
  return { file, job, workspace, options, matrix, matrixKeys, node, nodeMajor: nodeMajorOf(node) }
}

/** Plans every step and checks each one's expressions against the steps before it. */
async function planSteps(
  workflow: Record<string, Yaml>,
  spec: Record<string, Yaml>,
  setup: JobSetup
): Promise<StepPlan[]> {
  const { job, node, nodeMajor } = setup
  const defaults = {
    ...defaultsRun(workflow.defaults, 'workflow'),
    ...defaultsRun(spec.defaults, `job ${job}`)
  }
  if (!Array.isArray(spec.steps) || spec.steps.length === 0)
    throw new WorkflowError(`job ${job}: no steps`)
  const plans: StepPlan[] = []
  const prior = new Map<string, StepPlan>()
  for (const [index, step] of spec.steps.entries()) {
    const options = { ...setup.options, workspace: setup.workspace }
    const plan = await planStep(step, index, defaults, options)
    if (plan.local && plan.local.nodeMajor !== nodeMajor) {
      throw new WorkflowError(
        `${plan.uses} runs on node${plan.local.nodeMajor}, but ${node} is Node ${nodeMajor}`
      )
    }
    checkStep(plan, prior, setup.matrixKeys)
    if (plan.id !== null) {
      if (prior.has(plan.id.toLowerCase()))
        throw new WorkflowError(`${stepWhere(plan)}: duplicate id '${plan.id}'`)
      prior.set(plan.id.toLowerCase(), plan)
    }
    plans.push(plan)
  }
  return plans
}

/** How errors about a planned step name it. */
function stepWhere(plan: StepPlan): string {
  return `step ${plan.index + 1} (${plan.defaultName})`
}

/** Checks every expression of a step; `prior` holds the steps that run before it, by id. */
function checkStep(plan: StepPlan, prior: Map<string, StepPlan>, matrixKeys: Set<string>): void {
  const where = stepWhere(plan)
  const check = (exprs: Expr[], statusFunctions = false): void => {
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
}

/** Parses and checks the job-level values: name, runs-on, timeout, concurrency groups, env. */
function jobTemplates(
  workflow: Record<string, Yaml>,
  spec: Record<string, Yaml>,
  setup: JobSetup
): JobTemplates {
  const { job, matrixKeys } = setup
  const template = (value: Yaml | undefined, where: string): Part[] | null =>
    jobTemplate(value, where, matrixKeys)
  const group = (value: Yaml | undefined): Yaml | undefined => (isMap(value) ? value.group : value)
  return {
    workflowGroup: template(group(workflow.concurrency), 'workflow concurrency'),
    name: template(spec.name, `job ${job}: name`),
    runsOn: template(spec['runs-on'], `job ${job}: runs-on`),
    timeout: template(spec['timeout-minutes'], `job ${job}: timeout-minutes`),
    concurrency: template(group(spec.concurrency), `job ${job}: concurrency`),
    env: [...entries(workflow.env, 'workflow env'), ...entries(spec.env, `job ${job}: env`)].map(
      ([key, value]) => [key, template(value, `env.${key}`)!] as const
    )
  }
}

/** Parses and checks one job-level value; a list (as runs-on may be) is joined with commas. */
function jobTemplate(
  value: Yaml | undefined,
  where: string,
  matrixKeys: Set<string>
): Part[] | null {
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

/** The contexts expressions see when the job starts. */
function jobContexts(
  workflow: Record<string, Yaml>,
  setup: JobSetup,
  temp: string
): Record<string, Value> {
  const { file, job, workspace } = setup
  return {
    github: {
      workflow: typeof workflow.name === 'string' ? workflow.name : path.relative(workspace, file),
      ref: 'refs/heads/main',
      workspace,
      job
    },
    runner: { os: 'Linux', arch: 'X64', temp },
    matrix: setup.matrix,
    secrets: {},
    steps: {}
  }
}

/** Renders a job-level value; it cannot fail a step, so a failure is the workflow's error. */
function renderJobValue(
  parts: Part[] | null,
  contexts: Record<string, Value>,
  where: string,
  fallback: string
): string {
  try {
    return parts ? render(parts, { contexts, status: null }) : fallback
  } catch (error) {
    throw new WorkflowError(`${where}: ${errorMessage(error)}`)
  }
}

/** Evaluates the job-level values; returns the job's name and when its time is up. */
function evaluateJob(
  templates: JobTemplates,
  contexts: Record<string, Value>,
  setup: JobSetup
): { name: string; deadline: number } {
  const { job } = setup
  const name = renderJobValue(templates.name, contexts, `job ${job}: name`, job)
  const runsOn = renderJobValue(templates.runsOn, contexts, `job ${job}: runs-on`, '')
  if (!/ubuntu|linux/i.test(runsOn)) {
    throw new WorkflowError(`job ${job}: runs-on is '${runsOn}'; this runner emulates Linux only`)
  }
  // Only to reject a group that does not evaluate: the one local job needs no queue.
  renderJobValue(templates.workflowGroup, contexts, 'workflow concurrency', '')
  renderJobValue(templates.concurrency, contexts, `job ${job}: concurrency`, '')
  const timeout = templates.timeout
  const minutes = Number(renderJobValue(timeout, contexts, `job ${job}: timeout-minutes`, '360'))
  return { name, deadline: performance.now() + (setup.options.timeoutMs ?? minutes * 60_000) }
}

/** The environment every step starts from: a runner's, then the workflow's and the job's env. */
function jobEnvironment(
  setup: JobSetup,
  contexts: Record<string, Value>,
  templates: JobTemplates['env'],
  temp: string,
  trackingId: string
): Record<string, string> {
  const env: Record<string, string> = {
    ...baseEnvironment(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: setup.workspace,
    GITHUB_WORKFLOW: String(lookup(contexts.github!, 'workflow')),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_JOB: setup.job,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    RUNNER_TRACKING_ID: trackingId
  }
  for (const [key, parts] of templates) env[key] = renderJobValue(parts, contexts, `env.${key}`, '')
  return env
}

// ---------------------------------------------------------------------------------------------
// One step

/** Runs one step, or records why it did not run, and adds its result to the job. */
async function runStep(job: JobState, plan: StepPlan): Promise<void> {
  const started = performance.now()
  const scope: EvalScope = { contexts: job.contexts, status: null }
  const result = newResult(plan, stepName(plan, scope))
  await attemptStep(job, plan, scope, result)
  result.durationMs = performance.now() - started
  result.annotations = annotationsOf(result.log)
  job.results.push(result)
  if (plan.id !== null) {
    job.steps[plan.id] = {
      outputs: result.outputs,
      outcome: result.outcome,
      conclusion: result.conclusion
    }
  }
  if (result.conclusion === 'failure') job.status.failed = true
}

/** The step's display name; GitHub keeps the default when `name:` does not evaluate. */
function stepName(plan: StepPlan, scope: EvalScope): string {
  try {
    return plan.name ? render(plan.name, scope) : plan.defaultName
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
async function attemptStep(
  job: JobState,
  plan: StepPlan,
  scope: EvalScope,
  result: StepResult
): Promise<void> {
  if (performance.now() > job.deadline) job.status.cancelled = true
  if (!conditionHolds(job, plan, result)) return
  if (skippedLocally(job, plan, scope, result.name)) {
    result.skipped = 'not-run-locally'
    return
  }
  const command = await prepareCommand(job, plan, scope, result)
  if (command) await runCommand(job, plan, scope, command, result)
}

/** Evaluates the step's `if:`; a false condition or one that fails to evaluate is recorded. */
function conditionHolds(job: JobState, plan: StepPlan, result: StepResult): boolean {
  let holds: boolean
  try {
    holds = truthy(evaluate(plan.condition, { contexts: job.contexts, status: job.status }))
  } catch (error) {
    failStep(result, `if: ${errorMessage(error)}`)
    return false
  }
  if (!holds) result.skipped = 'if'
  return holds
}

/** Whether options leave the step out; a skipped setup-node still puts its node on PATH. */
function skippedLocally(job: JobState, plan: StepPlan, scope: EvalScope, name: string): boolean {
  const { options } = job.setup
  if (!((plan.uses && !plan.local) || (plan.run && options.skipRun?.test(plan.run.raw.trim())))) {
    return false
  }
  // Not run here: the workspace is already a checkout with node_modules.
  if (plan.uses?.startsWith('actions/setup-node@')) setUpNode(job, plan, scope, name)
  return true
}

/** What a skipped actions/setup-node would do: check the version, put the node on PATH. */
function setUpNode(job: JobState, plan: StepPlan, scope: EvalScope, name: string): void {
  const { node, nodeMajor } = job.setup
  const version = plan.with.find(([key]) => key === 'node-version')
  const wanted = version ? Number.parseInt(render(version[1], scope), 10) : nodeMajor
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
  scope: EvalScope,
  result: StepResult
): Promise<Command | null> {
  const env: Record<string, string> = { ...job.env }
  try {
    for (const [key, parts] of plan.env) env[key] = render(parts, scope)
    if (plan.run) return { ...(await scriptCommand(job, plan.run, scope)), env }
    const local = plan.local!
    setInputs(local, plan.with, scope, env, result)
    return {
      command: job.setup.node,
      args: [path.resolve(local.dir, local.main)],
      cwd: job.setup.workspace,
      env
    }
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error
    failStep(result, `The template is not valid: ${error.message}`)
    return null
  }
}

/** Writes a `run:` script to a file and returns the shell command line that runs it. */
async function scriptCommand(
  job: JobState,
  run: RunPlan,
  scope: EvalScope
): Promise<Omit<Command, 'env'>> {
  const { workspace } = job.setup
  const script = path.join(job.temp, `${randomUUID()}.sh`)
  await writeFile(script, render(run.script, scope))
  const [command, ...args] = run.shell.map((arg) => (arg === '{0}' ? script : arg)) as [
    string,
    ...string[]
  ]
  const cwd = run.workingDirectory
    ? path.resolve(workspace, render(run.workingDirectory, scope))
    : workspace
  return { command, args, cwd }
}

/** Sets INPUT_* for a local action: the `with:` values, then the defaults of the rest. */
function setInputs(
  local: LocalAction,
  withParts: [string, Part[]][],
  scope: EvalScope,
  env: Record<string, string>,
  result: StepResult
): void {
  const variable = (input: string): string => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`
  const given = new Map(withParts.map(([key, parts]) => [key.toLowerCase(), render(parts, scope)]))
  for (const [input, value] of given) env[variable(input)] = value
  for (const [input, fallback] of local.inputs) {
    if (given.has(input) || fallback === null) continue
    env[variable(input)] = render(fallback, scope)
  }
  const unexpected = [...given.keys()].filter((key) => !local.inputs.has(key))
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
  scope: EvalScope,
  command: Command,
  result: StepResult
): Promise<void> {
  const files = await fileCommands(job.temp, plan.index, command.env)
  command.env.PATH = [...job.pathPrefix, command.env.PATH ?? ''].join(path.delimiter)
  const { timeoutMs, stepLimited } = stepTimeout(job, plan, scope)
  if (!existsSync(command.cwd)) {
    failStep(result, `working-directory ${command.cwd} does not exist`)
    return
  }
  const { cwd, env } = command
  const ran = await exec(command.command, command.args, cwd, env, timeoutMs, job.groups)
  result.log += ran.log
  result.summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
  result.outcome = ran.code === 0 ? 'success' : 'failure'
  await readFileCommands(job, files, result)
  reportExit(job, ran, stepLimited, result)
  result.conclusion = result.outcome
  if (result.outcome === 'failure' && plan.continueOnError) {
    continueOnError(plan.continueOnError, scope, result)
  }
}

/** Creates the step's empty file-command files and points `env` at them. */
async function fileCommands(
  temp: string,
  index: number,
  env: Record<string, string>
): Promise<Record<'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_STEP_SUMMARY', string>> {
  const files = {
    GITHUB_OUTPUT: path.join(temp, `output-${index}`),
    GITHUB_ENV: path.join(temp, `env-${index}`),
    GITHUB_PATH: path.join(temp, `path-${index}`),
    GITHUB_STATE: path.join(temp, `state-${index}`),
    GITHUB_STEP_SUMMARY: path.join(temp, `summary-${index}`)
  }
  for (const [key, file] of Object.entries(files)) {
    await writeFile(file, '')
    env[key] = file
  }
  return files
}

/** How long the step may run: what is left of the job, or its own timeout-minutes if shorter. */
function stepTimeout(
  job: JobState,
  plan: StepPlan,
  scope: EvalScope
): { timeoutMs: number; stepLimited: boolean } {
  let timeoutMs = Math.max(job.deadline - performance.now(), 0)
  const stepMinutes = plan.timeoutMinutes ? Number(render(plan.timeoutMinutes, scope)) : NaN
  const stepLimited = Number.isFinite(stepMinutes) && stepMinutes * 60_000 < timeoutMs
  if (stepLimited) timeoutMs = stepMinutes * 60_000
  if (job.status.cancelled) timeoutMs = 10_000 // a grace period for always() steps after a timeout
  return { timeoutMs, stepLimited }
}

/** Reads back GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH; a malformed file fails the step. */
async function readFileCommands(
  job: JobState,
  files: Record<'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_PATH', string>,
  result: StepResult
): Promise<void> {
  try {
    result.outputs = parseFileCommand(await readFile(files.GITHUB_OUTPUT, 'utf8'), 'GITHUB_OUTPUT')
    Object.assign(job.env, parseFileCommand(await readFile(files.GITHUB_ENV, 'utf8'), 'GITHUB_ENV'))
    const added = (await readFile(files.GITHUB_PATH, 'utf8')).split(/\r?\n/).filter(Boolean)
    job.pathPrefix.unshift(...added.reverse())
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error
    result.log += `##[error]${error.message}\n`
    result.outcome = 'failure'
  }
}

/** Logs why the process ended, as the runner does; a job timeout cancels the job. */
function reportExit(job: JobState, ran: Exec, stepLimited: boolean, result: StepResult): void {
  if (ran.error !== null) result.log += `##[error]${ran.error}\n`
  else if (ran.timedOut) {
    result.log += `##[error]The ${stepLimited ? 'step' : 'job'} has exceeded its maximum execution time.\n`
    if (!stepLimited) job.status.cancelled = true
  } else if (ran.code !== 0) {
    result.log += `##[error]Process completed with exit code ${ran.code ?? ran.signal}.\n`
  }
}

/** Applies `continue-on-error` to a failed step; anything but true or false is the workflow's error. */
function continueOnError(parts: Part[], scope: EvalScope, result: StepResult): void {
  const value = render(parts, scope).trim()
  if (value !== 'true' && value !== 'false') {
    throw new WorkflowError(`${result.name}: continue-on-error is '${value}', not true or false`)
  }
  if (value === 'true') result.conclusion = 'success'
}
