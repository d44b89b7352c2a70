// Reading the settings a face was given: a list given as text, an error that is not about the
// value, and the test hooks read from the environment's text.
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import {
  readSetting,
  resolveSettings,
  type FaceContext
} from '../../../src/core/settings/resolve.ts'

describe('readSetting', () => {
  it('reads a list given as text one line per entry', () => {
    const lines = readSetting('files', ['a/*.txt', '!a/skip.txt'], 'text', 'cli')
    expect(lines.map(({ text, negate }) => [text, negate])).toEqual([
      ['a/*.txt', false],
      ['!a/skip.txt', true]
    ])
  })

  it('lets an error that is not about the value through as it is', () => {
    const broken = new Error('this value cannot be read')
    const value = {
      toString(): string {
        throw broken
      }
    }
    expect(() => readSetting('description', value, 'value', 'library')).toThrow(broken)
  })
})

describe('the test hooks', () => {
  const ctx = (hooks: Pick<FaceContext, 'retryBaseMs' | 'progressIntervalMs'>): FaceContext => ({
    face: 'library',
    source: 'value',
    workspace: '/tmp',
    ...hooks
  })
  const given = { projectId: 1, files: '*.txt', dryRun: true }

  it('read whole numbers, with the spaces around them trimmed', () => {
    const settings = resolveSettings(
      given,
      ctx({ retryBaseMs: ' 250 ', progressIntervalMs: '\t5\n' })
    )
    expect(settings).toMatchObject({ retryBaseMs: 250, progressIntervalMs: 5 })
  })

  it('fall back to their defaults when blank', () => {
    const settings = resolveSettings(given, ctx({ retryBaseMs: '  ', progressIntervalMs: '' }))
    expect(settings).toMatchObject({ retryBaseMs: 1000, progressIntervalMs: 10_000 })
  })

  it.each(['1e3', '1.0', '+5', '0x10', '5 ms'])(
    "refuse '%s', which is a number to JavaScript but not a whole number as written",
    (raw) => {
      const error = (() => {
        try {
          resolveSettings(given, ctx({ retryBaseMs: raw }))
        } catch (caught) {
          return caught
        }
        throw new Error('expected an InputError')
      })()
      expect(error).toBeInstanceOf(InputError)
      expect(error).toMatchObject({
        input: 'EMPIRICALRUN_RETRY_BASE_MS',
        message: `EMPIRICALRUN_RETRY_BASE_MS: '${raw}' is not allowed: give an integer >= 0`
      })
    }
  )
})
