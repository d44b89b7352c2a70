// The CircleCI orb (integrations/circleci/): packed as `circleci orb pack` packs it and checked
// against CircleCI's published config schema, its scripts under bats, and its command and job run
// as CircleCI runs them (test/integrations/support/circleci.ts): the CLI fetched by npx from the
// local registry uploads to the interop API (@20minutes/s3rver storage, URLs signed by the AWS SDK),
// once as the Files API and once as the Resources API, and later steps read the IDs from $BASH_ENV.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse } from 'yaml'
import { packOrb, packOrbText } from '../../tools/integrations/orb-pack.ts'
import { readObject, startInterop, type InteropStack } from '../support/interop-api.ts'
import {
  bats,
  childEnv,
  expectBatsPassed,
  expectNoKey,
  fetchedFrom,
  filesUnder,
  ROOT,
  schemaErrors,
  VERSION
} from './support/ci.ts'
import { expandSteps, orbJobSteps, runSteps, type JobContext } from './support/circleci.ts'

const SRC = path.join(ROOT, 'integrations/circleci/src')
const KEY = 'erk_circleci_e2e_0d4b8e6f15'
const ALIAS = 'empiricalrun'
const REPORTS_PROJECT = 41
const APP_PROJECT = 42

type Yaml = Record<string, unknown>
const orb = packOrb(SRC)
/** A repository file's text. */
const text = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

describe('the packed orb', () => {
  it("passes CircleCI's config schema (the one SchemaStore's circleciconfig.json points to)", () => {
    expect(schemaErrors('circleci-config.schema.json', parse(packOrbText(SRC)))).toEqual([])
  })

  it('has the upload command and job, the executor and the examples, with the scripts inlined', () => {
    expect(Object.keys(orb).sort()).toEqual([
      'commands',
      'description',
      'display',
      'examples',
      'executors',
      'jobs',
      'version'
    ])
    const upload = (orb.commands as Record<string, { steps: { run?: { command: string } }[] }>)
      .upload!
    const core = upload.steps[0]?.run?.command
    expect(core).toBe(text('integrations/shared/upload.sh'))
    expect(upload.steps[1]?.run?.command).toBe(text('integrations/circleci/src/scripts/export.sh'))
  })

  it('takes the key as an env_var_name parameter, EMPIRICALRUN_KEY by default, and pins the version', () => {
    const parameters = (orb.commands as Record<string, { parameters: Record<string, Yaml> }>)
      .upload!.parameters
    expect(parameters.key).toMatchObject({ type: 'env_var_name', default: 'EMPIRICALRUN_KEY' })
    expect(parameters.version?.default).toBe(VERSION)
    const job = (orb.jobs as Record<string, { parameters: Record<string, Yaml> }>).upload!
    expect(job.parameters.version?.default).toBe(VERSION)
  })

  it.each(Object.keys(orb.examples as Yaml))(
    'example %s is a valid config whose orb steps and jobs take their parameters',
    (name) => {
      const usage = ((orb.examples as Yaml)[name] as { usage: Yaml }).usage
      expect(schemaErrors('circleci-config.schema.json', usage)).toEqual([])
      expect((usage.orbs as Yaml)[ALIAS]).toBe(`empiricalrun/upload-files@${VERSION}`)
      const context = contextFor('/nonexistent', {})
      for (const job of Object.values(usage.jobs as Record<string, { steps: unknown[] }>)) {
        expect(() => expandSteps(context, job.steps, false)).not.toThrow()
      }
      for (const workflow of Object.values(
        usage.workflows as Record<string, { jobs: unknown[] }>
      )) {
        for (const entry of workflow.jobs) {
          if (typeof entry !== 'object' || entry === null) continue
          const [jobName, given] = Object.entries(entry)[0] as [string, Yaml]
          if (jobName.startsWith(`${ALIAS}/`)) {
            expect(() => orbJobSteps(context, jobName.slice(ALIAS.length + 1), given)).not.toThrow()
          }
        }
      }
    }
  )
})

describe('the scripts', () => {
  it('export.sh passes its bats tests', async () => {
    expectBatsPassed(await bats(['test/integrations/circleci/export.bats'], {}), 3)
  })
})

let home: string
/** A job's context: the packed orb, a working directory, and the project's variables. */
function contextFor(cwd: string, env: Record<string, string>): JobContext {
  return {
    orb,
    alias: ALIAS,
    cwd,
    env,
    artifacts: path.join(cwd, '..', 'artifacts'),
    workspace: path.join(home ?? os.tmpdir(), 'workspace'),
    home: home ?? os.tmpdir()
  }
}

