// The worked examples of docs/ci/: every YAML block parses, every shell script in them is valid
// sh, every command line of the CLI uses flags that --help lists, and every page the index names
// exists. Three are run as their CI would run them, against the emulator, with the CLI fetched by
// npx from the local registry: Bitbucket's steps (script lines, artifacts between steps),
// Codemagic's scripts ($CM_ENV between them) and Xcode Cloud's ci_post_xcodebuild.sh (Node.js
// from a stubbed Homebrew).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parse, parseDocument } from 'yaml'
import { helpText } from '../../src/cli/help.ts'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import { childEnv, expectNoKey, fetchedFrom, ROOT, run, VERSION } from './support/ci.ts'

const DOCS = path.join(ROOT, 'docs/ci')
const pages = readdirSync(DOCS)
  .filter((file) => file.endsWith('.md'))
  .sort()
const text = (page: string): string => readFileSync(path.join(DOCS, page), 'utf8')

/** The fenced blocks of a page in a language, in order. */
function blocks(page: string, languages: RegExp): string[] {
  return [...text(page).matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)]
    .filter((match) => languages.test(match[1]!))
    .map((match) => match[2]!)
}

/** Every shell script of a page's YAML blocks (script: and command: values), as its CI's shell gets it. */
function yamlScripts(page: string): string[] {
  const found: string[] = []
  const visit = (node: unknown, key = ''): void => {
    if (typeof node === 'string' && ['script', 'command'].includes(key)) {
      // Buildkite reads $ in the pipeline file first; $$ is its escape for the shell's $.
      found.push(page === 'buildkite.md' ? node.replaceAll('$$', '$') : node)
    } else if (Array.isArray(node)) {
      node.forEach((item) => visit(item, key === 'script' ? 'script' : ''))
    } else if (typeof node === 'object' && node !== null) {
      for (const [name, value] of Object.entries(node)) visit(value, name)
    }
  }
  for (const block of blocks(page, /^ya?ml$/)) visit(parse(block))
  return found
}

/** The CLI's command lines of a page, each continued line joined into one. */
function commandLines(page: string): string[] {
  return [...blocks(page, /^(sh|bash|groovy)$/), ...yamlScripts(page)]
    .flatMap((script) => script.replace(/\\\n\s*/g, ' ').split('\n'))
    .filter((line) => line.includes('@empiricalrun/upload-files@'))
}

/** The flags of a command line, outside quotes. */
const flagsOf = (line: string): string[] =>
  line.replace(/'[^']*'|"[^"]*"/g, '').match(/(?<=\s)--[a-z-]+/g) ?? []

const known = new Set(helpText().match(/--[a-z-]+/g))

