import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type MockInstance
} from 'vitest'
import { parseOutputs } from '../../scripts/run-action.ts'
import { MAX_OUTPUT_BYTES, setOutputs } from '../../src/action/outputs.ts'
import type { LocalFile } from '../../src/core/files/files.ts'
import type { Manifest } from '../../src/core/results/manifest.ts'
import { buildResult } from '../../src/core/results/result.ts'
import type { Outcome } from '../../src/core/transfer/outcome.ts'
import { FAKE_SHA, failedOutcome as failed, okOutcome as ok } from '../support/outcomes.ts'

const MANIFEST = '/runner/_temp/empiricalrun-upload-abc/manifest.json'
/** Every output, as a run with nothing uploaded and no checksums file sets it. */
const NO_RESULTS: Readonly<Record<string, string>> = {
  'file-ids': '[]',
  files: '[]',
  'file-id': '',
  'file-url': '',
  'file-sha256': '',
  count: '0',
  'failed-files': '[]',
  checksums: '',
  manifest: MANIFEST
}

let dir = ''
let outputFile = ''
let stdout: MockInstance<typeof process.stdout.write> | undefined
const savedOutput = process.env.GITHUB_OUTPUT

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outputs-test-'))
})

beforeEach(async () => {
  outputFile = path.join(dir, `output-${Math.random().toString(36).slice(2)}`)
  await fs.writeFile(outputFile, '')
  process.env.GITHUB_OUTPUT = outputFile
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  stdout?.mockRestore()
  if (savedOutput === undefined) delete process.env.GITHUB_OUTPUT
  else process.env.GITHUB_OUTPUT = savedOutput
})

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

/** Runs setOutputs; returns the outputs it set (each exactly once) and the warnings it printed. */
async function run(
  outcomes: readonly Outcome[],
  manifestPath = MANIFEST
): Promise<{ outputs: Record<string, string>; warnings: string[] }> {
  const files = outcomes.map((outcome) => outcome.file)
  const ending = { how: 'sent' as const, outcomes, cancelled: false }
  setOutputs(
    buildResult({ projectId: 1, namePrefix: '', dryRun: false, files, unmatched: [], ending }),
    manifestPath
  )
  const text = await fs.readFile(outputFile, 'utf8')
  const outputs = parseOutputs(text)
  // Every output is set, once.
  const names = [...text.matchAll(/^([^<\n]+)<<ghadelimiter_/gm)].map((match) => match[1])
  expect([...names].sort()).toEqual(Object.keys(NO_RESULTS).sort())
  const written = (stdout?.mock.calls ?? []).map(([chunk]) => String(chunk))
  const warnings = written
    .join('')
    .split(os.EOL)
    .filter((line) => line.startsWith('::warning'))
  return { outputs, warnings }
}

function local(name: string, size = 3, dirName = 'out'): LocalFile {
  return {
    absolutePath: `/ws/${dirName}/${name}`,
    path: `${dirName}/${name}`,
    name,
    size,
    mimeType: 'text/plain'
  }
}

/** The `files` output's entry for an uploaded outcome: its fields in the output's snake_case. */
function uploadedOf(outcome: Outcome): Record<string, unknown> {
  if (!outcome.ok) throw new Error('not an uploaded outcome')
  const { id, name, path, sizeBytes, mimeType, sha256, existing, url } = outcome.uploaded
  const entry: Record<string, unknown> = {
    id,
    name,
    path,
    size_bytes: sizeBytes,
    mime_type: mimeType,
    sha256,
    existing
  }
  if (url !== undefined) entry.url = url
  return entry
}

