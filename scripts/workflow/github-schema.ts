// The workflow checked as GitHub checks it, by @actions/workflow-parser: its schema (keys, types,
// which contexts and functions each place allows, expression syntax) and its rules for ids.
// Whatever GitHub would reject is refused here too, with GitHub's message. The parser also gives
// each step's `if:` as GitHub reads it: `success() && (…)` unless it calls a status function.
import { registerHooks } from 'node:module'
import type { WorkflowTemplate } from '@actions/workflow-parser'
import { WorkflowError } from './types.ts'

// The package imports its JSON schemas without `with { type: 'json' }`, which Node refuses
// (actions/languageservices#387): add the attribute for its JSON files, then load it.
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context)
    const own =
      resolved.url.includes('/@actions/workflow-parser/') && resolved.url.endsWith('.json')
    return own ? { ...resolved, importAttributes: { type: 'json' } } : resolved
  }
})
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } =
  await import('@actions/workflow-parser')

/** Throws a WorkflowError with GitHub's messages when GitHub would not run this workflow. */
export async function validateWorkflow(name: string, content: string): Promise<WorkflowTemplate> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  // The conversion adds GitHub's checks the schema cannot express, e.g. of step ids.
  const workflow = parsed.value && (await convertWorkflowTemplate(parsed.context, parsed.value))
  const errors = parsed.context.errors.getErrors().map((error) => error.message)
  if (errors.length > 0 || !workflow) {
    throw new WorkflowError(`GitHub rejects this workflow: ${errors.join('; ')}`)
  }
  return workflow
}

/** The `if:` of each step of a job, as GitHub evaluates it. */
export function stepConditions(workflow: WorkflowTemplate, job: string): string[] {
  const found = workflow.jobs.find((candidate) => candidate.id.value === job)
  const steps = found && 'steps' in found ? found.steps : []
  return steps.map((step) => step.if?.expression ?? 'success()')
}
