// The library's entry point: what src/lib/index.ts exports at run time, and that each export is
// the core's own function, class or value rather than a copy. test/bundle/library.test.ts imports
// the built dist/lib/ as a package's user would.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as errors from '../../src/core/errors.ts'
import * as checksums from '../../src/core/results/checksums.ts'
import * as manifest from '../../src/core/results/manifest.ts'
import * as version from '../../src/core/version.ts'
import * as lib from '../../src/lib/index.ts'
import * as uploadFiles from '../../src/lib/upload-files.ts'

const SHA = 'a'.repeat(64)

/** What the entry point exports at run time (its types leave nothing behind), and from where. */
const OWN: Record<string, unknown> = {
  uploadFiles: uploadFiles.uploadFiles,
  toManifestJson: manifest.toManifestJson,
  checksumsOf: checksums.checksumsOf,
  formatChecksums: checksums.formatChecksums,
  InputError: errors.InputError,
  VERSION: version.VERSION
}

describe('the library entry point', () => {
  it('exports exactly these names, each the core module’s own function, class or value', () => {
    expect(Object.keys(lib).sort()).toEqual(Object.keys(OWN).sort())
    for (const [name, value] of Object.entries(OWN)) {
      expect(lib[name as keyof typeof lib], name).toBe(value)
      expect(value, name).toBeDefined()
    }
  })

  it('rejects a bad option with the InputError it exports, in the library’s words', async () => {
    const error: unknown = await lib
      .uploadFiles({ apiKey: 'k', projectId: 7, files: [] })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(lib.InputError)
    expect(error).toMatchObject({ name: 'InputError', option: 'files', input: 'files' })
    expect((error as Error).message).toBe(
      "Option 'files' is required: give one or more glob patterns, one per line"
    )
  })

  it('takes a relative cwd from the current directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lib-cwd-'))
    await mkdir(path.join(dir, 'sub', 'dist'), { recursive: true })
    await writeFile(path.join(dir, 'sub', 'dist', 'app.bin'), 'bytes')
    const before = process.cwd()
    process.chdir(dir)
    try {
      const result = await lib.uploadFiles({
        apiKey: 'k',
        projectId: 7,
        cwd: 'sub',
        files: 'dist/**',
        dryRun: true
      })
      expect(result.files.map((file) => file.path)).toEqual(['dist/app.bin'])
    } finally {
      process.chdir(before)
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('converts a manifest to its JSON and its checksums file, and names the version it is', () => {
    const manifest = {
      projectId: 7,
      namePrefix: '',
      dryRun: false,
      totals: { files: 1, bytes: 5, uploaded: 1, existing: 0, failed: 0, cancelled: 0 },
      files: [
        { path: 'a.txt', name: 'a.txt', sizeBytes: 5, mimeType: 'text/plain', id: 1, sha256: SHA }
      ]
    }
    expect(lib.toManifestJson(manifest).files[0]).toMatchObject({
      id: 1,
      name: 'a.txt',
      sha256: SHA
    })
    expect(lib.checksumsOf(manifest)).toBe(`${SHA}  a.txt\n`)
    expect(lib.formatChecksums([{ name: 'b.txt', sha256: SHA }])).toBe(`${SHA}  b.txt\n`)
    expect(lib.VERSION).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
