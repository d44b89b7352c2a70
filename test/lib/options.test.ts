// The library's options beyond the settings table: an unknown name refused with the nearest known
// one, a cwd that is not a folder refused, and the key taken from EMPIRICALRUN_KEY when left out.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.ts'
import { keyOf, refuseUnknownOptions, requireFolder, workspaceOf } from '../../src/lib/options.ts'

describe('refuseUnknownOptions', () => {
  const known = ['skipExisting', 'dryRun', 'cwd']

  it('passes the names it knows', () => {
    expect(() => refuseUnknownOptions({ skipExisting: true, cwd: undefined }, known)).not.toThrow()
    expect(() => refuseUnknownOptions({}, known)).not.toThrow()
  })

  it('refuses an unknown name with the nearest known one, or alone', () => {
    expect(() => refuseUnknownOptions({ dryRun: true, skipExisiting: true }, known)).toThrow(
      new InputError(
        { setting: 'skipExisiting', input: 'skipExisiting', flag: undefined },
        "unknown option; did you mean 'skipExisting'?",
        "Option 'skipExisiting': unknown option; did you mean 'skipExisting'?"
      )
    )
    expect(() => refuseUnknownOptions({ frobnicate: 1 }, known)).toThrow(
      /^Option 'frobnicate': unknown option$/
    )
  })

  it('refuses an unknown name given as undefined too, and names it as the error’s option', () => {
    let caught: unknown
    try {
      refuseUnknownOptions({ dryrun: undefined }, known)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InputError)
    expect(caught).toMatchObject({
      option: 'dryrun',
      input: 'dryrun',
      flag: undefined,
      detail: "unknown option; did you mean 'dryRun'?"
    })
  })
})

describe('workspaceOf and requireFolder', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'core-options-'))
    await writeFile(path.join(dir, 'a.txt'), 'alpha')
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('takes a cwd from the current directory, and none as the current directory', () => {
    expect(workspaceOf(undefined)).toBe(process.cwd())
    expect(workspaceOf('')).toBe(process.cwd())
    expect(workspaceOf('sub')).toBe(path.join(process.cwd(), 'sub'))
    expect(workspaceOf(dir)).toBe(dir)
  })

  it('refuses a cwd that is not text', () => {
    expect(() => workspaceOf(42)).toThrow(
      new InputError(
        { setting: 'cwd', input: 'cwd', flag: undefined },
        "give a folder's path as a string, not a number",
        "Option 'cwd': give a folder's path as a string, not a number"
      )
    )
  })

  it('passes a folder, and refuses what is not one, naming cwd', async () => {
    await expect(requireFolder(dir)).resolves.toBeUndefined()
    await expect(requireFolder(path.join(dir, 'nope'))).rejects.toThrow(
      `Option 'cwd': ${path.join(dir, 'nope')} does not exist`
    )
    await expect(requireFolder(path.join(dir, 'a.txt'))).rejects.toThrow(
      new InputError(
        { setting: 'cwd', input: 'cwd', flag: undefined },
        `${path.join(dir, 'a.txt')} is not a folder`,
        `Option 'cwd': ${path.join(dir, 'a.txt')} is not a folder`
      )
    )
    await expect(requireFolder(path.join(dir, 'a.txt', 'sub'))).rejects.toThrow(
      `Option 'cwd': ${path.join(dir, 'a.txt', 'sub')} cannot be read (ENOTDIR)`
    )
  })
})

describe('keyOf', () => {
  const env = { EMPIRICALRUN_KEY: 'from-env' }

  it('takes apiKey when it is given', () => {
    expect(keyOf('given', env)).toBe('given')
    expect(keyOf(' given ', env)).toBe(' given ')
    expect(keyOf(42, env)).toBe(42)
    expect(keyOf(null, env)).toBe(null)
  })

  it('takes EMPIRICALRUN_KEY when apiKey is left out, empty or blank', () => {
    expect(keyOf(undefined, env)).toBe('from-env')
    expect(keyOf('', env)).toBe('from-env')
    expect(keyOf(' \t', env)).toBe('from-env')
  })

  it('leaves apiKey as it was when the variable is not set either', () => {
    expect(keyOf(undefined, {})).toBeUndefined()
    expect(keyOf('  ', {})).toBe('  ')
  })
})
