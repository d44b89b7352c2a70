// The core's typed errors as a caller meets them: each names itself (in a stack trace, in
// String(error)), says what happened in one line, and keeps what caused it.
import { describe, expect, it } from 'vitest'
import {
  CancelledError,
  FileChangedError,
  HttpError,
  InputError,
  isAuthFailure,
  ListFailedError,
  messageOf,
  NetworkError,
  UnknownStateError,
  unreadableFile
} from '../../src/core/errors.ts'
import { resolveSettings } from '../../src/core/settings/resolve.ts'
import {
  inputError,
  PROGRESS_INTERVAL_ENV,
  RETRY_BASE_ENV,
  SETTING_KEYS,
  SETTINGS,
  type Face
} from '../../src/core/settings/settings.ts'
import { keyRefusedHint, notFoundHint, settingHint } from '../../src/core/settings/words.ts'

const FACES: readonly Face[] = ['action', 'cli', 'library']

describe('each error names itself', () => {
  // Each error is made inside its test, where mutation testing's mutant is already active.
  it.each([
    [
      'InputError',
      () =>
        new InputError(
          { setting: 'files', input: 'files', flag: 'files' },
          'bad',
          "Input 'files': bad"
        ),
      "Input 'files': bad"
    ],
    ['InputError', () => inputError('files', 'bad', 'action'), "Input 'files': bad"],
    ['InputError', () => inputError('projectId', 'bad', 'cli'), '--project-id: bad'],
    ['InputError', () => inputError('projectId', 'bad', 'library'), "Option 'projectId': bad"],
    ['HttpError', () => new HttpError('create', 503, 'busy'), 'create failed: HTTP 503: busy'],
    ['HttpError', () => new HttpError('get', 200, ''), 'get failed: HTTP 200'],
    ['NetworkError', () => new NetworkError('list', 'reset'), 'list failed: reset'],
    ['FileChangedError', () => new FileChangedError('moved'), 'moved'],
    [
      'UnknownStateError',
      () => new UnknownStateError(4, 'a', 'b'),
      'a; reading record 4 back failed too (b), so its state is unknown: the project may list it as uploaded'
    ],
    [
      'ListFailedError',
      () => new ListFailedError('skip-existing', new Error('down')),
      "skip-existing: the project's files could not be listed, so nothing was uploaded (uploading without the list could make duplicates): down"
    ],
    [
      'ListFailedError',
      () => new ListFailedError('--skip-existing', new Error('down')),
      "--skip-existing: the project's files could not be listed, so nothing was uploaded (uploading without the list could make duplicates): down"
    ],
    ['CancelledError', () => new CancelledError(), 'cancelled']
  ])('%s', (name, make, message) => {
    const error = make()
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe(name)
    expect(error.message).toBe(message)
    expect(String(error)).toBe(`${name}: ${message}`)
  })

  it('a failed listing keeps its cause, and adds the hint it is given', () => {
    const cause = new Error('down')
    const error = new ListFailedError('skipExisting', cause, 'check it')
    expect(error.cause).toBe(cause)
    expect(error.message.endsWith(': down (check it)')).toBe(true)
    expect(error.message.startsWith("skipExisting: the project's files could not be listed")).toBe(
      true
    )
    expect(new ListFailedError('skip-existing', cause).message.endsWith(': down')).toBe(true)
  })
})