describe.each(pages)('docs/ci/%s', (page) => {
  it('has YAML blocks that parse', () => {
    for (const block of blocks(page, /^ya?ml$/)) {
      expect(parseDocument(block).errors.map((error) => error.message)).toEqual([])
    }
  })

  it('runs the CLI with flags that --help lists, at the version of package.json', () => {
    const lines = commandLines(page)
    if (['README.md', 'publishing.md'].includes(page)) return
    expect(lines.length, page).toBeGreaterThan(0)
    for (const line of lines) {
      expect(line).toContain(`@empiricalrun/upload-files@${VERSION} `)
      for (const flag of flagsOf(line).filter((flag) => flag !== '--yes')) {
        expect(known, `${page}: ${flag}`).toContain(flag)
      }
    }
  })

  it('links only to files that exist', () => {
    for (const [, target = ''] of text(page).matchAll(/\]\((?!https?:)([^)#\s]+)/g)) {
      expect(readFileSync(path.resolve(DOCS, target)), `${page} → ${target}`).toBeTruthy()
    }
  })
})

describe('the index', () => {
  it('names every page of docs/ci', () => {
    const index = text('README.md')
    for (const page of pages.filter((page) => page !== 'README.md')) {
      expect(index, page).toContain(`](${page})`)
    }
  })
})

/** Every shell script of the examples: sh blocks, and the scripts of the YAML blocks. */
const scripts = (): [string, string][] =>
  pages.flatMap((page) =>
    [...blocks(page, /^(sh|bash)$/), ...yamlScripts(page)].map((script): [string, string] => [
      page,
      script
    ])
  )

describe('the shell scripts of the examples', () => {
  it.each(scripts())('%s: valid sh', async (_page, script) => {
    const checked = await run('bash', ['-n', '-c', script], { cwd: ROOT, env: childEnv() })
    expect(checked.stderr).toBe('')
    expect(checked.code).toBe(0)
  })
})

describe('examples run as their CI runs them', () => {
  const KEY = 'erk_docs_e2e_6a1d93c07e'
  let emulator: Emulator
  let work: string

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: KEY, projects: [42] })
    work = await mkdtemp(path.join(os.tmpdir(), 'docs-e2e-'))
  })
  afterAll(async () => {
    await emulator?.close()
    await rm(work, { recursive: true, force: true })
  })

  /** A job's workspace holding a build's files, and its environment. */
  async function job(name: string, files: Record<string, string>, env: Record<string, string>) {
    const dir = path.join(work, name)
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await writeFile(path.join(dir, file), content)
    }
    const cache = path.join(work, `${name}-npm-cache`)
    const jobEnv = childEnv({
      EMPIRICALRUN_KEY: KEY,
      npm_config_registry: inject('registry'),
      npm_config_cache: cache,
      ...env
    })
    /** Runs one script of the job in its shell, failing the test on an error. */
    const sh = async (script: string, extra: Record<string, string> = {}): Promise<string> => {
      const result = await run('bash', ['-eo', 'pipefail', '-c', script], {
        cwd: dir,
        env: { ...jobEnv, ...extra }
      })
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expectNoKey({ [`${name} log`]: result.stdout + result.stderr }, KEY)
      return result.stdout + result.stderr
    }
    return { dir, cache, sh }
  }

  /** The base URL every example gets: the flags are the page's, plus --base-url to the emulator. */
  const toEmulator = (script: string): string =>
    script.replace(
      /@empiricalrun\/upload-files@(\S+) /g,
      `@empiricalrun/upload-files@$1 --base-url ${emulator.apiUrl} `
    )

  it('Bitbucket Pipelines: the upload step, then the step after it reads the IDs', async () => {
    emulator.reset()
    const config = parse(blocks('bitbucket-pipelines.md', /^ya?ml$/)[0]!) as {
      pipelines: { default: { step: { name: string; script: string[] } }[] }
    }
    const [, upload, after] = config.pipelines.default.map((entry) => entry.step)
    const { sh, cache } = await job(
      'bitbucket',
      { 'dist/app.js': 'console.log(1)\n', 'dist/index.html': '<p>hi</p>\n' },
      { BITBUCKET_BUILD_NUMBER: '17' }
    )
    for (const line of upload!.script) await sh(toEmulator(line))
    const seen = await sh(after!.script.join('\n'))
    const uploaded = emulator.uploaded()
    expect(uploaded.map((file) => file.name).sort()).toEqual([
      'build-17/app.js',
      'build-17/index.html'
    ])
    expect(seen).toBe(`Uploaded ${JSON.stringify(uploaded.map((file) => file.id))}\n`)
    expect(fetchedFrom(cache, inject('registry'))).toBe(true)
  })

  it('Codemagic: the upload script, then a later script reads the IDs from $CM_ENV', async () => {
    emulator.reset()
    const config = parse(blocks('codemagic.md', /^ya?ml$/)[0]!) as {
      workflows: Record<string, { scripts: { name: string; script: string }[] }>
    }
    const [, upload, after] = Object.values(config.workflows)[0]!.scripts
    const { sh, dir } = await job(
      'codemagic',
      { 'app/build/outputs/apk/release/app-release.apk': 'apk bytes\n' },
      { BUILD_NUMBER: '5' }
    )
    const cmEnv = path.join(dir, 'cm_env')
    await writeFile(cmEnv, '')
    await sh(toEmulator(upload!.script), { CM_ENV: cmEnv })
    const variables = Object.fromEntries(
      (await readFile(cmEnv, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    )
    const seen = await sh(after!.script, variables)
    const [apk] = emulator.uploaded()
    expect(apk?.name).toBe('build-5/app-release.apk')
    expect(seen).toBe(`Uploaded [${apk?.id}]\n`)
  })

  it('Xcode Cloud: ci_post_xcodebuild.sh installs Node.js with Homebrew and uploads the .ipa', async () => {
    emulator.reset()
    const script = blocks('xcode-cloud.md', /^sh$/)[0]!
    const { sh, dir } = await job('xcode-cloud', { 'export/MyApp.ipa': 'ipa bytes\n' }, {})
    // Homebrew, stubbed: `brew install node@22` records the call, `brew --prefix node@22` points at
    // a keg whose bin holds the Node.js running this suite. PATH has no other Node.js before it.
    const keg = path.join(dir, 'keg')
    await mkdir(path.join(keg, 'bin'), { recursive: true })
    await writeFile(path.join(keg, 'bin/node'), `#!/bin/sh\nexec "${process.execPath}" "$@"\n`)
    await mkdir(path.join(dir, 'brew-bin'))
    await writeFile(
      path.join(dir, 'brew-bin/brew'),
      `#!/bin/sh\necho "brew $*" >> "${path.join(dir, 'brew.log')}"\n[ "$1" = --prefix ] && echo "${keg}"\nexit 0\n`
    )
    await chmod(path.join(keg, 'bin/node'), 0o755)
    await chmod(path.join(dir, 'brew-bin/brew'), 0o755)
    const systemPath = `${path.join(dir, 'brew-bin')}:${path.dirname(await which('npx'))}:/usr/bin:/bin`
    const xcode = {
      PATH: systemPath,
      CI_XCODEBUILD_ACTION: 'archive',
      CI_APP_STORE_SIGNED_APP_PATH: path.join(dir, 'export'),
      CI_BUILD_NUMBER: '57',
      CI_DERIVED_DATA_PATH: path.join(dir, 'derived')
    }
    await mkdir(xcode.CI_DERIVED_DATA_PATH)
    await sh(toEmulator(script), xcode)
    expect(await readFile(path.join(dir, 'brew.log'), 'utf8')).toBe(
      'brew install node@22\nbrew --prefix node@22\n'
    )
    expect(emulator.uploaded().map((file) => file.name)).toEqual(['build-57/MyApp.ipa'])
    const skipped = await sh(toEmulator(script), { ...xcode, CI_XCODEBUILD_ACTION: 'test' })
    expect(skipped).toBe('Nothing to upload for the test action.\n')
  })
})

/** The absolute path of a command on this machine's PATH. */
async function which(command: string): Promise<string> {
  const found = await run('sh', ['-c', `command -v ${command}`], { cwd: ROOT, env: childEnv() })
  return found.stdout.trim()
}
