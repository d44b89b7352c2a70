import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  APIS,
  inputsFor,
  otherApiRequests,
  runAction,
  sharedEmulator,
  workspace
} from '../support/bundle.ts'
import { sha256 } from '../support/harness.ts'

const emulator = sharedEmulator({ projects: [7] })

/** The inputs of an upload to project 7, then `extra`. */
function inputs(extra: Record<string, string>): Record<string, string> {
  return inputsFor(emulator, { 'project-id': '7', ...extra })
}

describe('the bundled action against the emulator', () => {
  it('uploads every match through create, PUT and confirm, and reports IDs, files and a summary', async () => {
    const zip = randomBytes(300_000)
    const dir = await workspace({
      'out/app.zip': zip,
      'out/docs/read me.md': '# hello\n',
      'out/données/été.json': '{"a":1}',
      'out/.secret/hidden.txt': 'hidden',
      'out/skip.log': 'excluded'
    })
    const run = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'out/**\n!out/*.log\n# a comment', description: 'nightly' }),
      env: { RUNNER_DEBUG: '1' }
    })

    expect(run.code).toBe(0)
    const files = JSON.parse(run.outputs.files ?? '') as Record<string, unknown>[]
    expect(files.map((file) => file.name)).toEqual([
      'app.zip',
      'docs/read me.md',
      'données/été.json'
    ])
    expect(files.map((file) => file.path)).toEqual([
      'out/app.zip',
      'out/docs/read me.md',
      'out/données/été.json'
    ])
    expect(files[0]).toMatchObject({
      size_bytes: zip.length,
      mime_type: 'application/zip',
      sha256: sha256(zip)
    })
    const ids = JSON.parse(run.outputs['file-ids'] ?? '') as number[]
    expect(ids).toEqual(files.map((file) => file.id))
    expect(run.outputs.count).toBe('3')
    expect(run.outputs['file-id']).toBe('')
    expect(run.outputs['failed-files']).toBe('[]')

    const uploaded = emulator.uploaded()
    expect(uploaded.map((file) => file.id)).toEqual(ids)
    for (const record of uploaded) {
      const output = files.find((file) => file.id === record.id)
      expect(record.stored?.sha256).toBe(output?.sha256)
      expect(record.stored?.contentType).toBe(output?.mime_type)
      expect(record.description).toBe('nightly')
      expect(record.project_id).toBe(7)
      expect(record.confirmCount).toBe(1)
    }
    expect(emulator.files.size).toBe(3)

    const puts = emulator.requests.filter((request) => request.step === 'put')
    expect(puts).toHaveLength(3)
    for (const put of puts) {
      expect(put.headers['content-length']).toBeDefined()
      expect(put.headers['transfer-encoding']).toBeUndefined()
      expect(put.headers['user-agent']).toMatch(/^empiricalrun-upload-files\/\d+\.\d+\.\d+/)
    }
    for (const request of emulator.requests.filter((request) => request.server === 'api')) {
      expect(request.headers['user-agent']).toMatch(/^empiricalrun-upload-files\//)
    }
    // The key, and each signature, is registered once, though the inputs and the core both mask the key.
    const masks = run.log.split('\n').filter((line) => line.startsWith('::add-mask::'))
    expect(masks.filter((line) => line === `::add-mask::${emulator.apiKey}`)).toHaveLength(1)
    expect(new Set(masks).size).toBe(masks.length)

    expect(run.summary).toContain('Uploaded 3 of 3 files')
    expect(run.summary).toContain('<code>docs/read me.md</code>')
    expect(run.summary).toContain(String(ids[0]))
    expect(run.log).toMatch(/::group::Uploading 3 files/)
    // With debug on, one line per request, naming the step and never a query string.
    expect(run.log).toMatch(
      /::debug::create: POST http:\/\/127\.0\.0\.1:\d+\/api\/files → HTTP 201 in /
    )
    expect(run.log).toMatch(
      /::debug::upload: PUT http:\/\/127\.0\.0\.1:\d+\/project-resources\/[^\s?]+ → HTTP 200 in /
    )
    expect(run.log).toMatch(
      /::debug::confirm: PATCH http:\/\/127\.0\.0\.1:\d+\/api\/files\/\d+ → HTTP 200 in /
    )
    expect(run.log).toMatch(/✓ out\/app\.zip → \d+ \(293\.0 KiB, /)
  })

  it('sends a file of many read chunks byte for byte, each chunk once', async () => {
    const big = randomBytes(37 * 1024 * 1024 + 12_345)
    const dir = await workspace({ 'big.bin': big })
    const run = await runAction({ workspace: dir, inputs: inputs({ files: 'big.bin' }) })
    expect(run.code).toBe(0)
    const [record] = emulator.uploaded()
    expect(record?.stored?.size).toBe(big.length)
    expect(record?.stored?.sha256).toBe(sha256(big))
    expect(JSON.parse(run.outputs.files ?? '')).toMatchObject([{ sha256: sha256(big) }])
  })

  it('names a lone literal file by its base name and sets file-id', async () => {
    const dir = await workspace({ 'deep/er/report.html': '<p>hi</p>' })
    const run = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'deep/er/report.html' })
    })
    expect(run.code).toBe(0)
    const [file] = JSON.parse(run.outputs.files ?? '') as {
      id: number
      name: string
      mime_type: string
    }[]
    expect(file).toMatchObject({ name: 'report.html', mime_type: 'text/html' })
    expect(run.outputs['file-id']).toBe(String(file?.id))
    expect(run.log).not.toMatch(/::debug::create:/)
  })

  it('uploads hidden files when include-hidden-files is true, and empty files', async () => {
    const dir = await workspace({ 'a/.env.example': 'X=1', 'a/empty.bin': '' })
    const run = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'a', 'include-hidden-files': 'true' })
    })
    expect(run.code).toBe(0)
    const names = (
      JSON.parse(run.outputs.files ?? '') as { name: string; size_bytes: number }[]
    ).map((f) => [f.name, f.size_bytes])
    expect(names).toEqual([
      ['.env.example', 3],
      ['empty.bin', 0]
    ])
    expect(emulator.uploaded().map((file) => file.stored?.sha256)).toContain(sha256(''))
  })

  it('fails, warns or stays quiet when nothing matches, as if-no-files-found says', async () => {
    const dir = await workspace({ 'x.txt': 'x' })
    const error = await runAction({ workspace: dir, inputs: inputs({ files: 'nothing/**' }) })
    expect(error.code).toBe(1)
    expect(error.log).toMatch(/::error::No files were found/)
    const warn = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'nothing/**', 'if-no-files-found': 'warn' })
    })
    expect(warn.code).toBe(0)
    expect(warn.log).toMatch(/::warning::No files were found/)
    const ignore = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'nothing', 'if-no-files-found': 'ignore' })
    })
    expect(ignore.code).toBe(0)
    expect(ignore.log).not.toMatch(/::(warning|error)::/)
    expect(ignore.outputs['file-ids']).toBe('[]')
    expect(emulator.requests).toHaveLength(0)
  })

  it('hints at include-hidden-files when a pattern names a hidden file, and writes a summary when nothing matched', async () => {
    const dir = await workspace({ 'out/.env': 'X=1' })
    const run = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'out/.env', 'if-no-files-found': 'warn' })
    })
    expect(run.code).toBe(0)
    expect(run.log).toMatch(/::warning::No files were found[^\n]*%0Aout\/\.env%0AHidden files/)
    expect(run.log).toContain("set 'include-hidden-files' to true")
    expect(run.summary).toContain('No files matched the patterns')
    const plain = await runAction({ workspace: dir, inputs: inputs({ files: 'out/*.txt' }) })
    expect(plain.code).toBe(1)
    expect(plain.log).not.toContain('Hidden files')
  })

  it('counts in the singular for one file, and prints the glob options once in debug lines', async () => {
    const dir = await workspace({ 'one.txt': '1' })
    const run = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'one.txt' }),
      env: { RUNNER_DEBUG: '1' }
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Uploading 1 file (1 B)')
    expect(run.log).toMatch(/Done in .*: 1 of 1 file uploaded/)
    expect(run.log.match(/::debug::followSymbolicLinks/g)).toHaveLength(1)
    expect(run.log).toContain("::debug::Search path '")
  })

  it('lists files on a dry run and makes no request, even without a key', async () => {
    const dir = await workspace({ 'dist/a.js': 'x', 'dist/a.js.map': '{}' })
    const run = await runAction({
      workspace: dir,
      inputs: {
        'project-id': '7',
        files: 'dist/*.js\ndist/*.map',
        'dry-run': 'true',
        'base-url': emulator.apiUrl
      }
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Dry run: 2 files would be uploaded')
    expect(run.log).toMatch(/a\.js \(1 B, (text|application)\/javascript\)/)
    expect(run.summary).toContain('Dry run')
    expect(emulator.requests).toHaveLength(0)
  })

  it('refuses a bad input before any request, naming the input, without a stack trace', async () => {
    const dir = await workspace({ 'a.txt': 'a' })
    const run = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'a.txt', concurrency: 'many' })
    })
    expect(run.code).toBe(1)
    expect(run.log).toMatch(
      /::error::Input 'concurrency': 'many' is not allowed: give an integer from 1 to 64/
    )
    expect(run.log).not.toMatch(/\n\s+at /)
    expect(emulator.requests).toHaveLength(0)
  })

  it('reads the key from EMPIRICALRUN_KEY when auth-key is empty, and names both when neither is set', async () => {
    const dir = await workspace({ 'a.txt': 'a' })
    const fromEnv = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'a.txt', 'auth-key': '' }),
      env: { EMPIRICALRUN_KEY: emulator.apiKey }
    })
    expect(fromEnv.code).toBe(0)
    expect(emulator.uploaded()).toHaveLength(1)
    const neither = await runAction({
      workspace: dir,
      inputs: inputs({ files: 'a.txt', 'auth-key': '' })
    })
    expect(neither.code).toBe(1)
    expect(neither.log).toMatch(/auth-key.*EMPIRICALRUN_KEY/)
  })
})

