// `${{ }}` in workflow values, parsed and evaluated by GitHub's own engine (@actions/expressions).
// Here: finding them in a value, the contexts and keys this runner sets, the status functions.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import * as ast from '@actions/expressions/ast'
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info'
import { truthy } from '@actions/expressions/result'
import { EvaluationError, WorkflowError, errorMessage } from './types.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** An expression of the workflow, parsed and checked; `where` names its place in messages. */
export interface Expression {
  expr: ast.Expr
  where: string
}

/** A workflow value: its text and its expressions, in order. */
export type Template = (string | Expression)[]

/** What an evaluation reads: the contexts, and the job's status for the status functions. */
export interface EvalScope {
  contexts: Record<string, Json>
  status: { failed: boolean; cancelled: boolean }
}

const CONTEXTS = ['github', 'runner', 'matrix', 'secrets', 'steps']
/** Of these contexts GitHub sets more keys than this runner does; another key would read as ''. */
const KNOWN_KEYS: Record<string, string[]> = {
  github: ['workflow', 'ref', 'workspace', 'job'],
  runner: ['os', 'arch', 'temp']
}
const STATUS_FUNCTIONS: FunctionInfo[] = ['success', 'failure', 'cancelled', 'always'].map(
  (name) => ({ name, minArgs: 0, maxArgs: 0 })
)

/** Parses one expression and checks its github.* and runner.* keys; GitHub's schema allowed it. */
export function compile(source: string, where: string): Expression {
  let expr: ast.Expr
  try {
    expr = new Parser(new Lexer(source).lex().tokens, CONTEXTS, STATUS_FUNCTIONS).parse()
  } catch (error) {
    // What GitHub accepts but this parser does not is a context or function this runner lacks.
    const message = `${errorMessage(error)} (not supported by this runner)`
    throw new WorkflowError(`${where}: ${message} in expression \`${source.trim()}\``)
  }
  checkKeys(expr, where)
  return { expr, where }
}

/** Throws a WorkflowError for a github.* or runner.* key this runner does not set. */
function checkKeys(expr: ast.Expr, where: string): void {
  const [base, index] = expr instanceof ast.IndexAccess ? [expr.expr, expr.index] : [expr, null]
  const root = base instanceof ast.ContextAccess ? base.name.lexeme.toLowerCase() : ''
  const known = KNOWN_KEYS[root]
  if (!known) {
    for (const child of children(expr)) checkKeys(child, where)
    return
  }
  const key = index instanceof ast.Literal ? index.literal.coerceString() : '*'
  if (!known.includes(key.toLowerCase())) {
    const list = known.map((name) => `${root}.${name}`).join(', ')
    throw new WorkflowError(`${where}: ${root}.${key}: this runner knows only ${list}`)
  }
}

/** The operands of an expression node. */
function children(expr: ast.Expr): ast.Expr[] {
  if (expr instanceof ast.IndexAccess) return [expr.expr, expr.index]
  if (expr instanceof ast.FunctionCall || expr instanceof ast.Logical) return expr.args
  if (expr instanceof ast.Binary) return [expr.left, expr.right]
  if (expr instanceof ast.Unary) return [expr.expr]
  if (expr instanceof ast.Grouping) return [expr.group]
  return []
}

/** Splits a value into text and `${{ }}` expressions (a `}}` inside a 'string' does not end one). */
export function template(text: string, where: string): Template {
  const parts: Template = []
  let i = 0
  for (let start = text.indexOf('${{'); start !== -1; start = text.indexOf('${{', i)) {
    let end = start + 3
    for (let quoted = false; end < text.length && (quoted || !text.startsWith('}}', end)); end++) {
      if (text[end] === "'") quoted = !quoted
    }
    if (end >= text.length) throw new WorkflowError(`${where}: \`\${{\` without \`}}\``)
    parts.push(text.slice(i, start), compile(text.slice(start + 3, end), where))
    i = end + 2
  }
  parts.push(text.slice(i))
  return parts.filter((part) => part !== '')
}

/** Whether a condition holds, by GitHub's truthiness. */
export function holds(expression: Expression, scope: EvalScope): boolean {
  return truthy(evaluate(expression, scope))
}

/** A value's text: the text as written, each expression's value coerced as GitHub does. */
export function render(parts: Template, scope: EvalScope): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part
      const value = evaluate(part, scope)
      if (value.primitive) return value.coerceString()
      const kind = value.kind === data.Kind.Array ? 'an array' : 'an object'
      throw new EvaluationError(`${part.where}: the value is ${kind}, not text (use toJSON())`)
    })
    .join('')
}

function evaluate(expression: Expression, scope: EvalScope): data.ExpressionData {
  const contexts = JSON.parse(JSON.stringify(scope.contexts), data.reviver) as data.Dictionary
  try {
    return new Evaluator(expression.expr, contexts, statusFunctions(scope.status)).evaluate()
  } catch (error) {
    throw new EvaluationError(`${expression.where}: ${errorMessage(error)}`)
  }
}

/** success(), failure(), cancelled() and always() on the job's status so far. */
function statusFunctions(status: EvalScope['status']): Map<string, FunctionDefinition> {
  const { failed, cancelled } = status
  const values = [!failed && !cancelled, failed, cancelled, true]
  const call = (value: boolean) => (): data.BooleanData => new data.BooleanData(value)
  return new Map(
    STATUS_FUNCTIONS.map((info, i) => [info.name, { ...info, call: call(values[i]!) }])
  )
}
