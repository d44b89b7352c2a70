import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { getInputs, maskSecret, type InputReader, type Inputs } from '../../src/action/inputs.ts'
import { InputError } from '../../src/core/errors.ts'
import type { PatternLine } from '../../src/core/settings/patterns.ts'
import { resolveSettings, type Source } from '../../src/core/settings/resolve.ts'
import {
  KEY_ENV,
  PROGRESS_INTERVAL_ENV,
  RETRY_BASE_ENV,
  SETTING_KEYS,
  SETTINGS,
  type Face,
  type Setting,
  type SettingKey
} from '../../src/core/settings/settings.ts'
import { uploadFiles } from '../../src/lib/upload-files.ts'

/** The action's input names, from the table. */
const Input = {
  AuthKey: SETTINGS.apiKey.input,
  ProjectId: SETTINGS.projectId.input,
  Files: SETTINGS.files.input,
  Description: SETTINGS.description.input,
  BaseUrl: SETTINGS.baseUrl.input,
  Api: SETTINGS.api.input,
  IfNoFilesFound: SETTINGS.ifNoFilesFound.input,
  IncludeHiddenFiles: SETTINGS.includeHiddenFiles.input,
  Concurrency: SETTINGS.concurrency.input,
  Retries: SETTINGS.retries.input,
  RequestTimeout: SETTINGS.requestTimeout.input,
  DryRun: SETTINGS.dryRun.input,
  NamePrefix: SETTINGS.namePrefix.input,
  SkipExisting: SETTINGS.skipExisting.input,
  DownloadUrl: SETTINGS.downloadUrl.input,
  Verify: SETTINGS.verify.input
} as const

/** The setting an action input belongs to. */
const KEY_OF_INPUT = new Map<string, SettingKey>(
  SETTING_KEYS.map((key) => [SETTINGS[key].input, key])
)
function keyOf(input: string): SettingKey {
  const key = KEY_OF_INPUT.get(input)
  if (key === undefined) throw new Error(`no setting has the input ${input}`)
  return key
}

const ACTION_YML_TEXT = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')
/** The inputs declared in action.yml, with their defaults. */
const actionYml = parseYaml(ACTION_YML_TEXT) as {
  inputs: Record<string, { required?: boolean; default?: string }>
}
/** The same, every scalar as the text written (YAML's failsafe schema): defaults as text. */
const actionYmlText = parseYaml(ACTION_YML_TEXT, { schema: 'failsafe' }) as {
  inputs: Record<string, { required?: string; default?: string }>
}
const DECLARED = Object.keys(actionYml.inputs)

/** A pattern line as the parser gives it. */
function line(text: string, negate = false, body = text): PatternLine {
  return { text, negate, body }
}

/** The smallest set of values that passes. */
const VALID: Readonly<Record<string, string>> = {
  [Input.AuthKey]: 'secret-key-123',
  [Input.ProjectId]: '42',
  [Input.Files]: 'dist/**'
}
const ENV: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: '/ws' }

function reader(overrides: Record<string, string> = {}): InputReader {
  const values: Record<string, string> = { ...VALID, ...overrides }
  return (name) => values[name] ?? ''
}

function parse(overrides: Record<string, string> = {}, env: NodeJS.ProcessEnv = ENV): Inputs {
  return getInputs(reader(overrides), env)
}

/** Runs `fn`, expects it to throw an InputError, and returns that error. */
function inputError(fn: () => unknown): InputError {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(thrown, 'an InputError thrown').toBeInstanceOf(InputError)
  return thrown as InputError
}

