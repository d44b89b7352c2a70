// The answers the bin gives itself, without the CLI's bundle: exactly what main() prints.
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { quickAnswer } from '../../src/cli/quick.ts'

/** What main() writes on stdout and stderr for this command line, and its exit code. */
async function mainOf(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main({
    argv,
    env: {},
    cwd: os.tmpdir(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stop: { signal: new AbortController().signal, stoppedBy: () => undefined }
  })
  return { code, stdout, stderr }
}

describe('quickAnswer', () => {
  it.each([
    ['--help', /^Usage: empiricalrun-upload /],
    ['-h', /^Usage: empiricalrun-upload /],
    ['--version', /^\d+\.\d+\.\d+\n$/],
    ['-V', /^\d+\.\d+\.\d+\n$/]
  ])('%s alone: the text main() prints, exit 0', async (flag, text) => {
    const answer = quickAnswer([flag])
    expect(answer).toMatch(text)
    expect(await mainOf([flag])).toEqual({ code: 0, stdout: answer, stderr: '' })
  })

  it.each([
    [[]],
    [['--help', 'dist/']],
    [['--version', '--verbose']],
    [['-h', '-V']],
    [['-hV']],
    [['--help=true']],
    [['--verbose']],
    [['-v']],
    [['--']],
    [['dist/']]
  ])('%j: none, the CLI reads it', (argv) => {
    expect(quickAnswer(argv)).toBeUndefined()
  })
})
