// The GitLab CI/CD component (integrations/gitlab/): its template against GitLab's CI schema and
// against the core, and a pipeline that includes it as a user would, run by gitlab-ci-local with
// the shell executor: a build job makes the files, two inclusions of the component upload them
// (to two interop APIs, whose storage is @20minutes/s3rver signed by the AWS SDK: the reports to
// the Resources API, where the key picks the project, the app to the Files API, named by a CI/CD
// variable), and later jobs read the IDs and the URL from the dotenv report.
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parseAllDocuments, stringify } from 'yaml'
import { listKeys, readObject, startInterop, type InteropStack } from '../support/interop-api.ts'
import {
  childEnv,
  commitAll,
  expectNoKey,
  fetchedFrom,
  filesUnder,
  gitlabCiLocal,
  ROOT,
  schemaErrors,
  VERSION
} from './support/ci.ts'

const TEMPLATE = path.join(ROOT, 'integrations/gitlab/templates/upload.yml')
const KEY = 'glpat_like_but_empiricalrun_7b3e91d4c2'
const REPORTS_PROJECT = 27
const APP_PROJECT = 28

interface Input {
  type?: string
  default?: unknown
  description?: string
  options?: unknown[]
  regex?: string
}

const [header, body] = parseAllDocuments(await readFile(TEMPLATE, 'utf8')).map(
  (document) => document.toJS() as Record<string, unknown>
)
const inputs = (header as { spec: { inputs: Record<string, Input> } }).spec.inputs
const job = Object.values(body!)[0] as { variables: Record<string, string>; script: string[] }

describe('the template', () => {
  it("has a header that passes GitLab's CI schema, with a description for every input", () => {
    expect(schemaErrors('gitlab-ci.schema.json', header)).toEqual([])
    for (const [name, input] of Object.entries(inputs)) expect(input.description, name).toBeTruthy()
  })

  it('requires files alone (project-id is for api files only), and pins the version of package.json', () => {
    const required = Object.keys(inputs).filter((name) => !('default' in inputs[name]!))
    expect(required).toEqual(['files'])
    expect([inputs.api?.options, inputs.api?.default]).toEqual([['files', 'resources'], 'files'])
    expect([inputs['project-id']?.default, inputs['base-url']?.default]).toEqual(['', ''])
    expect(inputs.version?.default).toBe(VERSION)
  })

  it('turns every input but the job-level ones into the variable of the core that reads it', async () => {
    const core = await readFile(path.join(ROOT, 'integrations/shared/upload.sh'), 'utf8')
    const jobLevel = ['stage', 'job-name', 'image']
    for (const name of Object.keys(inputs).filter((input) => !jobLevel.includes(input))) {
      const variable = `EMPIRICALRUN_${name.toUpperCase().replaceAll('-', '_')}`
      expect(job.variables[variable], name).toBe(`$[[ inputs.${name} ]]`)
      const setting = variable.replace('EMPIRICALRUN_', '')
      // Read by name (${EMPIRICALRUN_FILES:-}) or through the table of flags (PROJECT_ID:project-id).
      expect(core, variable).toMatch(
        new RegExp(`\\$\\{${variable}[:}-]|\\s${setting}:[a-z-]+[\\s;]`)
      )
    }
  })

  it('embeds the core in a subshell', async () => {
    const core = await readFile(path.join(ROOT, 'integrations/shared/upload.sh'), 'utf8')
    expect(job.script).toHaveLength(1)
    expect(job.script[0]).toContain(core.trim())
    expect(job.script[0]?.startsWith('(\n')).toBe(true)
    expect(job.script[0]?.trimEnd().endsWith('\n)')).toBe(true)
  })
})