describe('InputError names the library option of each setting', () => {
  it('the constructor keeps the names it is given; the option falls back to the input', () => {
    const error = new InputError(
      { setting: 'projectId', input: 'project-id', flag: 'project-id' },
      'is wrong',
      'the message'
    )
    expect(error).toMatchObject({
      option: 'projectId',
      input: 'project-id',
      flag: 'project-id',
      detail: 'is wrong',
      message: 'the message'
    })
    const hook = new InputError(
      { setting: undefined, input: 'x-9', flag: undefined },
      'is wrong',
      'm'
    )
    expect(hook).toMatchObject({ option: 'x-9', input: 'x-9', flag: undefined, detail: 'is wrong' })
  })

  it.each([
    ['projectId', 'project-id', 'project-id'],
    ['ifNoFilesFound', 'if-no-files-found', 'if-no-files-found'],
    ['files', 'files', 'files'],
    ['apiKey', 'auth-key', undefined]
  ] as const)('%s is the input %s and the flag %s', (key, input, flag) => {
    for (const face of FACES) {
      expect(inputError(key, 'is wrong', face)).toMatchObject({
        option: key,
        input,
        flag,
        detail: 'is wrong'
      })
    }
  })

  it.each(SETTING_KEYS.flatMap((key) => FACES.map((face) => [key, face] as const)))(
    '%s in the words of the %s',
    (key, face) => {
      const setting = SETTINGS[key]
      const error = inputError(key, 'is wrong', face)
      expect(error).toBeInstanceOf(InputError)
      expect(error.name).toBe('InputError')
      expect(error).toMatchObject({
        option: key,
        input: setting.input,
        flag: setting.flag,
        detail: 'is wrong'
      })
      const message = {
        action: `Input '${setting.input}': is wrong`,
        library: `Option '${key}': is wrong`,
        cli:
          key === 'files'
            ? 'is wrong'
            : key === 'apiKey'
              ? 'EMPIRICALRUN_KEY: is wrong'
              : `--${setting.flag}: is wrong`
      }[face]
      expect(error.message).toBe(message)
    }
  )

  it.each([
    ['retryBaseMs', RETRY_BASE_ENV, '0'],
    ['progressIntervalMs', PROGRESS_INTERVAL_ENV, '1']
  ] as const)('the %s test hook is named by its variable, %s, in every face', (hook, name, min) => {
    for (const face of FACES) {
      const given = { projectId: '1', files: '*.txt', dryRun: 'true' }
      const ctx = { face, source: 'text' as const, workspace: '/ws', [hook]: 'soon' }
      const error = (() => {
        try {
          resolveSettings(given, ctx)
        } catch (caught) {
          return caught
        }
        return undefined
      })()
      expect(error).toBeInstanceOf(InputError)
      expect(error).toMatchObject({
        option: name,
        input: name,
        flag: undefined,
        detail: `'soon' is not allowed: give an integer >= ${min}`,
        message: `${name}: 'soon' is not allowed: give an integer >= ${min}`
      })
    }
  })
})

describe('helpers', () => {
  it('messageOf gives the message of an Error and the text of anything else', () => {
    expect(messageOf(new TypeError('bad type'))).toBe('bad type')
    expect(messageOf('plain')).toBe('plain')
    expect(messageOf(42)).toBe('42')
    expect(messageOf({ message: 'not an Error' })).toBe('[object Object]')
  })

  it('unreadableFile says a missing file disappeared, and quotes any other failure', () => {
    const gone = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    expect(unreadableFile(gone, 'after it was listed').message).toBe(
      'the file disappeared after it was listed'
    )
    expect(unreadableFile(denied, 'after it was listed').message).toBe(
      'cannot read the file: EACCES: permission denied'
    )
    expect(unreadableFile(denied, 'x')).toBeInstanceOf(FileChangedError)
  })

  it('a 401 from the API is a refused key; from storage it is not', () => {
    expect(isAuthFailure(new HttpError('create', 401, 'no'))).toBe(true)
    expect(isAuthFailure(new HttpError('get', 401, 'no'))).toBe(true)
    expect(isAuthFailure(new HttpError('upload', 401, 'no'))).toBe(false)
    expect(isAuthFailure(new HttpError('create', 403, 'no'))).toBe(false)
    expect(isAuthFailure(new NetworkError('create', '401'))).toBe(false)
  })

  it.each([
    ['action', 'project-id', 'base-url'],
    ['cli', '--project-id', '--base-url'],
    ['library', 'projectId', 'baseUrl']
  ] as const)(
    'a 404 on create or list points at the project and the base URL in the words of the %s; elsewhere it does not',
    (face, projectId, baseUrl) => {
      const url = 'https://x.example/api/files'
      const hint = `no such project, or the key cannot see it: check ${projectId}; or no files API at ${url}: check ${baseUrl}`
      expect(notFoundHint(face, url)).toBe(hint)
      expect(settingHint(new HttpError('create', 404, ''), url, face)).toBe(hint)
      expect(settingHint(new HttpError('list', 404, ''), url, face)).toBe(hint)
      expect(settingHint(new HttpError('get', 404, ''), url, face)).toBeUndefined()
      expect(settingHint(new HttpError('create', 400, ''), url, face)).toBeUndefined()
      expect(settingHint(new NetworkError('create', '404'), url, face)).toBeUndefined()
    }
  )

  it.each([
    ['action', 'auth-key / EMPIRICALRUN_KEY'],
    ['cli', 'EMPIRICALRUN_KEY'],
    ['library', 'apiKey']
  ] as const)('a refused key points at the key in the words of the %s', (face, key) => {
    const hint = `the API key was refused: check ${key} and that the key is not revoked`
    expect(keyRefusedHint(face)).toBe(hint)
    const url = 'https://x.example/api/files'
    expect(settingHint(new HttpError('create', 401, 'no'), url, face)).toBe(hint)
    expect(settingHint(new HttpError('list', 401, 'no'), url, face)).toBe(hint)
    expect(settingHint(new HttpError('get', 401, 'no'), url, face)).toBe(hint)
    expect(settingHint(new HttpError('upload', 401, 'no'), url, face)).toBeUndefined()
  })
})
