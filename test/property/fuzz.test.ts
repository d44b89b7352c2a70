import path from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { getInputs, type Inputs } from '../../src/action/inputs.ts'
import { HttpError, InputError } from '../../src/core/errors.ts'
import { commonRoot, relativeName } from '../../src/core/files/files.ts'
import { parseFileEnvelope, parseServerWords } from '../../src/core/http/responses.ts'
import { patternText } from '../../src/core/settings/patterns.ts'
import { resolveSettings } from '../../src/core/settings/resolve.ts'
import {
  KEY_ENV,
  RETRY_BASE_ENV,
  SETTING_KEYS,
  SETTINGS,
  type Face
} from '../../src/core/settings/settings.ts'

/** Fixed seed: a failure reproduces; numRuns keeps the file to a few seconds. */
const RUN = { seed: 20_250_101, numRuns: 300 } as const

/** Calls `fn`; returns what it threw, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
    return undefined
  } catch (error) {
    return error
  }
}

/** Any text: printable, control characters, lone surrogates, markup and JSON fragments. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom(
      '<',
      '>',
      '/',
      'Code',
      'Message',
      'title',
      'html',
      '!doctype',
      '{',
      '}',
      '"',
      ':',
      ',',
      'error',
      'message',
      ' ',
      '\n',
      'x'
    ),
    maxLength: 40
  }),
  fc.json({ maxDepth: 3 })
)

const VALID_ENVELOPE = JSON.stringify({
  data: {
    file: {
      id: 123,
      project_id: 1,
      name: 'report.json',
      upload_url: 'https://acc.r2.cloudflarestorage.com/b/k?X-Amz-Signature=deadbeef',
      status: 'pending'
    }
  }
})

/** parseFileEnvelope's contract: a valid envelope, or an HttpError of the same step, nothing else. */
function checkEnvelope(text: string, step: 'create' | 'confirm'): void {
  const want = { uploadUrl: step === 'create' }
  let result: ReturnType<typeof parseFileEnvelope> | undefined
  const error = thrown(() => {
    result = parseFileEnvelope(step, text, want)
  })
  if (error !== undefined) {
    expect(error).toBeInstanceOf(HttpError)
    const httpError = error as HttpError
    expect(httpError.step).toBe(step)
    expect(httpError.status).toBe(200)
    expect(httpError.message).not.toContain('\n')
    expect(httpError.serverMessage.length).toBeLessThan(400)
    return
  }
  expect(Number.isSafeInteger(result?.id)).toBe(true)
  expect(result?.id).toBeGreaterThan(0)
  if (want.uploadUrl) expect(result?.uploadUrl).toBeTruthy()
}

function checkWords(text: string, contentType?: string): void {
  const words = parseServerWords(text, contentType)
  expect(typeof words.message).toBe('string')
  expect(words.message.length).toBeGreaterThan(0)
  if (words.code !== undefined) expect(words.code.length).toBeGreaterThan(0)
}