/** The pipeline of the test project: a build, the component twice, and a job after each. */
function pipeline(reportsApi: string, appApi: string): string {
  const component = '$CI_SERVER_FQDN/$CI_PROJECT_PATH/upload@$CI_COMMIT_SHA'
  return stringify({
    include: [
      {
        component,
        inputs: {
          'job-name': 'upload-reports',
          api: 'resources',
          files: 'reports/\n!reports/**/*.tmp\n',
          'base-url': reportsApi,
          'name-prefix': 'pipeline-$CI_PIPELINE_ID/',
          concurrency: 2
        }
      },
      {
        component,
        inputs: {
          'job-name': 'upload-app',
          'project-id': '$APP_PROJECT',
          files: 'app/app-release.apk',
          'base-url': appApi,
          'download-url': true,
          image: 'node:22-alpine'
        }
      }
    ],
    stages: ['build', 'deploy', 'verify'],
    build: {
      stage: 'build',
      script: [
        'mkdir -p reports/e2e app',
        'head -c 200000 /dev/urandom > reports/e2e/trace.zip',
        'echo "<testsuite tests=\\"3\\"/>" > reports/junit.xml',
        'echo scratch > reports/e2e/run.tmp',
        'head -c 500000 /dev/urandom > app/app-release.apk'
      ],
      artifacts: { paths: ['reports/', 'app/'] }
    },
    'after-reports': {
      stage: 'verify',
      needs: ['upload-reports'],
      script: [
        'echo "reports: ids=$EMPIRICALRUN_FILE_IDS count=$EMPIRICALRUN_COUNT" | tee seen-reports.txt'
      ],
      artifacts: { paths: ['seen-reports.txt'] }
    },
    'after-app': {
      stage: 'verify',
      needs: ['upload-app'],
      script: [
        'echo "app: id=$EMPIRICALRUN_FILE_ID ids=$EMPIRICALRUN_FILE_IDS" | tee seen-app.txt',
        'node "$READ_BACK" "$EMPIRICALRUN_FILE_URL" | tee -a seen-app.txt'
      ],
      artifacts: { paths: ['seen-app.txt'] }
    }
  })
}

/** A CI/CD variable for gitlab-ci-local's project variables file. */
const variable = (value: string): object => ({ type: 'variable', values: { '*': value } })

