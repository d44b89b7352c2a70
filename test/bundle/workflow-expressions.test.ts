// `${{ }}` expressions in the local workflow runner (scripts/workflow/) are GitHub's: its engine
// evaluates what the old hand-written one could not, and its parser refuses what GitHub refuses.
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobResult } from '../../scripts/workflow/index.ts'
import { runWorkflowJob, WorkflowError } from '../../scripts/workflow/index.ts'
import { tempDir } from '../support/bundle.ts'

/** Writes a one-job workflow (`steps` indented as the job's steps) to a fresh workspace. */
async function workflow(steps: string[]): Promise<{ dir: string; file: string }> {
  const dir = await tempDir('workflow-expressions-')
  const file = path.join(dir, 'expressions.yml')
  const head = ['name: Expressions', 'on: push', 'jobs:', '  check:', '    runs-on: ubuntu-latest']
  await writeFile(
    file,
    [...head, '    steps:', ...steps.map((line) => `      ${line}`), ''].join('\n')
  )
  return { dir, file }
}

/** Writes a one-job workflow of `steps` and runs its job. */
async function runSteps(steps: string[]): Promise<JobResult> {
  const { dir, file } = await workflow(steps)
  return runWorkflowJob(file, 'check', { workspace: dir })
}

/** One line per step: name, outcome, conclusion, why skipped, and what it printed. */
function table(result: JobResult): string[] {
  return result.steps.map((step) =>
    [step.name, step.outcome, step.conclusion, step.skipped, step.log.trim()]
      .filter(Boolean)
      .join(' | ')
  )
}

const FILES = `'files=[{"name":"a.txt","size":6},{"name":"b.json","size":12}]'`

describe('workflow expressions, evaluated by GitHub’s engine', () => {
  it('filters objects with .*, picks with case(), and compares a hex string to a number', async () => {
    const result = await runSteps([
      '- id: data',
      `  run: echo ${FILES} >> "$GITHUB_OUTPUT"`,
      '- name: A name in the list',
      "  if: contains(fromJSON(steps.data.outputs.files).*.name, 'b.json')",
      `  run: echo "sizes \${{ join(fromJSON(steps.data.outputs.files).*.size, '+') }}"`,
      '- name: A name not in the list',
      "  if: contains(fromJSON(steps.data.outputs.files).*.name, 'c.md')",
      '  run: echo never',
      "- name: ${{ case(runner.os == 'Windows', 'On Windows', runner.os == 'Linux', 'On Linux', 'Elsewhere') }}",
      "  run: echo \"${{ case(github.ref == 'refs/heads/main', 'main branch', 'other branch') }}\"",
      '- name: Hex',
      "  if: ${{ '0x1F' == 31 }}",
      '  run: echo "0x1F is 31"'
    ])
    expect(table(result)).toEqual([
      `Run echo ${FILES} >> "$GITHUB_OUTPUT" | success | success`,
      'A name in the list | success | success | sizes 6+12',
      'A name not in the list | skipped | skipped | if',
      'On Linux | success | success | main branch',
      'Hex | success | success | 0x1F is 31'
    ])
    expect(result.success).toBe(true)
  })

  it('fails the step, not the run, when a value does not suit a function', async () => {
    const result = await runSteps([
      '- name: A number where case() needs a boolean',
      "  run: echo \"${{ case(1, 'one', 'other') }}\"",
      '- name: After it',
      '  run: echo after',
      '- name: On failure',
      '  if: failure()',
      '  run: echo cleanup'
    ])
    expect(table(result)).toEqual([
      'A number where case() needs a boolean | failure | failure | ##[error]The template is not valid: ' +
        'step 1 (A number where case() needs a boolean): run: case predicate must evaluate to a boolean value',
      'After it | skipped | skipped | if',
      'On failure | success | success | cleanup'
    ])
    expect(result.success).toBe(false)
  })

  it('refuses what GitHub rejects, with GitHub’s message, before any step runs', async () => {
    const cases: [string, string][] = [
      ['echo ${{ github.ref == }}', "(Line: 8, Col: 14): Unexpected end of expression: '=='"],
      [
        "echo ${{ case(github.ref == 'a', 'b', github.ref == 'c', 'd') }}",
        "(Line: 8, Col: 14): Even number of parameters supplied, requires an odd number of parameters: 'case'"
      ],
      ["echo ${{ hashFile('x') }}", "(Line: 8, Col: 14): Unrecognized function: 'hashFile'"]
    ]
    for (const [script, message] of cases) {
      const { dir, file } = await workflow(['- run: touch ran', `- run: ${script}`])
      const run = runWorkflowJob(file, 'check', { workspace: dir })
      await expect(run).rejects.toThrow(WorkflowError)
      await expect(run).rejects.toThrow(`GitHub rejects this workflow: ${file} ${message}`)
      expect(existsSync(path.join(dir, 'ran'))).toBe(false)
    }
  })
})