describe('response parsing never throws anything but HttpError', () => {
  it('on random strings', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('create', 'confirm' as const), (text, step) => {
        checkEnvelope(text, step)
        checkWords(text)
        checkWords(text, 'text/html')
      }),
      RUN
    )
  })

  it('on random JSON documents (fc.json)', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (text) => {
        checkEnvelope(text, 'create')
        checkEnvelope(text, 'confirm')
        checkWords(text, 'application/json')
      }),
      RUN
    )
  })

  it('on random JSON values placed where the envelope and error fields go (fc.jsonValue)', () => {
    const value = fc.jsonValue({ maxDepth: 3 })
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        const bodies = [
          a,
          { data: a },
          { data: { file: a } },
          { data: { file: { id: a, upload_url: b } } },
          { data: { file: { id: 7, upload_url: a } } },
          { error: a, message: b },
          { error: { message: a }, message: c }
        ]
        for (const body of bodies) {
          const text = JSON.stringify(body) ?? ''
          checkEnvelope(text, 'create')
          checkEnvelope(text, 'confirm')
          checkWords(text)
        }
      }),
      RUN
    )
  })

  it('on every truncation of a valid envelope', () => {
    // Exhaustive: every prefix, not a sample.
    for (let length = 0; length <= VALID_ENVELOPE.length; length++) {
      const text = VALID_ENVELOPE.slice(0, length)
      if (length === VALID_ENVELOPE.length) {
        expect(parseFileEnvelope('create', text, { uploadUrl: true }).id).toBe(123)
      } else {
        const error = thrown(() => parseFileEnvelope('create', text, { uploadUrl: true }))
        expect(error, `prefix of ${length} characters`).toBeInstanceOf(HttpError)
      }
      checkWords(text)
    }
  })

  it('on random one-character corruptions of a valid envelope', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: VALID_ENVELOPE.length - 1 }),
        fc.string({ unit: 'binary', minLength: 0, maxLength: 2 }),
        (at, replacement) => {
          const text = VALID_ENVELOPE.slice(0, at) + replacement + VALID_ENVELOPE.slice(at + 1)
          checkEnvelope(text, 'create')
          checkWords(text)
        }
      ),
      RUN
    )
  })

  it('keeps JSON and plain-text server words on one line and short', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        for (const body of [
          JSON.stringify({ error: text }),
          JSON.stringify({ message: text }),
          text
        ]) {
          const words = parseServerWords(body, 'text/plain')
          if (words.code === undefined) {
            expect(words.message).not.toMatch(/[\r\n]/)
            expect(words.message.length).toBeLessThanOrEqual(220)
          }
        }
      }),
      { ...RUN, numRuns: 200 }
    )
  })
})

describe('getInputs never throws anything but InputError', () => {
  beforeEach(() => {
    // core.setSecret prints ::add-mask:: lines.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  /** Random text mixed with values that are nearly right. */
  const raw = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      'true',
      'False',
      'yes',
      '0',
      '1',
      '8',
      '64',
      '65',
      '-1',
      '1.5',
      '3600',
      '9007199254740993',
      'error',
      'WARN',
      'https://dash.empirical.run/',
      'http://127.0.0.1:1',
      'http://[::1]',
      'http://localhost',
      'http://example.com',
      'https://u:p@x',
      'https://x/?q',
      'dist/**',
      '!a\n#b',
      'key-123'
    )
  )
  const names = SETTING_KEYS.map((key) => SETTINGS[key].input)

  it('for random values of every input and of the environment', () => {
    fc.assert(
      fc.property(
        fc.tuple(...names.map(() => raw)),
        fc.option(raw),
        fc.option(raw),
        (values, key, base) => {
          const table = new Map(names.map((name, i) => [name as string, values[i] ?? '']))
          const env: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: '/ws' }
          if (key !== null) env[KEY_ENV] = key
          if (base !== null) env[RETRY_BASE_ENV] = base
          let inputs: Inputs | undefined
          const error = thrown(() => {
            inputs = getInputs((name) => table.get(name) ?? '', env)
          })
          if (error !== undefined) {
            expect(error).toBeInstanceOf(InputError)
            const inputError = error as InputError
            expect([...names, RETRY_BASE_ENV]).toContain(inputError.input)
            // `Input 'x': what is wrong`, or a sentence: `Input 'files' is required: …`.
            expect(inputError.message).toMatch(
              new RegExp(`^Input '${inputError.input}'(: | is required: | holds only comments )`)
            )
            return
          }
          // Whatever got through is within bounds.
          const parsed = inputs as Inputs
          expect(parsed.projectId).toBeGreaterThanOrEqual(1)
          expect(parsed.concurrency).toBeGreaterThanOrEqual(1)
          expect(parsed.concurrency).toBeLessThanOrEqual(64)
          expect(parsed.retries).toBeGreaterThanOrEqual(0)
          expect(parsed.retries).toBeLessThanOrEqual(10)
          expect(parsed.requestTimeout).toBeGreaterThanOrEqual(1)
          expect(parsed.requestTimeout).toBeLessThanOrEqual(3600)
          expect(['error', 'warn', 'ignore']).toContain(parsed.ifNoFilesFound)
          expect(patternText(parsed.files).trim()).not.toBe('')
          expect(parsed.files.some((line) => !line.negate)).toBe(true)
          for (const line of parsed.files) {
            expect(line.text).toBe(line.text.trim())
            expect(line.text).not.toBe('')
            expect(line.text.startsWith('#')).toBe(false)
          }
          expect(parsed.baseUrl.endsWith('/')).toBe(false)
          const url = new URL(parsed.baseUrl)
          expect(url.protocol === 'https:' || url.protocol === 'http:').toBe(true)
          if (url.protocol === 'http:')
            expect(['127.', 'localhost', '[::1]'].some((h) => url.hostname.startsWith(h))).toBe(
              true
            )
          expect(parsed.apiKey).toMatch(parsed.dryRun ? /^[\x21-\x7e]*$/ : /^[\x21-\x7e]+$/)
          if (!parsed.dryRun || parsed.skipExisting) expect(parsed.apiKey).not.toBe('')
        }
      ),
      RUN
    )
  })

  it.each<Face>(['cli', 'library'])(
    'for random text of every setting, the %s face names the setting in its own words',
    (face) => {
      fc.assert(
        fc.property(fc.tuple(...SETTING_KEYS.map(() => raw)), fc.option(raw), (values, base) => {
          const given = Object.fromEntries(SETTING_KEYS.map((key, i) => [key, values[i] ?? '']))
          const error = thrown(() =>
            resolveSettings(given, {
              face,
              source: 'text',
              workspace: '/ws',
              retryBaseMs: base ?? undefined
            })
          )
          if (error === undefined) return
          expect(error).toBeInstanceOf(InputError)
          const inputError = error as InputError
          expect(inputError.message).not.toMatch(/^Input '/)
          expect(inputError.message).not.toContain('${{')
          if (inputError.input === RETRY_BASE_ENV) {
            expect(inputError.message.startsWith(`${RETRY_BASE_ENV}: `)).toBe(true)
            return
          }
          expect(SETTING_KEYS).toContain(inputError.option)
          if (face === 'library')
            expect(inputError.message).toMatch(
              new RegExp(`^Option '${inputError.option}'(: | is required: | holds only comments )`)
            )
          else expect(inputError.message).not.toMatch(/^Option '/)
        }),
        RUN
      )
    }
  )
})

/** Path segments without separators; no '.' or '..' (they are not names of files below a root). */
function segment(chars: string[]): fc.Arbitrary<string> {
  return fc
    .string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 6 })
    .filter((s) => s !== '.' && s !== '..')
}
const NAME_CHARS = ['a', 'b', 'C', 'd', 'E', '1', ' ', '.', '-', '_', 'ñ', 'é', '日', '#', '~', '$']
const posixSegment = segment([...NAME_CHARS, '\\', ':'])
const windowsSegment = segment(NAME_CHARS)