describe.each(APIS)('the bundled action with api %s, end to end', (api) => {
  const dialect = sharedEmulator({ api, projects: [7] })
  /** The project as the Files API names it, or nothing where the key picks it. */
  const project = api === 'files' ? { 'project-id': '7' } : {}
  const inProject = api === 'files' ? 'empirical.run project 7' : "the key's empirical.run project"

  it('uploads, sets its outputs, reads download URLs and verifies; a skip-existing re-run gives the same IDs and uploads nothing', async () => {
    const zip = randomBytes(300_000)
    const dir = await workspace({ 'out/app.zip': zip, 'out/docs/read me.md': '# hello\n' })
    const inputs = inputsFor(dialect, {
      ...project,
      files: 'out/**',
      'name-prefix': 'b1/',
      'download-url': 'true',
      verify: 'true'
    })
    const first = await runAction({ workspace: dir, inputs, allow: { downloadUrls: true } })
    expect(first.code).toBe(0)
    const files = JSON.parse(first.outputs.files ?? '') as Record<string, unknown>[]
    expect(files.map((file) => [file.name, file.sha256, file.existing])).toEqual([
      ['b1/app.zip', sha256(zip), false],
      ['b1/docs/read me.md', sha256('# hello\n'), false]
    ])
    const ids = JSON.parse(first.outputs['file-ids'] ?? '') as number[]
    expect(ids).toEqual(files.map((file) => file.id))
    expect(first.outputs.count).toBe('2')
    expect(first.outputs['failed-files']).toBe('[]')
    for (const file of files) expect(String(file.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    expect(dialect.uploaded().map((record) => [record.id, record.project_id])).toEqual([
      [ids[0], 7],
      [ids[1], 7]
    ])
    expect(dialect.uploaded().map((record) => record.stored?.sha256)).toEqual([
      sha256(zip),
      sha256('# hello\n')
    ])
    // verify read each file back from storage.
    expect(dialect.requests.filter((request) => request.step === 'download')).toHaveLength(2)
    expect(first.summary).toContain(`Uploaded 2 of 2 files to ${inProject}`)
    expect(first.log).toContain(`Uploading 2 files (293.0 KiB) to ${inProject}`)
    const manifest = JSON.parse(first.manifest) as Record<string, unknown>
    expect(manifest.project_id).toBe(api === 'files' ? 7 : null)
    expect(first.checksums).toBe(
      `${sha256(zip)}  b1/app.zip\n${sha256('# hello\n')}  b1/docs/read me.md\n`
    )

    const sent = dialect.requests.length
    const again = await runAction({
      workspace: dir,
      inputs: { ...inputs, 'skip-existing': 'true' },
      allow: { downloadUrls: true }
    })
    expect(again.code).toBe(0)
    expect(JSON.parse(again.outputs['file-ids'] ?? '')).toEqual(ids)
    const rerun = JSON.parse(again.outputs.files ?? '') as Record<string, unknown>[]
    expect(rerun.map((file) => [file.id, file.existing, file.sha256])).toEqual([
      [ids[0], true, sha256(zip)],
      [ids[1], true, sha256('# hello\n')]
    ])
    expect(
      dialect.requests
        .slice(sent)
        .filter((request) => ['create', 'put', 'confirm'].includes(request.step))
    ).toEqual([])
    expect(dialect.files.size).toBe(2)
    const holds = api === 'files' ? 'Project 7' : "The key's project"
    expect(again.log).toContain(`${holds} holds 2 uploaded files`)

    // Every API call went to this API's paths, none to the other's.
    expect(otherApiRequests(dialect)).toEqual([])
    const apiPaths = dialect.requests.filter((request) => request.server === 'api')
    expect(apiPaths.every((request) => request.path.startsWith(`/api/${api}`))).toBe(true)
  })

  it('a dry run lists the files for the project and makes no request', async () => {
    const dir = await workspace({ 'a.txt': 'a' })
    const run = await runAction({
      workspace: dir,
      inputs: { ...project, files: 'a.txt', 'dry-run': 'true', ...(api === 'files' ? {} : { api }) }
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain(
      `Dry run: 1 file would be uploaded to ${inProject}; no request is made.`
    )
    expect(dialect.requests).toHaveLength(0)
  })
})

describe('project-id and the API, checked before any request', () => {
  const files = sharedEmulator({ projects: [7] })
  const resources = sharedEmulator({ api: 'resources', projects: [7] })

  it('with api resources, a project-id given fails naming it, and why', async () => {
    const dir = await workspace({ 'a.txt': 'a' })
    const run = await runAction({
      workspace: dir,
      inputs: inputsFor(resources, { files: 'a.txt', 'project-id': '7' })
    })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Input 'project-id' is not used with the Resources API, where the key picks the project: leave it out, or set 'api' to files to name the project by its ID"
    )
    expect(run.log).not.toMatch(/\n\s+at /)
    expect(resources.requests).toHaveLength(0)
  })

  it('with api files (the default), a missing project-id is refused', async () => {
    const dir = await workspace({ 'a.txt': 'a' })
    const run = await runAction({
      workspace: dir,
      inputs: { 'auth-key': files.apiKey, 'base-url': files.apiUrl, files: 'a.txt' }
    })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Input 'project-id' is required: give a whole number from 1, such as 42"
    )
    expect(files.requests).toHaveLength(0)
  })
})
