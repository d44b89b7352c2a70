// What each catalog gets (tools/integrations/prepare.ts), checked the way that catalog uses it:
// the GitLab component project's own pipeline under gitlab-ci-local, the Bitrise Step repository's
// tests in its own layout, the StepLib step.yml against Bitrise's schema, the packed orb.
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { packOrb } from '../../tools/integrations/orb-pack.ts'
import { LAYOUT, prepare, steplibStep } from '../../tools/integrations/prepare.ts'
import {
  bats,
  childEnv,
  commitAll,
  expectBatsPassed,
  filesUnder,
  gitlabCiLocal,
  ROOT,
  schemaErrors
} from './support/ci.ts'

let out: string

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'integrations-prepared-'))
  prepare(out)
})
afterAll(async () => {
  await rm(out, { recursive: true, force: true })
})

/** The files of a prepared folder, relative to it. */
const listing = (ci: string): string[] =>
  [...filesUnder(path.join(out, ci)).keys()]
    .map((file) => path.relative(path.join(out, ci), file))
    .sort()

describe('the prepared folders', () => {
  it('hold each catalog its files, and the packed orb', () => {
    expect(listing('gitlab')).toEqual(Object.keys(LAYOUT.gitlab!).sort())
    expect(listing('bitrise')).toEqual(Object.keys(LAYOUT.bitrise!).sort())
    expect(listing('circleci')).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'orb.yml',
        'src/@orb.yml',
        'src/scripts/upload.sh'
      ])
    )
  })

  it('the packed orb is the orb of integrations/circleci/src', async () => {
    expect(parse(await readFile(path.join(out, 'circleci/orb.yml'), 'utf8'))).toEqual(
      packOrb(path.join(ROOT, 'integrations/circleci/src'))
    )
  })
})

describe('the Bitrise Step repository', () => {
  it("passes the Step's tests in its own layout, as its bitrise.yml's test Workflow runs them", async () => {
    const result = await bats([path.join(out, 'bitrise/test/step.bats')], {
      STEP: path.join(out, 'bitrise/step.sh')
    })
    expectBatsPassed(result, 6)
  })

  it('gives the StepLib a step.yml with its source pinned, which passes the step schema', async () => {
    const stepYml = await readFile(path.join(out, 'bitrise/step.yml'), 'utf8')
    const commit = 'a'.repeat(40)
    const published = steplibStep(
      stepYml,
      'https://github.com/empiricalrun/bitrise-step-upload-files.git',
      commit,
      new Date('2026-01-02T03:04:05Z')
    )
    const step = parse(published) as Record<string, unknown>
    expect(step.published_at).toBe('2026-01-02T03:04:05.000Z')
    expect(step.source).toEqual({
      git: 'https://github.com/empiricalrun/bitrise-step-upload-files.git',
      commit
    })
    expect(schemaErrors('bitrise-step.schema.json', step)).toEqual([])
    expect(published).toContain('# written by tools/integrations/generate.ts')
  })
})

describe('the GitLab component project', () => {
  it('runs its own pipeline: the component on a dry run, as a user includes it; no release off a tag', async () => {
    const project = path.join(out, 'gitlab')
    await writeFile(path.join(project, '.gitignore'), '.gitlab-ci-local*\n')
    await commitAll(project, 'https://gitlab.com/empiricalrun/upload-files.git')
    const variable = (value: string): object => ({ type: 'variable', values: { '*': value } })
    await writeFile(
      path.join(project, '.gitlab-ci-local-variables.yml'),
      stringify({
        PATH: variable(childEnv().PATH!),
        HOME: variable(out),
        npm_config_registry: variable(inject('registry')),
        npm_config_cache: variable(path.join(out, 'npm-cache'))
      })
    )
    const result = await gitlabCiLocal(project, out)
    const log = result.stdout + result.stderr
    console.log(log)
    expect(result.code, log).toBe(0)
    expect(log).toContain('json schema validated')
    expect(log).toMatch(/dry-run\s+> Dry run: 1 file would be uploaded to empirical\.run project 1/)
    expect(log).toMatch(/PASS\s+dry-run/)
    expect(log).not.toMatch(/create-release\s+starting/)
  })
})

describe('the Integrations workflow', () => {
  const workflow = readFileSync(path.join(ROOT, '.github/workflows/integrations.yml'), 'utf8')
  const publishing = readFileSync(path.join(ROOT, 'docs/ci/publishing.md'), 'utf8')

  it('names in docs/ci/publishing.md every secret it uses', () => {
    const secrets = [
      ...new Set([...workflow.matchAll(/secrets\.(\w+)/g)].map((match) => match[1]!))
    ]
    expect(secrets.sort()).toEqual(['BITRISE_STEP_TOKEN', 'CIRCLECI_CLI_TOKEN', 'GITLAB_TOKEN'])
    for (const secret of secrets) expect(publishing, secret).toContain(`| \`${secret}\``)
  })

  it('tests the integrations and publishes what prepare.ts lays out', () => {
    expect(workflow).toContain('npm run test:integrations --prefix tools/integrations')
    expect(workflow).toContain('npm run check --prefix tools/integrations')
    expect(workflow).toContain('node tools/integrations/prepare.ts integrations-out')
    expect(workflow).toContain('node tools/integrations/prepare.ts --steplib out/bitrise/step.yml')
    for (const ci of ['gitlab', 'bitrise']) expect(workflow).toContain(`out/${ci}/`)
    expect(workflow).toContain('circleci orb pack integrations/circleci/src > orb.yml')
  })
})
