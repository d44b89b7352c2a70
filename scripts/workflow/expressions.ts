// `${{ }}` in workflow values, parsed and evaluated by GitHub's own engine (@actions/expressions).
// Here: finding them in a value, `if:` as GitHub reads it, the status functions, the contexts.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import { FunctionCall, type Expr } from '@actions/expressions/ast'
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info'
import { truthy } from '@actions/expressions/result'
import { checkReferences, children, type Scope } from './references.ts'
import { EvaluationError, WorkflowError, errorMessage } from './types.ts'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** An expression of the workflow, parsed and checked; `where` names its place in messages. */
export interface Expression {
  expr: Expr
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
const STATUS_FUNCTIONS: FunctionInfo[] = ['success', 'failure', 'cancelled', 'always'].map(
  (name) => ({ name, minArgs: 0, maxArgs: 0 })
)

/** Parses one expression and checks what it refers to; GitHub's schema has already allowed it. */
export function compile(source: string, scope: Scope): Expression {
  let expr: Expr
  try {
    expr = new Parser(new Lexer(source).lex().tokens, CONTEXTS, STATUS_FUNCTIONS).parse()
  } catch (error) {
    // What GitHub accepts but this parser does not is a context or function this runner lacks.
    const message = `${errorMessage(error)} (not supported by this runner)`
    throw new WorkflowError(`${scope.where}: ${message} in expression \`${source.trim()}\``)
  }
  checkReferences(expr, scope)
  return { expr, where: scope.where }
}

/** Splits a value into text and `${{ }}` expressions (a `}}` inside a 'string' does not end one). */
export function template(text: string, scope: Scope): Template {
  const parts: Template = []
  let i = 0
  for (let start = text.indexOf('${{'); start !== -1; start = text.indexOf('${{', i)) {
    let end = start + 3
    for (let quoted = false; end < text.length && (quoted || !text.startsWith('}}', end)); end++) {
      if (text[end] === "'") quoted = !quoted
    }
    if (end >= text.length) throw new WorkflowError(`${scope.where}: \`\${{\` without \`}}\``)
    parts.push(text.slice(i, start), compile(text.slice(start + 3, end), scope))
    i = end + 2
  }
  parts.push(text.slice(i))
  return parts.filter((part) => part !== '')
}

/** An `if:` (with or without `${{ }}`); without a status function it means `success() && (…)`. */
export function condition(raw: string | undefined, scope: Scope): Expression {
  let source = raw?.trim() || 'success()'
  if (source.startsWith('${{') && source.endsWith('}}') && !source.includes('${{', 3)) {
    source = source.slice(3, -2)
  } else if (source.includes('${{')) {
    throw new WorkflowError(
      `${scope.where}: mixes \${{ }} with other text; GitHub would evaluate it as a non-empty string, which is always true`
    )
  }
  const parsed = compile(source, scope)
  return hasStatusFunction(parsed.expr) ? parsed : compile(`success() && (${source})`, scope)
}

function hasStatusFunction(expr: Expr): boolean {
  const name = expr instanceof FunctionCall ? expr.functionName.lexeme.toLowerCase() : ''
  return (
    STATUS_FUNCTIONS.some((info) => info.name === name) || children(expr).some(hasStatusFunction)
  )
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