/** Everything written to stdout while the test runs (core.setSecret writes ::add-mask:: there). */
let stdout: string[] = []
beforeEach(() => {
  stdout = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('the contract with action.yml', () => {
  it('names exactly the inputs that action.yml declares', () => {
    expect(Object.values(Input).sort()).toEqual([...DECLARED].sort())
  })

  it('has a row of SETTINGS for every input of action.yml and an input for every row, in the same order', () => {
    expect(SETTING_KEYS.map((key) => SETTINGS[key].input)).toEqual(DECLARED)
    expect(Object.keys(actionYmlText.inputs)).toEqual(DECLARED)
    expect(SETTING_KEYS).toEqual(Object.keys(SETTINGS))
    expect(new Set(DECLARED).size).toBe(DECLARED.length)
    expect(SETTING_KEYS).toHaveLength(DECLARED.length)
  })

  it.each(SETTING_KEYS)('%s has the default that action.yml declares, as text', (key) => {
    const setting: Setting = SETTINGS[key]
    const declared = actionYmlText.inputs[setting.input]
    expect(declared, setting.input).toBeDefined()
    const rowDefault = setting.default === undefined ? '' : String(setting.default)
    expect(declared?.default ?? '', setting.input).toBe(rowDefault)
    // A row without a default is required, and the only kind action.yml marks required; but
    // project-id is required by one API and refused by the other, so the settings check it.
    const required = setting.default === undefined && key !== 'projectId'
    expect(declared?.required, setting.input).toBe(required ? 'true' : 'false')
  })

  it('reads every declared input and nothing else', () => {
    const read = new Set<string>()
    getInputs((name) => {
      read.add(name)
      return VALID[name] ?? ''
    }, ENV)
    expect([...read].sort()).toEqual([...DECLARED].sort())
  })

  it('declares files as required and gives the others a default, project-id an empty one', () => {
    const required = DECLARED.filter((name) => actionYml.inputs[name]?.required)
    expect(required).toEqual([Input.Files])
    expect(actionYml.inputs[Input.ProjectId]?.default).toBe('')
    for (const name of DECLARED.filter((n) => !required.includes(n))) {
      expect(actionYml.inputs[name]?.default, name).toBeTypeOf('string')
    }
  })

  it.each(DECLARED.filter((name) => actionYml.inputs[name]?.default !== undefined))(
    'treats the action.yml default of %s the same as an empty value',
    (name) => {
      const fallback = actionYml.inputs[name]?.default ?? ''
      const env = { ...ENV, [KEY_ENV]: 'key-from-env' }
      // project-id's empty default is refused as a missing one is, under the default API.
      const outcome = (value: string): unknown => {
        try {
          return parse({ [name]: value }, env)
        } catch (error) {
          return (error as Error).message
        }
      }
      expect(outcome(fallback)).toEqual(outcome(''))
    }
  )
})

describe('empty values take the defaults', () => {
  it('gives every optional input its default', () => {
    const inputs = parse()
    expect(inputs).toEqual({
      apiKey: 'secret-key-123',
      projectId: 42,
      files: [line('dist/**')],
      description: '',
      baseUrl: 'https://dash.empirical.run',
      api: 'files',
      ifNoFilesFound: 'error',
      includeHiddenFiles: false,
      concurrency: 8,
      retries: 5,
      requestTimeout: 60,
      retryBaseMs: 1000,
      progressIntervalMs: 10_000,
      dryRun: false,
      namePrefix: '',
      skipExisting: false,
      downloadUrl: false,
      verify: false,
      workspace: '/ws'
    } satisfies Inputs)
  })

  it('treats whitespace-only values as empty', () => {
    const blank: Record<string, string> = {}
    for (const name of DECLARED) {
      if (name !== Input.ProjectId && name !== Input.Files && name !== Input.AuthKey)
        blank[name] = ' \t\n '
    }
    expect(parse(blank)).toEqual(parse())
  })

  it('uses the current directory when GITHUB_WORKSPACE is unset or empty', () => {
    expect(parse({}, {}).workspace).toBe(process.cwd())
    expect(parse({}, { GITHUB_WORKSPACE: '' }).workspace).toBe(process.cwd())
  })

  it.each([
    [Input.ProjectId, 'a whole number from 1, such as 42'],
    [Input.Files, 'glob patterns']
  ])('refuses an empty required input %s', (name, allowed) => {
    for (const raw of ['', '   ']) {
      const error = inputError(() => parse({ [name]: raw }))
      expect(error.input).toBe(name)
      expect(error.message).toContain(`Input '${name}'`)
      expect(error.message).toContain('required')
      expect(error.message).toContain(allowed)
    }
  })
})

/** [input, raw value, field of Inputs, parsed value] */
const VALID_CASES: [string, string, keyof Inputs, unknown][] = [
  [Input.AuthKey, 'abc', 'apiKey', 'abc'],
  [Input.AuthKey, '  padded-key  ', 'apiKey', 'padded-key'],
  [Input.AuthKey, 'er_!#$%&*+-./:;<=>?@[]^_`{|}~', 'apiKey', 'er_!#$%&*+-./:;<=>?@[]^_`{|}~'],
  [Input.ProjectId, '1', 'projectId', 1],
  [Input.ProjectId, '42', 'projectId', 42],
  [Input.ProjectId, ' 7 ', 'projectId', 7],
  [Input.ProjectId, '9007199254740991', 'projectId', Number.MAX_SAFE_INTEGER],
  [Input.Files, 'dist/**', 'files', [line('dist/**')]],
  [
    Input.Files,
    '  a/*.js  \n\n# comment\n!a/x.js\n  b  ',
    'files',
    [line('a/*.js'), line('!a/x.js', true, 'a/x.js'), line('b')]
  ],
  [Input.Files, 'a\r\nb\r\n', 'files', [line('a'), line('b')]],
  [Input.Files, '#not-a-comment-inside\nreport #1.txt', 'files', [line('report #1.txt')]],
  [Input.Files, '!!a\n! b', 'files', [line('!!a', false, 'a'), line('! b', true, 'b')]],
  [Input.Description, 'Build output of run 12', 'description', 'Build output of run 12'],
  [Input.Description, '  trimmed  ', 'description', 'trimmed'],
  [Input.Description, 'ünïcødé <b>&</b>', 'description', 'ünïcødé <b>&</b>'],
  [Input.BaseUrl, 'https://dash.empirical.run', 'baseUrl', 'https://dash.empirical.run'],
  [Input.BaseUrl, 'https://dash.empirical.run/', 'baseUrl', 'https://dash.empirical.run'],
  [Input.BaseUrl, 'https://api.empirical.run//', 'baseUrl', 'https://api.empirical.run'],
  [Input.BaseUrl, 'https://example.com/prefix/', 'baseUrl', 'https://example.com/prefix'],
  [Input.BaseUrl, 'https://example.com:8443', 'baseUrl', 'https://example.com:8443'],
  [Input.BaseUrl, 'HTTPS://Example.COM', 'baseUrl', 'https://example.com'],
  [Input.BaseUrl, 'http://127.0.0.1:8080', 'baseUrl', 'http://127.0.0.1:8080'],
  [Input.BaseUrl, 'http://127.0.0.1:8080/', 'baseUrl', 'http://127.0.0.1:8080'],
  [Input.BaseUrl, 'http://127.5.6.7', 'baseUrl', 'http://127.5.6.7'],
  [Input.BaseUrl, 'http://localhost:3000/proxy/', 'baseUrl', 'http://localhost:3000/proxy'],
  [Input.BaseUrl, 'https://example.com/api/v2', 'baseUrl', 'https://example.com/api/v2'],
  [Input.BaseUrl, 'https://example.com/rapi', 'baseUrl', 'https://example.com/rapi'],
  [Input.BaseUrl, 'http://LOCALHOST', 'baseUrl', 'http://localhost'],
  [Input.BaseUrl, 'http://[::1]:9000', 'baseUrl', 'http://[::1]:9000'],
  [Input.Api, 'files', 'api', 'files'],
  [Input.Api, 'resources', 'api', 'resources'],
  [Input.Api, ' Resources ', 'api', 'resources'],
  [Input.IfNoFilesFound, 'error', 'ifNoFilesFound', 'error'],
  [Input.IfNoFilesFound, 'warn', 'ifNoFilesFound', 'warn'],
  [Input.IfNoFilesFound, 'ignore', 'ifNoFilesFound', 'ignore'],
  [Input.IfNoFilesFound, ' WARN ', 'ifNoFilesFound', 'warn'],
  [Input.IfNoFilesFound, 'Ignore', 'ifNoFilesFound', 'ignore'],
  ...(['true', 'True', 'TRUE', ' true '] as const).flatMap(
    (raw): [string, string, keyof Inputs, unknown][] => [
      [Input.IncludeHiddenFiles, raw, 'includeHiddenFiles', true],
      [Input.DryRun, raw, 'dryRun', true]
    ]
  ),
  ...(['false', 'False', 'FALSE'] as const).flatMap(
    (raw): [string, string, keyof Inputs, unknown][] => [
      [Input.IncludeHiddenFiles, raw, 'includeHiddenFiles', false],
      [Input.DryRun, raw, 'dryRun', false]
    ]
  ),
  [Input.Concurrency, '1', 'concurrency', 1],
  [Input.Concurrency, '64', 'concurrency', 64],
  [Input.Concurrency, '16', 'concurrency', 16],
  [Input.Concurrency, '08', 'concurrency', 8],
  [Input.Retries, '0', 'retries', 0],
  [Input.Retries, '10', 'retries', 10],
  [Input.Retries, '3', 'retries', 3],
  [Input.RequestTimeout, '1', 'requestTimeout', 1],
  [Input.RequestTimeout, '3600', 'requestTimeout', 3600],
  [Input.RequestTimeout, '90', 'requestTimeout', 90],
  [Input.NamePrefix, 'builds/v1.2.3/', 'namePrefix', 'builds/v1.2.3/'],
  [Input.NamePrefix, 'nightly-', 'namePrefix', 'nightly-'],
  [Input.NamePrefix, 'run 12345/attempt-1/', 'namePrefix', 'run 12345/attempt-1/'],
  [Input.NamePrefix, 'ünïcødé/日本/', 'namePrefix', 'ünïcødé/日本/'],
  [Input.NamePrefix, 'a..b/.hidden/...', 'namePrefix', 'a..b/.hidden/...'],
  [Input.NamePrefix, 'x'.repeat(512), 'namePrefix', 'x'.repeat(512)],
  ...(['true', 'True', 'TRUE', ' true '] as const).flatMap(
    (raw): [string, string, keyof Inputs, unknown][] => [
      [Input.SkipExisting, raw, 'skipExisting', true],
      [Input.DownloadUrl, raw, 'downloadUrl', true],
      [Input.Verify, raw, 'verify', true]
    ]
  ),
  ...(['false', 'False', 'FALSE'] as const).flatMap(
    (raw): [string, string, keyof Inputs, unknown][] => [
      [Input.SkipExisting, raw, 'skipExisting', false],
      [Input.DownloadUrl, raw, 'downloadUrl', false],
      [Input.Verify, raw, 'verify', false]
    ]
  )
]

describe('valid values', () => {
  it.each(VALID_CASES)('%s %j → %s = %j', (name, raw, field, expected) => {
    // The Resources API takes no project-id: it is left out there.
    const project = expected === 'resources' ? { [Input.ProjectId]: '' } : {}
    expect(parse({ ...project, [name]: raw })[field]).toEqual(expected)
  })

  it('has a valid case for every declared input', () => {
    const covered = new Set(VALID_CASES.map(([name]) => name))
    expect(DECLARED.filter((name) => !covered.has(name))).toEqual([])
  })
})

const INTEGER_OTHERS = [
  '1.5',
  'abc',
  '1e3',
  '0x10',
  '+5',
  '5 5',
  '١٢',
  '99999999999999999999',
  '9007199254740992'
]

/** [input, raw value, what the message must say is allowed] */
const INVALID_CASES: [string, string, string][] = [
  ...['0', '-1', ...INTEGER_OTHERS].map((raw): [string, string, string] => [
    Input.ProjectId,
    raw,
    'a whole number from 1, such as 42'
  ]),
  ...['0', '65', '-1', ...INTEGER_OTHERS].map((raw): [string, string, string] => [
    Input.Concurrency,
    raw,
    'an integer from 1 to 64'
  ]),
  ...['-1', '11', '2.0', 'five', ...INTEGER_OTHERS].map((raw): [string, string, string] => [
    Input.Retries,
    raw,
    'an integer from 0 to 10'
  ]),
  ...['0', '3601', '60s', '1.5', '-60'].map((raw): [string, string, string] => [
    Input.RequestTimeout,
    raw,
    'an integer from 1 to 3600'
  ]),
  ...['yes', 'no', '1', '0', 'on', 'off', 'y', 'n', 'tRUE', 'fALSE', 'truthy', '"true"'].flatMap(
    (raw): [string, string, string][] => [
      [Input.IncludeHiddenFiles, raw, 'true or false'],
      [Input.DryRun, raw, 'true or false'],
      [Input.SkipExisting, raw, 'true or false'],
      [Input.DownloadUrl, raw, 'true or false'],
      [Input.Verify, raw, 'true or false']
    ]
  ),
  [Input.NamePrefix, '/builds/', "must not start with '/'"],
  [Input.NamePrefix, '\\builds\\', 'backslash'],
  [Input.NamePrefix, 'builds\\v1/', 'backslash'],
  [Input.NamePrefix, '../up/', "'..' segment"],
  [Input.NamePrefix, 'a/../b/', "'..' segment"],
  [Input.NamePrefix, 'a/..', "'..' segment"],
  [Input.NamePrefix, '..', "'..' segment"],
  [Input.NamePrefix, 'builds/./v1/', "'.' or '..' segment"],
  [Input.NamePrefix, './', "'.' or '..' segment"],
  [Input.NamePrefix, 'line\nbreak/', 'control characters'],
  [Input.NamePrefix, 'tab\there/', 'control characters'],
  [Input.NamePrefix, 'nul\u0000/', 'control characters'],
  [Input.NamePrefix, 'del\u007f/', 'control characters'],
  [Input.NamePrefix, 'x'.repeat(513), 'at most 512 characters'],
  [Input.NamePrefix, 'a//b/', 'empty segment'],
  [Input.NamePrefix, 'builds//', 'empty segment'],
  ...['file', 'resource', 'v1', 'both'].map((raw): [string, string, string] => [
    Input.Api,
    raw,
    'files or resources'
  ]),
  ...['fail', 'errors', 'true', 'warning', 'none'].map((raw): [string, string, string] => [
    Input.IfNoFilesFound,
    raw,
    'error, warn or ignore'
  ]),
  [Input.BaseUrl, 'not a url', 'https://dash.empirical.run'],
  [Input.BaseUrl, 'dash.empirical.run', 'https://dash.empirical.run'],
  [Input.BaseUrl, '//dash.empirical.run', 'https://dash.empirical.run'],
  [Input.BaseUrl, 'http://dash.empirical.run', 'https://'],
  [Input.BaseUrl, 'http://example.com:8080', 'https://'],
  [Input.BaseUrl, 'http://10.0.0.1', 'https://'],
  [Input.BaseUrl, 'http://0.0.0.0', 'https://'],
  [Input.BaseUrl, 'http://127.0.0.1.evil.example', 'https://'],
  [Input.BaseUrl, 'http://localhost.evil.example', 'https://'],
  [Input.BaseUrl, 'ftp://127.0.0.1', 'https://'],
  [Input.BaseUrl, 'file:///etc/passwd', 'https://'],
  [Input.BaseUrl, 'javascript:alert(1)', 'https://'],
  [Input.BaseUrl, 'https://user:pass@dash.empirical.run', 'credentials'],
  [Input.BaseUrl, 'https://user@dash.empirical.run', 'credentials'],
  [Input.BaseUrl, 'https://dash.empirical.run/?token=1', 'query'],
  [Input.BaseUrl, 'https://dash.empirical.run/#frag', 'fragment'],
  [Input.BaseUrl, 'http://127.0.0.1:8787/api/', 'ends in /api, which the action adds itself'],
  [Input.BaseUrl, 'http://127.0.0.1:8787/api/', 'give http://127.0.0.1:8787 instead'],
  [Input.BaseUrl, 'https://example.com/gateway/api', 'give https://example.com/gateway instead'],
  [Input.BaseUrl, 'https://example.com/api/files/', 'contains /api/files'],
  [Input.BaseUrl, 'https://example.com/p/api/files', 'give https://example.com/p instead'],
  [Input.Files, '# only\n# comments', 'glob patterns'],
  [Input.Files, '\n\n  \n', 'glob patterns'],
  [Input.Files, '!dist/a.txt', 'at least one pattern that includes files'],
  [Input.Files, '# note\n!a\n  !b  ', 'at least one pattern that includes files'],
  [Input.AuthKey, 'has space', 'characters an HTTP header cannot carry'],
  [Input.AuthKey, 'tab\tkey', 'characters an HTTP header cannot carry'],
  [Input.AuthKey, 'line\nbreak', 'characters an HTTP header cannot carry'],
  [Input.AuthKey, 'nul\u0000key', 'characters an HTTP header cannot carry'],
  [Input.AuthKey, 'ключ', 'characters an HTTP header cannot carry']
]

describe('invalid values', () => {
  it.each(INVALID_CASES)('%s %j is refused, saying %j', (name, raw, allowed) => {
    const error = inputError(() => parse({ [name]: raw }))
    expect(error.input).toBe(name)
    expect(error.name).toBe('InputError')
    // `Input 'x': what is wrong`, or a sentence: `Input 'files' is required: …`.
    expect(error.message).toMatch(
      new RegExp(`^Input '${name}'(: | is required: | holds only comments )`)
    )
    expect(error.message).toContain(allowed)
  })

  it.each(
    INVALID_CASES.filter(
      ([name]) =>
        name !== Input.AuthKey &&
        name !== Input.Files &&
        name !== Input.BaseUrl &&
        name !== Input.NamePrefix
    )
  )('%s %j: the message quotes the refused value', (name, raw) => {
    expect(inputError(() => parse({ [name]: raw })).message).toContain(`'${raw.trim()}'`)
  })

  it.each([
    ['not a url', "'not a url'"],
    ['http://example.com:8080/x', "'http://example.com:8080'"],
    ['ftp://127.0.0.1', "'ftp://127.0.0.1'"]
  ])('base-url %j: the message quotes %s', (raw, shown) => {
    expect(inputError(() => parse({ [Input.BaseUrl]: raw })).message).toContain(shown)
  })

  it('does not echo a key that was refused', () => {
    const error = inputError(() => parse({ [Input.AuthKey]: 'sk live 12345' }))
    expect(error.message).not.toContain('sk live 12345')
  })

  it('does not echo credentials put in base-url', () => {
    const error = inputError(() => parse({ [Input.BaseUrl]: 'https://me:hunter2@example.com' }))
    expect(error.message).not.toContain('hunter2')
  })

  it('has an invalid case for every input that can be invalid', () => {
    const covered = new Set(INVALID_CASES.map(([name]) => name))
    // Any description is valid: it is free text.
    expect(DECLARED.filter((name) => !covered.has(name))).toEqual([Input.Description])
  })
})

describe('the API key', () => {
  it('comes from auth-key', () => {
    expect(parse({ [Input.AuthKey]: 'from-input' }, { ...ENV }).apiKey).toBe('from-input')
  })

  it('prefers auth-key over the environment', () => {
    const env = { ...ENV, [KEY_ENV]: 'from-env' }
    expect(parse({ [Input.AuthKey]: 'from-input' }, env).apiKey).toBe('from-input')
  })

  it.each(['', '   '])('comes from EMPIRICALRUN_KEY when auth-key is %j', (raw) => {
    const env = { ...ENV, [KEY_ENV]: '  from-env  ' }
    expect(parse({ [Input.AuthKey]: raw }, env).apiKey).toBe('from-env')
  })

  it('refuses a run with neither, naming both places', () => {
    for (const env of [ENV, { ...ENV, [KEY_ENV]: '' }, { ...ENV, [KEY_ENV]: '  ' }]) {
      const error = inputError(() => parse({ [Input.AuthKey]: '' }, env))
      expect(error.input).toBe(Input.AuthKey)
      expect(error.message).toContain("'auth-key'")
      expect(error.message).toContain('EMPIRICALRUN_KEY')
    }
  })

  it('is not needed on a dry run', () => {
    const inputs = parse({ [Input.AuthKey]: '', [Input.DryRun]: 'true' })
    expect(inputs.dryRun).toBe(true)
    expect(inputs.apiKey).toBe('')
  })

  it('is needed on a dry run that skips existing files, since the project is listed', () => {
    const error = inputError(() =>
      parse({ [Input.AuthKey]: '', [Input.DryRun]: 'true', [Input.SkipExisting]: 'true' })
    )
    expect(error.input).toBe(Input.AuthKey)
    expect(error.message).toContain('EMPIRICALRUN_KEY')
  })

  it('is still checked on a dry run when given', () => {
    const error = inputError(() => parse({ [Input.AuthKey]: 'a b', [Input.DryRun]: 'true' }))
    expect(error.input).toBe(Input.AuthKey)
  })

  it('refuses a bad key from the environment too', () => {
    const error = inputError(() =>
      parse({ [Input.AuthKey]: '' }, { ...ENV, [KEY_ENV]: 'two words' })
    )
    expect(error.input).toBe(Input.AuthKey)
  })

  it('is masked before anything else is parsed', () => {
    const fromInput = parse({ [Input.AuthKey]: 'mask-me-please' })
    expect(stdout.join('')).toContain('::add-mask::mask-me-please')
    // The key masked is the key the settings carry.
    expect(stdout.join('')).toBe(`::add-mask::${fromInput.apiKey}\n`)
    expect(fromInput.apiKey).toBe('mask-me-please')
    stdout = []
    const fromEnv = parse({ [Input.AuthKey]: '' }, { ...ENV, [KEY_ENV]: ' env-key-masked ' })
    expect(stdout.join('')).toContain('::add-mask::env-key-masked')
    expect(stdout.join('')).toBe(`::add-mask::${fromEnv.apiKey}\n`)
    expect(fromEnv.apiKey).toBe('env-key-masked')
    stdout = []
    // Even when a later input is bad, the key was already masked.
    inputError(() => parse({ [Input.AuthKey]: 'masked-early', [Input.ProjectId]: 'x' }))
    expect(stdout.join('')).toContain('::add-mask::masked-early')
  })

  it('maskSecret registers each secret once, and not the key getInputs registered', () => {
    parse({ [Input.AuthKey]: 'registered-by-inputs' })
    stdout = []
    maskSecret('registered-by-inputs')
    maskSecret('a-signature')
    maskSecret('a-signature')
    expect(stdout.join('')).toBe('::add-mask::a-signature\n')
  })

  it('registers no mask without a key, and the key from the environment, trimmed', () => {
    // A dry run without skip-existing is the one run that needs no key.
    const none = parse({ [Input.AuthKey]: '', [Input.DryRun]: 'true' }, {})
    expect(none.apiKey).toBe('')
    expect(stdout.join('')).not.toContain('::add-mask::')
    const fromEnv = parse({ [Input.AuthKey]: '' }, { [KEY_ENV]: '  erk_1  ' })
    expect(fromEnv.apiKey).toBe('erk_1')
    expect(stdout.join('')).toBe('::add-mask::erk_1\n')
  })
})

/**
 * The test hooks: the variable, the field it sets, its default, values it reads, and values it
 * refuses with what the message says is allowed.
 */
const HOOKS: {
  hook: string
  variable: string
  field: 'progressIntervalMs' | 'retryBaseMs'
  fallback: number
  read: [string, number][]
  refused: string[]
  allowed: string
}[] = [
  {
    hook: 'the progress interval',
    variable: PROGRESS_INTERVAL_ENV,
    field: 'progressIntervalMs',
    fallback: 10_000,
    read: [['250', 250]],
    refused: ['0', '-5', 'soon'],
    allowed: 'an integer >= 1'
  },
  {
    hook: 'the retry base delay',
    variable: RETRY_BASE_ENV,
    field: 'retryBaseMs',
    fallback: 1000,
    read: [
      ['', 1000],
      ['0', 0],
      ['25', 25]
    ],
    refused: ['-1', 'fast', '1.5'],
    allowed: 'an integer >= 0'
  }
]

describe.each(HOOKS)(
  '$hook (test hook)',
  ({ variable, field, fallback, read, refused, allowed }) => {
    it(`defaults to ${fallback} ms and reads ${variable}`, () => {
      expect(parse({}, { ...ENV })[field]).toBe(fallback)
      for (const [raw, value] of read)
        expect(parse({}, { ...ENV, [variable]: raw })[field]).toBe(value)
    })

    it.each(refused)('refuses %j, naming the variable', (raw) => {
      const error = inputError(() => parse({}, { ...ENV, [variable]: raw }))
      expect(error.input).toBe(variable)
      expect(error.message).toContain(allowed)
    })
  }
)

describe('each face names the setting of a bad value in its own words', () => {
  /** What the CLI's main gives the table: the typed flags and the key from the environment. */
  function cliError(given: Partial<Record<SettingKey, unknown>>, key = 'k'): InputError {
    return inputError(() =>
      resolveSettings(
        { projectId: '42', files: ['dist/**'], apiKey: key, ...given },
        { face: 'cli', source: 'text', workspace: '/ws' }
      )
    )
  }
  /** What uploadFiles gives the table: a program's values. */
  function libraryError(
    given: Partial<Record<SettingKey, unknown>>,
    source: Source = 'value'
  ): InputError {
    return inputError(() =>
      resolveSettings(
        {
          projectId: source === 'value' ? 42 : '42',
          files: ['dist/**'],
          apiKey: 'k',
          ...given
        },
        { face: 'library', source, workspace: '/ws' }
      )
    )
  }

  /** [kind, key, bad text, bad value for a program, action detail, CLI detail, library detail] */
  const KINDS: [string, SettingKey, string, unknown, string, string, string][] = [
    [
      'bounded integer',
      'concurrency',
      '0',
      0,
      "'0' is not allowed: give an integer from 1 to 64",
      "'0' is not allowed: give an integer from 1 to 64",
      "'0' is not allowed: give an integer from 1 to 64"
    ],
    [
      'integer from 1',
      'projectId',
      'abc',
      0,
      "'abc' is not allowed: give a whole number from 1, such as 42",
      "'abc' is not allowed: give a whole number from 1, such as 42",
      "'0' is not allowed: give a whole number from 1, such as 42"
    ],
    [
      'boolean',
      'dryRun',
      'yes',
      'yes',
      "'yes' is not allowed: give true or false",
      "'yes' is not allowed: give true or false",
      "the string 'yes' is not allowed: give true or false"
    ],
    [
      'choice',
      'ifNoFilesFound',
      'fail',
      'fail',
      "'fail' is not allowed: give error, warn or ignore",
      "'fail' is not allowed: give error, warn or ignore",
      "'fail' is not allowed: give error, warn or ignore"
    ],
    [
      'text',
      'namePrefix',
      '/builds/',
      '/builds/',
      "must not start with '/': give something like builds/v1.2.3/ or nightly-",
      "must not start with '/': give something like builds/v1.2.3/ or nightly-",
      "must not start with '/': give something like builds/v1.2.3/ or nightly-"
    ],
    [
      'URL',
      'baseUrl',
      'http://127.0.0.1:8787/api/',
      'http://127.0.0.1:8787/api/',
      "'http://127.0.0.1:8787/api/' ends in /api, which the action adds itself",
      "'http://127.0.0.1:8787/api/' ends in /api, which empiricalrun-upload adds itself",
      "'http://127.0.0.1:8787/api/' ends in /api, which uploadFiles() adds itself"
    ],
    [
      'key',
      'apiKey',
      'has space',
      'has space',
      'the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)',
      'the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)',
      'the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)'
    ],
    [
      'patterns',
      'files',
      '!dist/a.txt',
      ['!dist/a.txt'],
      'every pattern is an exclusion (!): add at least one pattern that includes files',
      'every pattern is an exclusion (!): add at least one pattern that includes files',
      'every pattern is an exclusion (!): add at least one pattern that includes files'
    ]
  ]

  it.each(KINDS)(
    'a bad %s (%s)',
    (_kind, key, raw, value, actionDetail, cliDetail, libraryDetail) => {
      const setting: Setting = SETTINGS[key]
      const action = inputError(() => parse({ [setting.input]: raw }))
      expect(action.message.startsWith(`Input '${setting.input}': ${actionDetail}`)).toBe(true)
      const cli = cliError(key === 'files' ? { files: [raw] } : { [key]: raw })
      const cliName = key === 'apiKey' ? KEY_ENV : `--${setting.flag}`
      expect(cli.message.startsWith(key === 'files' ? cliDetail : `${cliName}: ${cliDetail}`)).toBe(
        true
      )
      const library = libraryError({ [key]: value })
      expect(library.message.startsWith(`Option '${key}': ${libraryDetail}`)).toBe(true)
      for (const error of [action, cli, library]) {
        expect(error).toMatchObject({ option: key, input: setting.input, flag: setting.flag })
      }
      expect(action.detail.startsWith(actionDetail)).toBe(true)
      expect(cli.detail.startsWith(cliDetail)).toBe(true)
      expect(library.detail.startsWith(libraryDetail)).toBe(true)
    }
  )

  it('a program that gives text for a number, or a number for text, is told the type', () => {
    expect(libraryError({ concurrency: '16' }).message).toBe(
      "Option 'concurrency': the string '16' is not allowed: give a number: an integer from 1 to 64"
    )
    expect(libraryError({ description: 5 }).message).toBe(
      "Option 'description': number 5 is not allowed: give a string"
    )
    expect(libraryError({ files: 7 }).message).toBe(
      "Option 'files': number 7 is not allowed: give a string or an array of strings"
    )
  })

  it('the missing key is named where each face takes it from', () => {
    const action = inputError(() => parse({ [Input.AuthKey]: '' }))
    expect(action.message).toBe(
      "Input 'auth-key': no API key: set 'auth-key' (e.g. ${{ secrets.EMPIRICALRUN_KEY }}) or the EMPIRICALRUN_KEY environment variable (apiKey in the library)"
    )
    // The action's message is as it was, on a dry run that lists the project too.
    expect(
      inputError(() =>
        parse({ [Input.AuthKey]: '', [Input.DryRun]: 'true', [Input.SkipExisting]: 'true' })
      ).message
    ).toBe(action.message)
    // The CLI's message names the variable in its advice, so it is not put before it as well.
    expect(cliError({}, '').message).toBe(
      'no API key: set the EMPIRICALRUN_KEY environment variable (there is no flag for the key: it would leak into shell history and the process list)'
    )
    expect(libraryError({ apiKey: '' }).message).toBe(
      "Option 'apiKey': no API key: pass apiKey, or set the EMPIRICALRUN_KEY environment variable"
    )
    expect(cliError({ dryRun: 'true', skipExisting: 'true' }, '').message).toContain(
      'no API key: --skip-existing lists the project, which needs the key even on a dry run: set the EMPIRICALRUN_KEY environment variable'
    )
    expect(libraryError({ apiKey: '', dryRun: true, skipExisting: true }).message).toContain(
      "Option 'apiKey': no API key: skipExisting lists the project, which needs the key even on a dry run: "
    )
  })

  it('a missing required setting is named in each face, as a sentence', () => {
    expect(inputError(() => parse({ [Input.ProjectId]: '' })).message).toBe(
      "Input 'project-id' is required: give a whole number from 1, such as 42"
    )
    expect(cliError({ projectId: '' }).message).toBe(
      '--project-id is required: give a whole number from 1, such as 42'
    )
    expect(libraryError({ projectId: undefined }).message).toBe(
      "Option 'projectId' is required: give a whole number from 1, such as 42"
    )
    for (const blank of ['', '  \n\n ']) {
      expect(inputError(() => parse({ [Input.Files]: blank })).message).toBe(
        "Input 'files' is required: give one or more glob patterns, one per line"
      )
      expect(cliError({ files: [blank] }).message).toBe(
        'a pattern (--files or an argument) is required: give one or more glob patterns, one per line'
      )
      expect(libraryError({ files: blank }).message).toBe(
        "Option 'files' is required: give one or more glob patterns, one per line"
      )
    }
    expect(cliError({ files: [] }).message).toBe(
      'a pattern (--files or an argument) is required: give one or more glob patterns, one per line'
    )
    expect(libraryError({ files: [] }).message).toBe(
      "Option 'files' is required: give one or more glob patterns, one per line"
    )
    expect(libraryError({ files: undefined }).message).toBe(
      "Option 'files' is required: give one or more glob patterns, one per line"
    )
  })

  it('patterns that are only comments are told so in each face', () => {
    const comments = '# the reports\n  # and the logs'
    const error = inputError(() => parse({ [Input.Files]: comments }))
    expect(error.message).toBe(
      "Input 'files' holds only comments (lines starting with #): give one or more glob patterns, one per line"
    )
    expect(error.detail).toBe(
      'holds only comments (lines starting with #): give one or more glob patterns, one per line'
    )
    expect(cliError({ files: ['# the reports', '#x'] }).message).toBe(
      'the patterns (--files and arguments) hold only comments (lines starting with #): give one or more glob patterns, one per line'
    )
    expect(libraryError({ files: ['', '# the reports'] }).message).toBe(
      "Option 'files' holds only comments (lines starting with #): give one or more glob patterns, one per line"
    )
    expect(libraryError({ files: comments }).message).toBe(
      "Option 'files' holds only comments (lines starting with #): give one or more glob patterns, one per line"
    )
  })

  it('a problem with patterns that is not a predicate keeps its colon, and stands alone on a command line', () => {
    expect(inputError(() => parse({ [Input.Files]: '!a' })).message).toBe(
      "Input 'files': every pattern is an exclusion (!): add at least one pattern that includes files"
    )
    expect(cliError({ files: ['!a'] }).message).toBe(
      'every pattern is an exclusion (!): add at least one pattern that includes files'
    )
  })

  it('uploadFiles rejects a bad option in the library words, before any request', async () => {
    await expect(
      uploadFiles({ apiKey: 'k', projectId: 42, files: 'dist/**', concurrency: 0, cwd: '/ws' })
    ).rejects.toMatchObject({
      name: 'InputError',
      option: 'concurrency',
      message: "Option 'concurrency': '0' is not allowed: give an integer from 1 to 64"
    })
  })

  /** Every bad value of INVALID_CASES, and the missing ones, as the CLI and the library meet them. */
  function otherFaceErrors(): [Face, InputError][] {
    const errors: [Face, InputError][] = []
    for (const [name, raw] of INVALID_CASES) {
      const key = keyOf(name)
      const given = key === 'files' ? { files: raw } : { [key]: raw }
      errors.push(['cli', cliError(given)])
      errors.push(['library', libraryError(given, 'text')])
      errors.push(['library', libraryError(given)])
    }
    errors.push(['cli', cliError({}, '')])
    errors.push(['cli', cliError({ dryRun: 'true', skipExisting: 'true' }, '')])
    errors.push(['cli', cliError({ projectId: '' })])
    errors.push(['cli', cliError({ files: [] })])
    errors.push(['library', libraryError({ apiKey: '' })])
    errors.push(['library', libraryError({ apiKey: '', dryRun: true, skipExisting: true })])
    errors.push(['library', libraryError({ projectId: undefined })])
    errors.push(['library', libraryError({ files: [] })])
    return errors
  }

  it('no CLI or library message speaks of a workflow expression or quotes an action input', () => {
    const errors = otherFaceErrors()
    expect(errors.length).toBe(3 * INVALID_CASES.length + 8)
    for (const [face, error] of errors) {
      expect(error.message, error.message).not.toContain('${{')
      expect(error.message, error.message).not.toMatch(/^Input '/)
      expect(error.message, error.message).not.toContain('the action')
      for (const key of SETTING_KEYS) {
        const { input } = SETTINGS[key]
        // The library's own name may be the input's (`Option 'files'`); the CLI quotes none.
        if (face === 'library' && input === key) continue
        expect(error.message, error.message).not.toContain(`'${input}'`)
      }
      if (face === 'cli') expect(error.message, error.message).not.toMatch(/^Option '/)
      else
        expect(error.message, error.message).toMatch(
          new RegExp(`^Option '${error.option}'(: | is required: | holds only comments )`)
        )
    }
  })
})