describe('the component in a pipeline, under gitlab-ci-local', () => {
  /** The Resources API, whose key picks REPORTS_PROJECT. */
  let interop: InteropStack
  /** The Files API, holding APP_PROJECT. */
  let files: InteropStack
  let work: string

  beforeAll(async () => {
    interop = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: KEY, projects: [REPORTS_PROJECT], api: 'resources' }
    )
    files = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: KEY, projects: [APP_PROJECT] }
    )
    work = await mkdtemp(path.join(os.tmpdir(), 'gitlab-e2e-'))
  })
  afterAll(async () => {
    await interop?.close()
    await files?.close()
    await rm(work, { recursive: true, force: true })
  })

  it('uploads every file, hands the IDs and URL on through dotenv, and never shows the key', async () => {
    const project = path.join(work, 'project')
    const cache = path.join(work, 'npm-cache')
    await mkdir(path.join(project, 'templates'), { recursive: true })
    await cp(TEMPLATE, path.join(project, 'templates/upload.yml'))
    await writeFile(path.join(project, '.gitlab-ci.yml'), pipeline(interop.api.url, files.api.url))
    await writeFile(path.join(project, '.gitignore'), '.gitlab-ci-local*\n')
    await commitAll(project, 'https://gitlab.example.com/acme/mobile-app.git')
    // The project's CI/CD variables, as Settings → CI/CD → Variables would hold them; the job's
    // PATH has Node.js 22.19 or later first, as the image would, and npm uses the local registry.
    await writeFile(
      path.join(project, '.gitlab-ci-local-variables.yml'),
      stringify({
        EMPIRICALRUN_KEY: variable(KEY),
        APP_PROJECT: variable(String(APP_PROJECT)),
        PATH: variable(childEnv().PATH!),
        HOME: variable(work),
        npm_config_registry: variable(inject('registry')),
        npm_config_cache: variable(cache),
        npm_config_update_notifier: variable('false'),
        READ_BACK: variable(path.join(ROOT, 'test/integrations/support/sha256-of-url.ts'))
      })
    )

    const result = await gitlabCiLocal(project, work)
    const log = result.stdout + result.stderr
    console.log(log)
    expect(result.code, log).toBe(0)
    expect(log).toContain('json schema validated')

    const state = path.join(project, '.gitlab-ci-local')
    const artifacts = path.join(state, 'artifacts')
    // Every report reached the interop project under its name, with the bytes the build made.
    const dotenv = await readFile(
      path.join(artifacts, 'upload-reports/.gitlab-ci-reports/dotenv/empiricalrun.env'),
      'utf8'
    )
    const records = [...interop.api.records.values()]
    expect(records.map((record) => [record.name, record.status]).sort()).toEqual([
      [expect.stringMatching(/^pipeline-\d+\/e2e\/trace\.zip$/), 'uploaded'],
      [expect.stringMatching(/^pipeline-\d+\/junit\.xml$/), 'uploaded']
    ])
    for (const record of records) {
      const local = await readFile(
        path.join(artifacts, 'build/reports', record.name.replace(/^pipeline-\d+\//, ''))
      )
      const stored = await readObject(interop.s3, record.key)
      expect(stored.sha256, record.name).toBe(createHash('sha256').update(local).digest('hex'))
    }
    expect(await listKeys(interop.s3, `project-resources/${REPORTS_PROJECT}/`)).toHaveLength(2)
    const ids = records.map((record) => record.id)
    expect(dotenv).toContain(`EMPIRICALRUN_FILE_IDS=${JSON.stringify(ids.sort())}\n`)
    expect(dotenv).toContain('EMPIRICALRUN_COUNT=2\n')
    expect(await readFile(path.join(project, 'seen-reports.txt'), 'utf8')).toBe(
      `reports: ids=${JSON.stringify(ids)} count=2\n`
    )

    expect(
      interop.api.requests.every((request) => request.route.startsWith('/api/resources'))
    ).toBe(true)

    // The app reached the Files API's project; the next job read its ID, and its bytes through the URL.
    const [app, ...others] = [...files.api.records.values()]
    const apk = await readFile(path.join(artifacts, 'build/app/app-release.apk'))
    const apkSha = createHash('sha256').update(apk).digest('hex')
    expect([app?.name, app?.project_id, app?.status, others]).toEqual([
      'app-release.apk',
      APP_PROJECT,
      'uploaded',
      []
    ])
    expect((await readObject(files.s3, app!.key)).sha256).toBe(apkSha)
    expect(await readFile(path.join(project, 'seen-app.txt'), 'utf8')).toBe(
      `app: id=${app?.id} ids=[${app?.id}]\n${apkSha}\n`
    )
    const appEnv = await readFile(
      path.join(artifacts, 'upload-app/.gitlab-ci-reports/dotenv/empiricalrun.env'),
      'utf8'
    )
    expect(appEnv).toMatch(/^EMPIRICALRUN_FILE_URL=http:\/\/127\.0\.0\.1:\d+\/\S+X-Amz-Signature=/m)
    // The manifest and checksums file are the upload jobs' artifacts.
    const manifest = JSON.parse(
      await readFile(path.join(artifacts, 'upload-app/empiricalrun-manifest.json'), 'utf8')
    ) as { files: { id: number }[] }
    expect(manifest.files.map((file) => file.id)).toEqual([app?.id])
    expect(
      await readFile(path.join(artifacts, 'upload-app/empiricalrun-checksums.txt'), 'utf8')
    ).toBe(`${apkSha}  app-release.apk\n`)

    expect(fetchedFrom(cache, inject('registry'))).toBe(true)
    expectNoKey(new Map([['gitlab-ci-local output', log], ...filesUnder(state)]), KEY)
  })
})
