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

describe('the API (api) decides the project and the base URL', () => {
  /** The library's settings: a program's values, `given` over a valid upload. */
  function resolve(given: Record<string, unknown>, face: FaceContext['face'] = 'library') {
    return resolveSettings(
      { files: '*.txt', apiKey: 'k', ...given },
      { face, source: face === 'library' ? 'value' : 'text', workspace: '/tmp' }
    )
  }
  /** The InputError `resolve(given)` throws. */
  function refusal(given: Record<string, unknown>, face: FaceContext['face'] = 'library') {
    try {
      resolve(given, face)
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      return error as InputError
    }
    throw new Error('expected an InputError')
  }

  it('is files by default, at https://dash.empirical.run, with the project given', () => {
    expect(resolve({ projectId: 5 })).toMatchObject({
      api: 'files',
      baseUrl: 'https://dash.empirical.run',
      projectId: 5
    })
  })

  it('is at https://api.empirical.run with resources, with no project', () => {
    const settings = resolve({ api: 'resources' })
    expect(settings).toMatchObject({ api: 'resources', baseUrl: 'https://api.empirical.run' })
    expect(settings.projectId).toBeUndefined()
    expect(resolve({ api: 'resources', projectId: '' }, 'action').projectId).toBeUndefined()
    // Blank is absent from a program too.
    expect(resolve({ api: 'resources', projectId: ' ' }).projectId).toBeUndefined()
    expect(resolve({ api: 'resources', baseUrl: ' ' }, 'cli').baseUrl).toBe(
      'https://api.empirical.run'
    )
  })

  it('takes an explicit base URL over either default', () => {
    expect(resolve({ api: 'resources', baseUrl: 'https://dash.empirical.run/' }).baseUrl).toBe(
      'https://dash.empirical.run'
    )
    expect(resolve({ projectId: 5, baseUrl: 'https://api.empirical.run' }).baseUrl).toBe(
      'https://api.empirical.run'
    )
  })

  it('requires project-id with files, in the words it always had', () => {
    expect(refusal({}).message).toBe(
      "Option 'projectId' is required: give a whole number from 1, such as 42"
    )
    expect(refusal({ api: 'files', projectId: '' }, 'action').message).toBe(
      "Input 'project-id' is required: give a whole number from 1, such as 42"
    )
  })

  it('refuses project-id with resources, saying why and what to do, in each face', () => {
    expect(refusal({ api: 'resources', projectId: 5 })).toMatchObject({
      option: 'projectId',
      input: 'project-id',
      message:
        "Option 'projectId' is not used with the Resources API, where the key picks the project: leave it out, or set api to 'files' to name the project by its ID"
    })
    expect(refusal({ api: 'resources', projectId: ' 5 ' }, 'action').message).toBe(
      "Input 'project-id' is not used with the Resources API, where the key picks the project: leave it out, or set 'api' to files to name the project by its ID"
    )
    expect(refusal({ api: 'resources', projectId: '5' }, 'cli').message).toBe(
      '--project-id is not used with the Resources API, where the key picks the project: leave it out, or give --api files to name the project by its ID'
    )
    // Any value is refused, not only a valid one: there is nothing to send it in.
    expect(refusal({ api: 'resources', projectId: 'abc' }, 'cli').option).toBe('projectId')
    expect(refusal({ api: 'resources', projectId: null }).option).toBe('projectId')
  })

  it('reads the API before the other settings, and its own errors come first', () => {
    expect(refusal({ api: 'v2', projectId: 'abc' }, 'action').message).toBe(
      "Input 'api': 'v2' is not allowed: give files or resources"
    )
    // The project's check keeps its place in the table's order: before base-url's.
    expect(refusal({ api: 'resources', projectId: 1, baseUrl: 'x' }).option).toBe('projectId')
  })

  it("refuses a base URL holding the path the API adds itself, naming that API's path", () => {
    expect(
      refusal({ api: 'resources', baseUrl: 'https://example.com/p/api/resources/' }).message
    ).toBe(
      "Option 'baseUrl': 'https://example.com/p/api/resources/' contains /api/resources, which uploadFiles() adds itself (it calls <base URL>/api/resources): give https://example.com/p instead (the base URL is an origin, optionally with a path prefix the API is served under)"
    )
    expect(refusal({ api: 'resources', baseUrl: 'https://example.com/api' }, 'cli').message).toBe(
      "--base-url: 'https://example.com/api' ends in /api, which empiricalrun-upload adds itself (it calls <base URL>/api/resources): give https://example.com instead (the base URL is an origin, optionally with a path prefix the API is served under)"
    )
    expect(refusal({ api: 'resources', baseUrl: 'nope' }).message).toBe(
      "Option 'baseUrl': 'nope' is not a URL: give one like https://api.empirical.run"
    )
    expect(refusal({ projectId: 1, baseUrl: 'https://example.com/api/files' }).message).toBe(
      "Option 'baseUrl': 'https://example.com/api/files' contains /api/files, which uploadFiles() adds itself (it calls <base URL>/api/files): give https://example.com instead (the base URL is an origin, optionally with a path prefix the API is served under)"
    )
    // Each API's path is its own: the other's is a prefix like any other.
    expect(resolve({ projectId: 1, baseUrl: 'https://example.com/api/resources' }).baseUrl).toBe(
      'https://example.com/api/resources'
    )
    expect(resolve({ api: 'resources', baseUrl: 'https://example.com/api/files' }).baseUrl).toBe(
      'https://example.com/api/files'
    )
  })
})
