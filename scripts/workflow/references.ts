// What an expression may refer to. GitHub's schema says which contexts a place allows; this
// runner knows only some of their keys, so each reference is resolved before the job starts
// (a later step's id, an undeclared output, an unset github.* value) rather than read as ''.
import { data } from '@actions/expressions'
import * as ast from '@actions/expressions/ast'
import { WorkflowError } from './types.ts'

/** A step an expression may read (steps.<id>.…); `local` declares its outputs. */
export interface StepRef {
  id: string | null
  uses: string | null
  local: { outputs: ReadonlySet<string> } | null
}

/** Where an expression is, and what it may refer to there. */
export interface Scope {
  where: string
  /** The steps that run before this point, by lower-case id. */
  steps: ReadonlyMap<string, StepRef>
  matrix: ReadonlySet<string>
}

const KNOWN_KEYS: Record<string, string[]> = {
  github: ['workflow', 'ref', 'workspace', 'job'],
  runner: ['os', 'arch', 'temp']
}

/** The operands of an expression node. */
export function children(expr: ast.Expr): ast.Expr[] {
  if (expr instanceof ast.IndexAccess) return [expr.expr, expr.index]
  if (expr instanceof ast.FunctionCall || expr instanceof ast.Logical) return expr.args
  if (expr instanceof ast.Binary) return [expr.left, expr.right]
  if (expr instanceof ast.Unary) return [expr.expr]
  if (expr instanceof ast.Grouping) return [expr.group]
  return []
}

/** `steps.upload.outputs.count` → ['steps', 'upload', 'outputs', 'count']; null if not such a chain. */
function chain(expr: ast.Expr): string[] | null {
  if (expr instanceof ast.ContextAccess) return [expr.name.lexeme.toLowerCase()]
  if (!(expr instanceof ast.IndexAccess) || !(expr.index instanceof ast.Literal)) return null
  if (expr.index.literal.kind !== data.Kind.String) return null
  const base = chain(expr.expr)
  return base && [...base, expr.index.literal.coerceString()]
}

/** Throws a WorkflowError for a context reference this runner cannot resolve here. */
export function checkReferences(expr: ast.Expr, scope: Scope): void {
  const names = chain(expr)
  if (names) return checkChain(names, scope)
  const base = expr instanceof ast.IndexAccess && chain(expr.expr)
  if (base) {
    throw new WorkflowError(
      `${scope.where}: a computed index into ${base.join('.')} is not supported`
    )
  }
  for (const child of children(expr)) checkReferences(child, scope)
}

function checkChain(names: string[], scope: Scope): void {
  const [root = '', ...rest] = names
  const fail = (message: string): never => {
    throw new WorkflowError(`${scope.where}: ${names.join('.')}: ${message}`)
  }
  const key = rest[0]?.toLowerCase() ?? ''
  const known = KNOWN_KEYS[root]
  if (known && (rest.length !== 1 || !known.includes(key))) {
    fail(`this runner knows only ${known.map((name) => `${root}.${name}`).join(', ')}`)
  }
  if (root === 'matrix' && (rest.length !== 1 || !scope.matrix.has(key))) {
    fail(`not a key of this job's matrix (${[...scope.matrix].join(', ') || 'no matrix'})`)
  }
  if (root === 'secrets' && rest.length !== 1) fail('use secrets.<NAME>')
  if (root === 'steps') checkStep(rest, scope.steps, fail)
}

/** Checks `steps.<id>.…` (given without `steps`) against the steps that run before this point. */
function checkStep(
  rest: string[],
  steps: ReadonlyMap<string, StepRef>,
  fail: (message: string) => never
): void {
  const [id = '', field, output, ...extra] = rest
  const step = steps.get(id.toLowerCase())
  if (!step) {
    const known = [...steps.values()].map((ref) => ref.id).join(', ') || 'none'
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