/** Flips the case of ASCII letters at random: Windows names the same folder either way. */
function recase(text: string, flips: readonly boolean[]): string {
  return [...text]
    .map((char, i) =>
      flips[i % Math.max(flips.length, 1)] && /[a-z]/i.test(char)
        ? char === char.toLowerCase()
          ? char.toUpperCase()
          : char.toLowerCase()
        : char
    )
    .join('')
}

interface Layout {
  /** The patterns' search paths. */
  searchPaths: string[]
  /** The search paths that are files themselves (a literal pattern). */
  literal: Set<string>
  /** Every file found. */
  files: string[]
}

/** Search paths under one root, some literal files, and the files found below the others. */
function layout(
  root: fc.Arbitrary<string>,
  seg: fc.Arbitrary<string>,
  join: (root: string, segments: string[], flips: boolean[], sep: string) => string,
  seps: string[]
): fc.Arbitrary<Layout> {
  const entry = fc.record({
    dir: fc.array(seg, { minLength: 0, maxLength: 4 }),
    literal: fc.boolean(),
    below: fc.array(fc.array(seg, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    flips: fc.array(fc.boolean(), { maxLength: 5 }),
    sep: fc.constantFrom(...seps)
  })
  return fc
    .tuple(root, fc.array(entry, { minLength: 1, maxLength: 5 }), fc.array(seg, { maxLength: 3 }))
    .map(([rootPath, entries, shared]) => {
      const out: Layout = { searchPaths: [], literal: new Set(), files: [] }
      for (const { dir, literal, below, flips, sep } of entries) {
        const segments = [...shared, ...dir]
        if (literal) {
          if (segments.length === 0) segments.push('file')
          const file = join(rootPath, segments, flips, sep)
          out.searchPaths.push(file)
          out.literal.add(file)
          out.files.push(file)
        } else {
          const searchPath = join(rootPath, segments, flips, sep)
          out.searchPaths.push(searchPath)
          for (const rest of below) out.files.push(join(searchPath, rest, [], sep))
        }
      }
      return out
    })
}

function checkNames(p: path.PlatformPath, { searchPaths, literal, files }: Layout): void {
  const root = commonRoot(searchPaths, literal, p)
  expect(p.isAbsolute(root)).toBe(true)
  for (const file of files) {
    const name = relativeName(root, file, p)
    expect(name).not.toBe('')
    expect(name).not.toContain('\\')
    expect(name.startsWith('/')).toBe(false)
    const segments = name.split('/')
    expect(segments).not.toContain('..')
    expect(segments).not.toContain('')
    // The name leads back to the file.
    const back = p.resolve(root, ...segments)
    const same =
      p === path.win32
        ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
        : (a: string, b: string) => a === b
    expect(same(back, p.resolve(file)), `${root} + ${name} → ${back}, not ${file}`).toBe(true)
  }
}

describe('commonRoot and relativeName', () => {
  const posixAbsolute = fc
    .array(fc.oneof(posixSegment, fc.constantFrom('.', '..', '')), { maxLength: 5 })
    .map((segments) => `/${segments.join('/')}`)
  const windowsAbsolute = fc
    .tuple(
      fc.constantFrom('C:\\', 'c:\\', 'D:\\', 'C:/', '\\\\server\\share\\', '\\\\SERVER\\Share\\'),
      fc.array(fc.oneof(windowsSegment, fc.constantFrom('.', '..', '')), { maxLength: 5 }),
      fc.constantFrom('\\', '/')
    )
    .map(([root, segments, sep]) => root + segments.join(sep))

  it('never throw on random absolute paths', () => {
    for (const [p, absolute] of [
      [path.posix, posixAbsolute],
      [path.win32, windowsAbsolute]
    ] as const) {
      fc.assert(
        fc.property(
          fc.array(absolute, { maxLength: 6 }),
          fc.array(absolute, { maxLength: 6 }),
          fc.array(fc.boolean(), { maxLength: 6 }),
          (searchPaths, others, pick) => {
            const files = new Set([...searchPaths.filter((_, i) => pick[i]), ...others])
            const root = commonRoot(searchPaths, files, p)
            expect(typeof root).toBe('string')
            for (const file of [...searchPaths, ...others]) {
              expect(typeof relativeName(root, file, p)).toBe('string')
              expect(relativeName(root, file, p)).not.toContain(p === path.win32 ? '\\' : '\0')
            }
          }
        ),
        RUN
      )
    }
  })

  it('name every POSIX file below the root without .. and with / only', () => {
    const posix = layout(
      fc.constant('/'),
      posixSegment.filter((s) => !s.includes('\\')),
      (root, segments) => path.posix.join(root, ...segments),
      ['/']
    )
    fc.assert(
      fc.property(posix, (value) => checkNames(path.posix, value)),
      RUN
    )
  })

  it('name every Windows file below the root without .. and with / only, whatever the case', () => {
    const windows = layout(
      fc.constantFrom(
        'C:\\',
        'c:\\',
        'C:/',
        'D:\\work',
        '\\\\server\\share\\',
        '\\\\Server\\SHARE\\x'
      ),
      windowsSegment,
      (root, segments, flips, sep) =>
        recase(
          segments.length ? [root.replace(/[\\/]+$/, ''), ...segments].join(sep) : root,
          flips
        ),
      ['\\', '/']
    )
    fc.assert(
      fc.property(windows, (value) => checkNames(path.win32, value)),
      RUN
    )
  })

  // A POSIX file name may contain a backslash; it is part of the name, not a separator.
  it('keep a backslash inside a POSIX file name', () => {
    expect(relativeName('/ws', '/ws/dir/a\\b.txt', path.posix)).toBe('dir/a\\b.txt')
  })
})
