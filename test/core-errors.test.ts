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
  settingHint,
  UnknownStateError,
  unreadableFile
} from '../src/core/errors.ts'

describe('each error names itself', () => {
  // Each error is made inside its test, where mutation testing's mutant is already active.
  it.each([
    ['InputError', () => new InputError('files', 'bad'), "Input 'files': bad"],
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
      () => new ListFailedError(new Error('down')),
      "skip-existing: the project's files could not be listed, so nothing was uploaded (uploading without the list could make duplicates): down"
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
    const error = new ListFailedError(cause, 'check it')
    expect(error.cause).toBe(cause)
    expect(error.message.endsWith(': down (check it)')).toBe(true)
  })
})

describe('InputError names the library option of each setting', () => {
  it.each([
    ['project-id', 'projectId'],
    ['if-no-files-found', 'ifNoFilesFound'],
    ['files', 'files'],
    ['auth-key', 'apiKey'],
    ['EMPIRICALRUN_RETRY_BASE_MS', 'retryBaseMs'],
    ['EMPIRICALRUN_PROGRESS_INTERVAL_MS', 'progressIntervalMs'],
    ['x-9', 'x-9']
  ])('%s → %s', (input, option) => {
    const error = new InputError(input, 'is wrong')
    expect(error).toMatchObject({ input, option, detail: 'is wrong' })
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

  it('a 404 on create or list points at project-id and base-url; elsewhere it does not', () => {
    const url = 'https://x.example/api/files'
    const hint = `no such project, or the key cannot see it: check project-id; or no files API at ${url}: check base-url`
    expect(settingHint(new HttpError('create', 404, ''), url)).toBe(hint)
    expect(settingHint(new HttpError('list', 404, ''), url)).toBe(hint)
    expect(settingHint(new HttpError('get', 404, ''), url)).toBeUndefined()
    expect(settingHint(new HttpError('create', 400, ''), url)).toBeUndefined()
    expect(settingHint(new NetworkError('create', '404'), url)).toBeUndefined()
  })
})
