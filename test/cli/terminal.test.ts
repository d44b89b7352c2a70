// The terminal writer: the progress line, log lines with masked secrets, and when it is interactive.
import { describe, expect, it } from 'vitest'
import { progressBar, Secrets, Terminal } from '../../src/cli/terminal.ts'
import type { ProgressState } from '../../src/core/transfer/progress.ts'

const CLEAR = '\r\x1b[2K'

describe('Terminal', () => {
  const state: ProgressState = {
    sentBytes: 3 * 1024 ** 2,
    totalBytes: 12 * 1024 ** 2,
    doneFiles: 1,
    totalFiles: 4,
    bytesPerSecond: 1024 ** 2
  }

  function stream(isTTY: boolean): {
    written: string[]
    write(text: string): void
    isTTY: boolean
  } {
    const written: string[] = []
    return { written, write: (text) => void written.push(text), isTTY }
  }

  it('formats files, bytes, percent, rate and time left', () => {
    expect(progressBar(state)).toBe(
      '1 of 4 files, 3.00 MiB of 12.0 MiB (25%), 1.00 MiB/s, 9.0 s left'
    )
    expect(progressBar({ ...state, bytesPerSecond: 0 })).toBe(
      '1 of 4 files, 3.00 MiB of 12.0 MiB (25%), 0 B/s'
    )
    expect(progressBar({ ...state, sentBytes: state.totalBytes })).toBe(
      '1 of 4 files, 12.0 MiB of 12.0 MiB (100%), 1.00 MiB/s'
    )
    expect(progressBar({ ...state, totalBytes: 0, sentBytes: 0 })).toContain('(100%)')
  })

  it('writes log lines, warnings, and debug lines only when verbose', () => {
    const quiet = stream(false)
    const log = new Terminal(quiet, false).logger()
    log.info('one')
    log.warning('careful')
    log.debug('hidden')
    log.startGroup('heading')
    log.endGroup()
    expect(log.isDebug()).toBe(false)
    expect(quiet.written).toEqual(['one\n', 'warning: careful\n', 'heading\n'])
    const loud = stream(false)
    const verbose = new Terminal(loud, true).logger()
    verbose.debug('shown')
    expect(verbose.isDebug()).toBe(true)
    expect(loud.written).toEqual(['debug: shown\n'])
  })

  it('replaces every masked secret in what it writes, progress included', () => {
    const out = stream(true)
    const terminal = new Terminal(out, true)
    const log = terminal.logger()
    log.mask('')
    log.mask('s3cr3t')
    log.info('key s3cr3t and s3cr3t again')
    log.debug('url ?sig=s3cr3t')
    expect(out.written).toEqual(['key *** and *** again\n', 'debug: url ?sig=***\n'])
  })

  it('on a terminal, keeps the progress line below the log and erases it at the end', () => {
    const out = stream(true)
    const terminal = new Terminal(out, false)
    expect(terminal.interactive).toBe(true)
    terminal.endProgress()
    expect(out.written).toEqual([])
    terminal.progress(state)
    terminal.line('✓ a')
    terminal.endProgress()
    terminal.line('done')
    const bar = progressBar(state)
    expect(out.written).toEqual([`${CLEAR}${bar}`, `${CLEAR}✓ a\n${bar}`, CLEAR, 'done\n'])
  })

  it('is not interactive off a terminal', () => {
    expect(new Terminal(stream(false), false).interactive).toBe(false)
    expect(new Terminal({ write: () => true }, false).interactive).toBe(false)
  })
})

describe('Secrets', () => {
  function secrets(...values: string[]): Secrets {
    const hidden = new Secrets()
    for (const value of values) hidden.add(value)
    return hidden
  }

  it('hides each secret wherever it stands: start, end, side by side, and leaves the rest', () => {
    const hidden = secrets('abc', 'k3y')
    expect(hidden.hide('abc')).toBe('***')
    expect(hidden.hide('abcabc-k3y')).toBe('******-***')
    expect(hidden.hide('x abc y k3y')).toBe('x *** y ***')
    expect(hidden.hide('ab ac bc k3')).toBe('ab ac bc k3')
    expect(hidden.hide('')).toBe('')
  })

  it('hides the longer of two secrets that start at one place, and nothing of an empty one', () => {
    const hidden = secrets('', 'abc', 'abcdef', 'abc')
    expect(hidden.hide('xabcdefy abcde')).toBe('x***y ***de')
    expect(secrets('').hide('a b')).toBe('a b')
    // Added in the other order, the same.
    expect(secrets('abcdef', 'abc').hide('xabcdefy abcde')).toBe('x***y ***de')
  })

  it('hides every one of thousands of URL signatures, each in its own line', () => {
    const signatures = Array.from({ length: 5000 }, (_, i) => i.toString(16).padStart(64, 'a'))
    const hidden = secrets('erk_key', ...signatures)
    const lines = signatures.map(
      (signature, i) => `✓ f${i}.txt → ${i} ?X-Amz-Signature=${signature}&k=erk_key`
    )
    const shown = lines.map((line) => hidden.hide(line))
    expect(shown.every((line, i) => line === `✓ f${i}.txt → ${i} ?X-Amz-Signature=***&k=***`)).toBe(
      true
    )
  })
})
