import mime from 'mime'
import { describe, expect, it } from 'vitest'
import { FIELD_TYPES, mimeTypeOf } from '../../../src/core/files/mime.ts'

/** One realistic file name per table row, with the type it must get. */
const ROWS: ReadonlyArray<readonly [string, string]> = [
  ['app-release.aab', 'application/octet-stream'],
  ['app-release.apks', 'application/x-apks'],
  ['com.example.app.xapk', 'application/xapk-package-archive'],
  ['Runner.ipa', 'application/octet-stream'],
  ['network.har', 'application/json'],
  ['events.ndjson', 'application/x-ndjson'],
  ['report.jsonl', 'application/x-ndjson'],
  ['login.spec.ts', 'text/typescript'],
  ['playwright.config.mts', 'text/typescript'],
  ['global-setup.cts', 'text/typescript'],
  ['Button.spec.tsx', 'text/typescript']
]

/** Extensions of the names in ROWS. */
const extensionsOf = (rows: typeof ROWS): string[] =>
  rows.map(([name]) => name.slice(name.lastIndexOf('.') + 1))

describe('FIELD_TYPES', () => {
  it.each(ROWS)('%s → %s', (name, type) => {
    expect(mimeTypeOf(name)).toBe(type)
  })

  it('has a row above for every row of the table, and no other', () => {
    expect(extensionsOf(ROWS).sort()).toEqual(Object.keys(FIELD_TYPES).sort())
  })

  it.each(Object.entries(FIELD_TYPES))(
    '.%s → %s corrects mime rather than repeating it',
    (extension, type) => {
      expect(mime.getType(extension)).not.toBe(type)
    }
  )

  it.each(Object.keys(FIELD_TYPES))(
    'keys .%s as one lower-case extension without a dot',
    (extension) => {
      // mimeTypeOf looks up only the last extension: a key such as `app.zip` would never match.
      expect(extension).toMatch(/^[a-z0-9]+$/)
    }
  )

  it.each(Object.values(FIELD_TYPES))('%s is a bare type/subtype', (type) => {
    // It is sent as a Content-Type header, so no parameters and nothing but header-safe text.
    expect(type).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/)
  })

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(FIELD_TYPES)).toBe(true)
  })

  it('fixes what mime gets wrong for these names', () => {
    expect(mime.getType('app-release.aab')).toBe('application/x-authorware-bin')
    expect(mime.getType('login.spec.ts')).toBe('video/mp2t')
  })
})

/** Types mime has right for names outside FIELD_TYPES, by name. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  'app-release.apk': 'application/vnd.android.package-archive',
  'junit.xml': 'application/xml',
  'video.webm': 'video/webm',
  'recording.mp4': 'video/mp4',
  'screen.mov': 'video/quicktime',
  'screenshot.png': 'image/png',
  'results.json': 'application/json',
  'report.json': 'application/json',
  'index.html': 'text/html',
  'page.html': 'text/html',
  'trace.zip': 'application/zip',
  'bundle.zip': 'application/zip',
  'logcat.log': 'text/plain',
  'README.txt': 'text/plain',
  'README.md': 'text/markdown',
  'app.js': 'text/javascript'
}

/** Table rows `[item, key]` from items grouped under their key (a type, or why there is none). */
const grouped = (groups: Record<string, string[]>): [string, string][] =>
  Object.entries(groups).flatMap(([key, items]) =>
    items.map((item): [string, string] => [item, key])
  )

describe('mimeTypeOf', () => {
  it.each(
    [...ROWS, ...Object.entries(MIME_TYPES)].map(([name, type]) => [name.toUpperCase(), type])
  )('matches extensions in upper case: %s → %s', (name, type) => {
    expect(mimeTypeOf(name)).toBe(type)
  })

  it.each([
    ['App.Xapk', 'application/xapk-package-archive'],
    ['Network.HAR', 'application/json'],
    ['Login.Spec.TS', 'text/typescript'],
    ['photo.PNG', 'image/png'],
    ['Report.Json', 'application/json']
  ])('matches extensions in mixed case: %s → %s', (name, type) => {
    expect(mimeTypeOf(name)).toBe(type)
  })

  it.each(
    grouped({
      'application/octet-stream': [
        'app/build/outputs/bundle/release/app-release.aab',
        '/home/runner/work/app/build/app-release.v1.2.3.aab',
        'C:\\a\\builds.d\\Runner.2024.01.IPA'
      ],
      'application/zip': [
        'test-results/login-chromium/trace.zip',
        'build/Payload.app.zip',
        'build/Runner.app.dSYM.zip'
      ],
      'application/json': ['reports/network.2024-01-01.har', 'dist/app.js.map'],
      'text/typescript': ['types/index.d.ts'],
      'application/gzip': ['bundle.tar.gz']
    })
  )('counts only the last extension of the last segment: %s → %s', (name, type) => {
    expect(mimeTypeOf(name)).toBe(type)
  })

  it.each(Object.entries(MIME_TYPES))('passes other extensions to mime: %s → %s', (name, type) => {
    expect(mimeTypeOf(name)).toBe(type)
    expect(mime.getType(name)).toBe(type)
  })

  it.each(
    grouped({
      'an unknown extension': [
        'blob.unknownext',
        'dir/file.unknownext',
        'dir.d/file.unknownext',
        'build.apks.bak',
        'app.aab.part'
      ],
      'no extension': [
        'Makefile',
        'bin/noextension',
        'noextension',
        'dir.har/noextension',
        'dir.ts\\noextension',
        '.har',
        '.bashrc',
        'logs/.ts',
        'png',
        'har',
        'trailing.',
        '',
        'dir/'
      ],
      'an inherited property, never read as a type': [
        'x.constructor',
        'x.__proto__',
        'x.toString',
        'x.hasOwnProperty',
        'x.valueOf'
      ]
    })
  )('types %j as application/octet-stream: %s', (name) => {
    expect(mimeTypeOf(name)).toBe('application/octet-stream')
  })
})