describe('setOutputs', () => {
  it('sets empty results on a dry run, whatever the manifest lists', async () => {
    const manifest: Manifest = {
      projectId: 1,
      namePrefix: '',
      dryRun: true,
      totals: { files: 1, bytes: 1, uploaded: 0, existing: 1, failed: 0, cancelled: 0 },
      files: [{ path: 'a', name: 'a', sizeBytes: 1, mimeType: 'text/plain', id: 3, existing: true }]
    }
    setOutputs(manifest, '/m.json')
    const outputs = await fs.readFile(outputFile, 'utf8')
    expect(outputs).toMatch(/^file-ids<<(.+)\n\[\]\n\1$/m)
    expect(outputs).toMatch(/^count<<(.+)\n0\n\1$/m)
    expect(outputs).toMatch(/^failed-files<<(.+)\n\[\]\n\1$/m)
  })

  it('gives an empty sha256 to a file in the project whose sum the manifest lacks', async () => {
    const manifest: Manifest = {
      projectId: 1,
      namePrefix: '',
      dryRun: false,
      totals: { files: 1, bytes: 1, uploaded: 0, existing: 1, failed: 0, cancelled: 0 },
      files: [{ path: 'a', name: 'a', sizeBytes: 1, mimeType: 'text/plain', id: 3, existing: true }]
    }
    setOutputs(manifest, MANIFEST)
    const outputs = parseOutputs(await fs.readFile(outputFile, 'utf8'))
    expect(outputs['file-sha256']).toBe('')
    expect(JSON.parse(outputs.files ?? '')).toEqual([
      {
        id: 3,
        name: 'a',
        path: 'a',
        size_bytes: 1,
        mime_type: 'text/plain',
        sha256: '',
        existing: true
      }
    ])
  })

  it('sets empty results when there are no outcomes (a dry run, no match)', async () => {
    const { outputs, warnings } = await run([])
    expect(outputs).toEqual(NO_RESULTS)
    expect(warnings).toEqual([])
  })

  it('sets file-id and file-url for one file with a download URL', async () => {
    const one = ok(local('a.txt'), 17, 'uploaded', { url: 'https://cdn.example/a.txt?sig=1' })
    const { outputs, warnings } = await run([one])
    expect(outputs).toEqual({
      ...NO_RESULTS,
      'file-ids': '[17]',
      files: JSON.stringify([uploadedOf(one)]),
      'file-id': '17',
      'file-url': 'https://cdn.example/a.txt?sig=1',
      'file-sha256': FAKE_SHA,
      count: '1'
    })
    expect(JSON.parse(outputs.files ?? '')).toEqual([
      {
        id: 17,
        name: 'a.txt',
        path: 'out/a.txt',
        size_bytes: 3,
        mime_type: 'text/plain',
        sha256: FAKE_SHA,
        existing: false,
        url: 'https://cdn.example/a.txt?sig=1'
      }
    ])
    expect(warnings).toEqual([])
  })

  it('sets file-id and an empty file-url for one file without a download URL', async () => {
    const { outputs } = await run([ok(local('a.txt'), 17)])
    expect(outputs['file-id']).toBe('17')
    expect(outputs['file-url']).toBe('')
    expect(outputs['file-sha256']).toBe(FAKE_SHA)
    expect(outputs.count).toBe('1')
    expect(JSON.parse(outputs.files ?? '')[0]).not.toHaveProperty('url')
  })

  it('counts a file already in the project as one in it', async () => {
    const { outputs } = await run([
      ok(local('a.txt'), 9, 'existing', { url: 'https://cdn.example/a' })
    ])
    expect(outputs['file-ids']).toBe('[9]')
    expect(outputs['file-id']).toBe('9')
    expect(outputs['file-url']).toBe('https://cdn.example/a')
    expect(outputs.count).toBe('1')
    expect(JSON.parse(outputs.files ?? '')[0]).toMatchObject({ id: 9, existing: true })
  })

  it('leaves file-id and file-url empty when the only file failed', async () => {
    const { outputs } = await run([failed(local('a.txt'))])
    expect(outputs).toEqual({ ...NO_RESULTS, 'failed-files': '["out/a.txt"]' })
  })

  it('lists several files in order: uploaded, settled and existing ones in, failures apart', async () => {
    const outcomes = [
      ok(local('a.txt'), 3, 'uploaded', { url: 'https://cdn/a' }),
      failed(local('b.txt')),
      ok(local('c.txt'), 1, 'settled'),
      ok(local('d.txt'), 2, 'existing', { url: 'https://cdn/d' }),
      failed(local('é €.txt', 3, 'sub dir'))
    ]
    const { outputs, warnings } = await run(outcomes)
    expect(outputs).toEqual({
      ...NO_RESULTS,
      'file-ids': '[3,1,2]',
      files: JSON.stringify(
        [outcomes[0], outcomes[2], outcomes[3]].map((o) => uploadedOf(o as Outcome))
      ),
      count: '3',
      'failed-files': '["out/b.txt","sub dir/é €.txt"]'
    })
    expect(warnings).toEqual([])
  })

  it('sets an empty manifest output when the manifest could not be written', async () => {
    const { outputs, warnings } = await run([ok(local('a.txt'), 1)], '')
    expect(outputs.manifest).toBe('')
    expect(outputs['file-ids']).toBe('[1]')
    expect(warnings).toEqual([])
  })

  describe('GitHub limit of 1,000,000 bytes per output', () => {
    /** One uploaded file whose `files` output is exactly `bytes` long (ASCII name). */
    function filesOfSize(bytes: number): Outcome {
      // Only the stored name grows; the path stays short.
      const named = (name: string): Outcome => ok({ ...local('x'), name }, 1)
      const base = JSON.stringify([uploadedOf(named(''))]).length
      return named('n'.repeat(bytes - base))
    }

    /** One failed file whose `failed-files` output is exactly `bytes` long. */
    function failedOfSize(bytes: number): Outcome {
      // ["out/<name>"]: 2 brackets, 2 quotes and 'out/'.
      return failed(local('f'.repeat(bytes - 8)))
    }

    it('holds the documented limit', () => {
      expect(MAX_OUTPUT_BYTES).toBe(1_000_000)
    })

    it.each<{ name: string; output: string; outcome: Outcome; bytes: number }>([
      { name: 'files', output: 'files', outcome: filesOfSize(1_000_000), bytes: 1_000_000 },
      {
        name: 'failed-files',
        output: 'failed-files',
        outcome: failedOfSize(1_000_000),
        bytes: 1_000_000
      }
    ])('sets $name at exactly the limit', async ({ output, outcome, bytes }) => {
      const { outputs, warnings } = await run([outcome])
      expect(Buffer.byteLength(outputs[output] ?? '')).toBe(bytes)
      expect(warnings).toEqual([])
    })

    it.each<{ name: string; output: string; outcome: Outcome; shown: string }>([
      { name: 'files', output: 'files', outcome: filesOfSize(1_000_001), shown: '1,000,001' },
      {
        name: 'failed-files',
        output: 'failed-files',
        outcome: failedOfSize(1_000_001),
        shown: '1,000,001'
      },
      {
        name: 'files far over',
        output: 'files',
        outcome: filesOfSize(12_345_678),
        shown: '12,345,678'
      }
    ])(
      'leaves $name empty one byte (or more) over, with a warning',
      async ({ output, outcome, shown }) => {
        const { outputs, warnings } = await run([outcome])
        expect(outputs[output]).toBe('')
        expect(warnings).toEqual([
          `::warning::Output '${output}' is left empty: it would be ${shown} bytes, over GitHub's limit ` +
            `of 1,000,000 bytes per output; read the full result from the manifest: ${MANIFEST}`
        ])
        // The other outputs are still set.
        expect(outputs.count).toBe(outcome.ok ? '1' : '0')
        expect(outputs.manifest).toBe(MANIFEST)
      }
    )

    it.each<{ n: number; bytes: number; set: boolean }>([
      // ["out/<n × é>"]: 8 + n characters, 8 + 2n bytes ('é' is two bytes in UTF-8).
      { n: 499_996, bytes: 1_000_000, set: true },
      { n: 499_997, bytes: 1_000_002, set: false }
    ])(
      'measures bytes, not characters: $bytes bytes of failed-files',
      async ({ n, bytes, set }) => {
        const outcome = failed(local('é'.repeat(n)))
        const value = JSON.stringify([outcome.file.path])
        expect(value.length).toBe(8 + n)
        expect(Buffer.byteLength(value)).toBe(bytes)
        const { outputs, warnings } = await run([outcome])
        expect(outputs['failed-files']).toBe(set ? value : '')
        expect(warnings).toHaveLength(set ? 0 : 1)
        if (!set)
          expect(warnings[0]).toContain(`it would be ${bytes.toLocaleString('en-US')} bytes`)
      }
    )

    it('says so when the manifest could not be written either', async () => {
      const { outputs, warnings } = await run([filesOfSize(1_000_001)], '')
      expect(outputs.files).toBe('')
      expect(outputs.manifest).toBe('')
      expect(warnings).toEqual([
        "::warning::Output 'files' is left empty: it would be 1,000,001 bytes, over GitHub's limit " +
          'of 1,000,000 bytes per output; the manifest could not be written either'
      ])
    })

    it.each<{ name: string; sixDigitIds: number; set: boolean }>([
      // n ids in '[...]' with commas: 2 + digits + (n - 1) bytes; 125,000 ids of 7 digits → 1,000,001.
      { name: 'at exactly the limit', sixDigitIds: 1, set: true },
      { name: 'one byte over', sixDigitIds: 0, set: false }
    ])('sets file-ids of many files $name', async ({ sixDigitIds, set }) => {
      const outcomes = Array.from({ length: 125_000 }, (_, i) =>
        ok(local(`f${i}`), i < sixDigitIds ? 100_000 + i : 1_000_000 + i)
      )
      const ids = JSON.stringify(outcomes.map((o) => uploadedOf(o).id))
      expect(Buffer.byteLength(ids)).toBe(set ? 1_000_000 : 1_000_001)
      const { outputs, warnings } = await run(outcomes)
      expect(outputs['file-ids']).toBe(set ? ids : '')
      expect(outputs.count).toBe('125000')
      // `files` is far over either way.
      expect(outputs.files).toBe('')
      const named = (name: string) => warnings.filter((line) => line.includes(`Output '${name}'`))
      expect(named('files')).toHaveLength(1)
      expect(named('file-ids')).toHaveLength(set ? 0 : 1)
      if (!set) expect(named('file-ids')[0]).toContain('it would be 1,000,001 bytes')
    })
  })
})
