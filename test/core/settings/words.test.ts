// What the core tells a user to change, in the words of each face: the action's inputs, the CLI's
// flags, the library's options.
import { describe, expect, it } from 'vitest'
import { HttpError, NetworkError, type Step } from '../../../src/core/errors.ts'
import type { Face } from '../../../src/core/settings/settings.ts'
import {
  check,
  keyRefusedHint,
  notFoundHint,
  setTo,
  settingHint
} from '../../../src/core/settings/words.ts'

const FILES_URL = 'https://dash.example/api/projects/7/files'
const FACES: Face[] = ['action', 'cli', 'library']

/** One test per face: what `say` gives for that face is its entry in `words`. */
function itSaysInEachFace(does: string, say: (face: Face) => string, words: Record<Face, string>) {
  it.each(FACES)(`${does} in the words of the %s`, (face) => {
    expect(say(face)).toBe(words[face])
  })
}

describe('setTo', () => {
  itSaysInEachFace(
    'names two choices',
    (face) => setTo(face, 'ifNoFilesFound', ['warn', 'ignore']),
    {
      action: "set 'if-no-files-found' to warn or ignore",
      cli: 'give --if-no-files-found warn or ignore',
      library: "set ifNoFilesFound to 'warn' or 'ignore'"
    }
  )

  itSaysInEachFace(
    'names a switch turned on',
    (face) => setTo(face, 'includeHiddenFiles', [true]),
    {
      action: "set 'include-hidden-files' to true",
      cli: 'add --include-hidden-files',
      library: 'set includeHiddenFiles to true'
    }
  )

  itSaysInEachFace(
    'gives a value that is not a lone true',
    (face) => setTo(face, 'verify', [false]),
    {
      action: "set 'verify' to false",
      cli: 'give --verify false',
      library: 'set verify to false'
    }
  )

  itSaysInEachFace(
    'gives true among other values rather than adding the switch,',
    (face) => setTo(face, 'dryRun', [true, false]),
    {
      action: "set 'dry-run' to true or false",
      cli: 'give --dry-run true or false',
      library: 'set dryRun to true or false'
    }
  )

  itSaysInEachFace(
    'quotes a string that reads true only in code,',
    (face) => setTo(face, 'namePrefix', ['true']),
    {
      action: "set 'name-prefix' to true",
      cli: 'give --name-prefix true',
      library: "set namePrefix to 'true'"
    }
  )
})

describe('check', () => {
  itSaysInEachFace('names the key', (face) => check(face, 'apiKey'), {
    action: 'check auth-key / EMPIRICALRUN_KEY',
    cli: 'check EMPIRICALRUN_KEY',
    library: 'check apiKey'
  })

  itSaysInEachFace('names another setting', (face) => check(face, 'projectId'), {
    action: 'check project-id',
    cli: 'check --project-id',
    library: 'check projectId'
  })
})

describe('keyRefusedHint', () => {
  itSaysInEachFace('says what to check', keyRefusedHint, {
    action:
      'the API key was refused: check auth-key / EMPIRICALRUN_KEY and that the key is not revoked',
    cli: 'the API key was refused: check EMPIRICALRUN_KEY and that the key is not revoked',
    library: 'the API key was refused: check apiKey and that the key is not revoked'
  })
})

describe('notFoundHint', () => {
  itSaysInEachFace('names both settings and the URL', (face) => notFoundHint(face, FILES_URL), {
    action: `no such project, or the key cannot see it: check project-id; or no files API at ${FILES_URL}: check base-url`,
    cli: `no such project, or the key cannot see it: check --project-id; or no files API at ${FILES_URL}: check --base-url`,
    library: `no such project, or the key cannot see it: check projectId; or no files API at ${FILES_URL}: check baseUrl`
  })
})

describe('notFoundHint of the Resources API (the key picks the project)', () => {
  const RESOURCES_URL = 'https://api.example/gw/api/resources'
  itSaysInEachFace(
    'names the key, not the project ID, and the URL',
    (face) => notFoundHint(face, RESOURCES_URL),
    {
      action: `the key's project cannot be reached (the key picks the project): check auth-key / EMPIRICALRUN_KEY; or no resources API at ${RESOURCES_URL}: check base-url`,
      cli: `the key's project cannot be reached (the key picks the project): check EMPIRICALRUN_KEY; or no resources API at ${RESOURCES_URL}: check --base-url`,
      library: `the key's project cannot be reached (the key picks the project): check apiKey; or no resources API at ${RESOURCES_URL}: check baseUrl`
    }
  )

  it('is the Files one for a URL of the Files API', () => {
    const url = 'https://dash.example/api/files'
    expect(notFoundHint('cli', url)).toBe(
      `no such project, or the key cannot see it: check --project-id; or no files API at ${url}: check --base-url`
    )
  })
})

describe('settingHint', () => {
  it.each(FACES)('explains a refused key (401 from the API) in the words of the %s', (face) => {
    for (const step of ['create', 'confirm', 'list', 'get'] as const) {
      expect(settingHint(new HttpError(step, 401, 'no'), FILES_URL, face)).toBe(
        keyRefusedHint(face)
      )
    }
  })

  it.each(FACES)('explains a 404 on the files in the words of the %s', (face) => {
    for (const step of ['create', 'list'] as const) {
      expect(settingHint(new HttpError(step, 404, 'Not Found'), FILES_URL, face)).toBe(
        notFoundHint(face, FILES_URL)
      )
    }
  })

  it.each(FACES)('has no hint for other failures, in the words of the %s', (face) => {
    const others: unknown[] = [
      new HttpError('create', 500, 'oops'),
      new HttpError('list', 403, 'forbidden'),
      new HttpError('list', 400, 'bad'),
      ...(['upload', 'confirm', 'get', 'verify'] as Step[]).map(
        (step) => new HttpError(step, 404, 'Not Found')
      ),
      new HttpError('upload', 401, 'storage'),
      new HttpError('verify', 401, 'storage'),
      new NetworkError('create', 'ECONNREFUSED'),
      Object.assign(new Error('create failed: HTTP 404'), { step: 'create', status: 404 }),
      { step: 'list', status: 404 },
      undefined
    ]
    for (const error of others) expect(settingHint(error, FILES_URL, face)).toBeUndefined()
  })
})
