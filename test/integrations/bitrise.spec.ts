// The Bitrise step (integrations/bitrise/): step.yml against Bitrise's published schema and
// against step.sh, step.sh under bats with envman stubbed, and end to end: the CLI fetched by npx
// from the local registry uploads a build to the Resources API of the interop host (storage
// @20minutes/s3rver, URLs signed by the AWS SDK) and the next step reads its ID and URL.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse } from 'yaml'
import { readObject, startInterop, type InteropStack } from '../support/interop-api.ts'
import {
  bats,
  expectBatsPassed,
  expectNoKey,
  fetchedFrom,
  filesUnder,
  ROOT,
  schemaErrors,
  VERSION
} from './support/ci.ts'

const DIR = path.join(ROOT, 'integrations/bitrise')
const KEY = 'erk_bitrise_e2e_3f9a0c5d71'
const PROJECT = 314

type Entry = Record<string, unknown> & { opts?: Record<string, unknown> }
interface Step {
  inputs: Entry[]
  outputs: Entry[]
}

const stepYml = parse(await readFile(path.join(DIR, 'step.yml'), 'utf8')) as Step
/** The key of an input or output: its one property besides opts. */
const keyOf = (entry: Entry): string => Object.keys(entry).find((key) => key !== 'opts')!

describe('step.yml', () => {
  it("passes Bitrise's step schema (bitrise-io/bitrise-json-schemas)", () => {
    expect(schemaErrors('bitrise-step.schema.json', stepYml)).toEqual([])
  })

  it('keeps the key in a sensitive input whose default is the EMPIRICALRUN_KEY Secret', () => {
    const key = stepYml.inputs.find((input) => keyOf(input) === 'api_key')!
    expect(key.api_key).toBe('$EMPIRICALRUN_KEY')
    expect(key.opts).toMatchObject({ is_sensitive: true, is_expand: true, is_required: true })
  })

  it('pins the version of package.json', () => {
    expect(stepYml.inputs.find((input) => keyOf(input) === 'version')?.version).toBe(VERSION)
  })

  it('names exactly the inputs step.sh reads and the outputs the core writes', async () => {
    const script = await readFile(path.join(DIR, 'step.sh'), 'utf8')
    const read = [...script.matchAll(/="\$\{([a-z_]+):-\}"/g)].map((match) => match[1])
    expect(stepYml.inputs.map(keyOf).sort()).toEqual(read.sort())
    const core = await readFile(path.join(DIR, 'upload.sh'), 'utf8')
    const written = [...new Set(core.match(/^\s+(EMPIRICALRUN_[A-Z0-9_]+):/gm))].map((line) =>
      line.trim().replace(/:$/, '')
    )
    expect(stepYml.outputs.map(keyOf)).toEqual(written)
  })

  it("the step repository's bitrise.yml passes Bitrise's bitrise.yml schema", async () => {
    const config: unknown = parse(await readFile(path.join(DIR, 'bitrise.yml'), 'utf8'))
    expect(schemaErrors('bitrise.schema.json', config)).toEqual([])
  })
})

describe('step.sh', () => {
  it('passes its bats tests, with envman and npx stubbed', async () => {
    expectBatsPassed(await bats(['test/integrations/bitrise/step.bats'], {}), 6)
  })
})

describe('the step end to end', () => {
  let resources: InteropStack
  let work: string

  beforeAll(async () => {
    resources = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: KEY, projects: [PROJECT], api: 'resources' }
    )
    work = await mkdtemp(path.join(os.tmpdir(), 'bitrise-e2e-'))
  })
  afterAll(async () => {
    await resources?.close()
    await rm(work, { recursive: true, force: true })
  })

  it('uploads with the CLI from the local registry, and the next step reads the ID and URL', async () => {
    const cache = path.join(work, 'npm-cache')
    const out = path.join(work, 'out')
    await mkdir(out)
    const result = await bats(['test/integrations/bitrise/step-e2e.bats'], {
      E2E_API: resources.api.url,
      E2E_KEY: KEY,
      E2E_VERSION: VERSION,
      E2E_REGISTRY: inject('registry'),
      E2E_NPM_CACHE: cache,
      E2E_OUT: out
    })
    console.log(result.stdout)
    console.log((await readFile(path.join(out, 'first-run.log'), 'utf8')).trim())
    expectBatsPassed(result, 2)

    const expected = (await readFile(path.join(out, 'expected-sha256'), 'utf8')).trim()
    // The build went to the key's project, through /api/resources only; the re-run made no record.
    const [first, second, ...others] = [...resources.api.records.values()]
    expect([first?.id, first?.name, first?.project_id, first?.status]).toEqual([
      1,
      'app-release.apk',
      PROJECT,
      'uploaded'
    ])
    expect((await readObject(resources.s3, first!.key)).sha256).toBe(expected)
    expect([second?.id, second?.name, second?.status, others]).toEqual([
      2,
      'same.bin',
      'uploaded',
      []
    ])
    expect(
      resources.api.requests.every((request) => request.route.startsWith('/api/resources'))
    ).toBe(true)
    expect(fetchedFrom(cache, inject('registry'))).toBe(true)
    expectNoKey(new Map([['bats output', result.stdout + result.stderr], ...filesUnder(out)]), KEY)
  })
})