describe('the orb in jobs, as CircleCI runs them', () => {
  let interop: InteropStack
  /** The Resources API, where the key picks the project. */
  let resources: InteropStack

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'circleci-e2e-'))
    await mkdir(path.join(home, 'workspace'))
    interop = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: KEY, projects: [REPORTS_PROJECT] }
    )
    resources = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: KEY, projects: [APP_PROJECT], api: 'resources' }
    )
  })
  afterAll(async () => {
    await interop?.close()
    await resources?.close()
    await rm(home, { recursive: true, force: true })
  })

  /** The machine's environment plus the project's variables, the key among them. */
  const jobEnv = (cache: string, variables: Record<string, string>): Record<string, string> =>
    childEnv({
      npm_config_registry: inject('registry'),
      npm_config_cache: cache,
      ...variables
    })

  it('the upload command uploads in a job, and the steps after it read the IDs from $BASH_ENV', async () => {
    const cwd = path.join(home, 'test-job/project')
    const cache = path.join(home, 'test-job/npm-cache')
    await mkdir(path.join(cwd, 'reports/e2e'), { recursive: true })
    const reports = {
      'reports/junit.xml': '<testsuite tests="12"/>\n',
      'reports/e2e/video.webm': createHash('sha256').update('video').digest('hex').repeat(3000)
    }
    for (const [file, text] of Object.entries(reports)) await writeFile(path.join(cwd, file), text)
    const context = contextFor(cwd, jobEnv(cache, { EMPIRICALRUN_KEY: KEY }))
    const steps = expandSteps(
      context,
      [
        {
          [`${ALIAS}/upload`]: {
            'project-id': String(REPORTS_PROJECT),
            files: 'reports/\n',
            'base-url': interop.api.url,
            'name-prefix': 'pipeline-7/',
            'results-directory': path.join(home, 'test-job/results')
          }
        },
        {
          run: {
            name: 'Use the IDs',
            command: 'echo "ids=$EMPIRICALRUN_FILE_IDS count=$EMPIRICALRUN_COUNT"'
          }
        }
      ],
      false
    )
    const job = await runSteps(context, steps)
    console.log(job.log)
    expect(job.passed, job.log).toBe(true)

    const records = [...interop.api.records.values()]
    expect(records.map((record) => [record.name, record.status]).sort()).toEqual([
      ['pipeline-7/e2e/video.webm', 'uploaded'],
      ['pipeline-7/junit.xml', 'uploaded']
    ])
    for (const record of records) {
      const local =
        reports[`reports/${record.name.replace('pipeline-7/', '')}` as keyof typeof reports]
      expect((await readObject(interop.s3, record.key)).sha256).toBe(
        createHash('sha256').update(local).digest('hex')
      )
    }
    const ids = JSON.stringify(records.map((record) => record.id).sort())
    expect(job.steps.at(-1)?.output).toBe(`ids=${ids} count=2\n`)
    const stored = filesUnder(path.join(context.artifacts, 'empiricalrun'))
    expect(job.log).toContain(
      `--manifest=${path.join(home, 'test-job/results')}/empiricalrun-manifest.json`
    )
    expect([...stored.keys()].map((file) => path.basename(file)).sort()).toEqual([
      'empiricalrun-checksums.txt',
      'empiricalrun-manifest.json',
      'empiricalrun.env'
    ])
    expect(fetchedFrom(cache, inject('registry'))).toBe(true)
    expectNoKey(
      new Map([['job log', job.log], ['BASH_ENV', await readFile(job.bashEnv, 'utf8')], ...stored]),
      KEY
    )
  })

  it('the upload job attaches the workspace and uploads to the Resources API, with the key in a variable of its own name', async () => {
    const cwd = path.join(home, 'upload-job/project')
    const cache = path.join(home, 'upload-job/npm-cache')
    await mkdir(path.join(home, 'workspace/dist'), { recursive: true })
    const apk = createHash('sha512').update('apk').digest('hex').repeat(2000)
    await writeFile(path.join(home, 'workspace/dist/app.apk'), apk)
    await mkdir(cwd, { recursive: true })
    const context = contextFor(cwd, jobEnv(cache, { ACME_EMPIRICALRUN_KEY: KEY }))
    const steps = orbJobSteps(context, 'upload', {
      api: 'resources',
      files: 'dist/app.apk',
      key: 'ACME_EMPIRICALRUN_KEY',
      'base-url': resources.api.url,
      'download-url': true,
      'results-directory': path.join(home, 'upload-job/results'),
      requires: ['build'],
      context: 'empiricalrun'
    })
    const job = await runSteps(context, steps)
    console.log(job.log)
    expect(job.passed, job.log).toBe(true)

    const apkSha = createHash('sha256').update(apk).digest('hex')
    const [app, ...others] = [...resources.api.records.values()]
    expect([app?.name, app?.project_id, app?.status, others]).toEqual([
      'app.apk',
      APP_PROJECT,
      'uploaded',
      []
    ])
    expect((await readObject(resources.s3, app!.key)).sha256).toBe(apkSha)
    expect(
      resources.api.requests.every((request) => request.route.startsWith('/api/resources'))
    ).toBe(true)
    const bashEnv = await readFile(job.bashEnv, 'utf8')
    expect(bashEnv).toContain(`export EMPIRICALRUN_FILE_ID='${app?.id}'\n`)
    const url =
      /^export EMPIRICALRUN_FILE_URL='(http:\/\/127\.0\.0\.1:\d+\/\S+X-Amz-Signature=\S+)'$/m.exec(
        bashEnv
      )?.[1]
    // The URL the next step reads gives the build's bytes, from the storage that signed it.
    const download = await fetch(url!)
    expect(
      createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex')
    ).toBe(apkSha)
    expect(job.log).not.toMatch(/X-Amz-Signature=/)
    expect(fetchedFrom(cache, inject('registry'))).toBe(true)
    expectNoKey(
      new Map([
        ['job log', job.log],
        ['BASH_ENV', bashEnv]
      ]),
      KEY
    )
  })
})
