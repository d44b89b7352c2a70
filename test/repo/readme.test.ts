import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse, parseDocument } from 'yaml'
import { parseOutputs } from '../../scripts/run-action.ts'
import { setOutputs } from '../../src/action/outputs.ts'
import { helpText } from '../../src/cli/help.ts'
import { formatChecksums } from '../../src/core/results/checksums.ts'
import type { ManifestEntry } from '../../src/core/results/manifest.ts'
import { SETTING_KEYS, SETTINGS, type Setting } from '../../src/core/settings/settings.ts'
import { VERSION as SENT_VERSION } from '../../src/core/version.ts'

// The README and the workflows must agree with action.yml: a user pastes them.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8')

interface ActionInput {
  description?: string
  required?: boolean
  default?: string
}

interface Action {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description?: string }>
}

const action = parse(read('action.yml')) as Action
const inputNames = Object.keys(action.inputs)
const outputNames = Object.keys(action.outputs)
const requiredInputs = inputNames.filter((name) => action.inputs[name]?.required === true)
const readme = read('README.md')
/** The user's pages: README, each page under docs/, and bench/README.md; by path. */
const pages: Record<string, string> = Object.fromEntries([
  ['README.md', readme],
  ...readdirSync(path.join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => [`docs/${file}`, read(`docs/${file}`)]),
  ['bench/README.md', read('bench/README.md')]
])
/** Every page's text, one after another: what the examples' checks read. */
const allPages = Object.values(pages).join('\n')
/** The release's version, which every face and page must agree on. */
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version
/** Its major version: the action's tag (`@v2`) and the npm range (`@2`). */
const MAJOR = VERSION.split('.')[0] ?? ''
/** Where a page links to a file of the repository that is not in the npm package. */
const GITHUB_BLOB = `https://github.com/empiricalrun/upload-files/blob/v${MAJOR}/`

/** The lines of the `## <title>` section, up to the next `## ` heading. */
function section(markdown: string, title: string): string[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.trim() === `## ${title}`)
  expect(start, `README has a "## ${title}" section`).toBeGreaterThanOrEqual(0)
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '))
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

/** The cells of a markdown table row; `\|` inside a cell is not a separator. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim())
}

/** The first table of a section as header cells plus body rows. */
function firstTable(lines: string[]): { header: string[]; rows: string[][] } {
  const start = lines.findIndex((line) => line.trim().startsWith('|'))
  expect(start, 'the section has a table').toBeGreaterThanOrEqual(0)
  const table: string[] = []
  for (const line of lines.slice(start)) {
    if (!line.trim().startsWith('|')) break
    table.push(line)
  }
  const [header = '', separator = '', ...rows] = table
  expect(separator).toMatch(/^\|?\s*:?-+/)
  return { header: cells(header), rows: rows.map(cells) }
}

/** The name in a first cell written as `name`. */
function backticked(cell: string): string {
  const match = /^`([^`]+)`$/.exec(cell)
  expect(match, `first cell ${cell} is a name in backticks`).not.toBeNull()
  return match?.[1] ?? ''
}

/**
 * The default shown in a Default cell: `value` in backticks, `""` for the empty string, and a dash
 * (or nothing) for an input without a default.
 */
function shownDefault(cell: string): string | undefined {
  if (cell === '' || cell === '—' || cell === '-') return undefined
  const match = /^`([^`]*)`$/.exec(cell)
  expect(match, `default ${cell} is in backticks`).not.toBeNull()
  const value = match?.[1] ?? ''
  return value === '""' ? '' : value
}

/** Every object in a parsed YAML tree that is a step using an action whose `uses` passes `test`. */
function stepsUsing(tree: unknown, test: (uses: string) => boolean): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit)
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>
      if (typeof record.uses === 'string' && test(record.uses)) found.push(record)
      Object.values(record).forEach(visit)
    }
  }
  visit(tree)
  return found
}

/** The `run:` script of every step that has an id, by id. */
function stepsWithRun(tree: unknown): Map<string, string> {
  const found = new Map<string, string>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit)
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>
      if (typeof record.id === 'string' && typeof record.run === 'string')
        found.set(record.id, record.run)
      Object.values(record).forEach(visit)
    }
  }
  visit(tree)
  return found
}

/** Checks one step's `with:` against action.yml: declared inputs only, required ones present. */
function checkWith(step: Record<string, unknown>, where: string): void {
  const withBlock = (step.with ?? {}) as Record<string, unknown>
  expect(typeof withBlock, `${where}: with is a mapping`).toBe('object')
  for (const name of Object.keys(withBlock)) {
    expect(inputNames, `${where}: input ${name} is declared in action.yml`).toContain(name)
  }
  for (const name of requiredInputs) {
    expect(Object.keys(withBlock), `${where}: required input ${name} is given`).toContain(name)
  }
}

/** Every `steps.<id>.outputs.<name>` in a text. */
function outputReferences(text: string): { id: string; name: string }[] {
  return [...text.matchAll(/steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)].map(
    (match) => ({ id: match[1] ?? '', name: match[2] ?? '' })
  )
}

/** The ```yaml blocks of a markdown text. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? '')
}

const isThisAction = (uses: string): boolean => uses.startsWith('empiricalrun/upload-files@')

describe('the pages name every setting of the table', () => {
  const cliPart = pages['docs/cli.md'] ?? ''
  const libraryPart = pages['docs/library.md'] ?? ''

  it.each(SETTING_KEYS)(
    '%s: its flag in the command line section, its option in the library one',
    (key) => {
      const setting: Setting = SETTINGS[key]
      if (setting.flag !== undefined) expect(cliPart).toContain(`\`--${setting.flag}\``)
      expect(libraryPart).toContain(`\`${key}\``)
    }
  )
})

describe('README tables', () => {
  it('lists exactly the inputs of action.yml, with their defaults and whether they are required', () => {
    const { header, rows } = firstTable(section(readme, 'Inputs'))
    const defaultColumn = header.findIndex((cell) => /^default$/i.test(cell))
    const requiredColumn = header.findIndex((cell) => /^required/i.test(cell))
    expect(defaultColumn, 'the Inputs table has a Default column').toBeGreaterThan(0)
    expect(requiredColumn, 'the Inputs table has a Required column').toBeGreaterThan(0)

    expect(rows.map((row) => backticked(row[0] ?? ''))).toEqual(inputNames)
    for (const row of rows) {
      const name = backticked(row[0] ?? '')
      const declared = action.inputs[name]
      expect(shownDefault(row[defaultColumn] ?? ''), `default of ${name}`).toBe(declared?.default)
      const required = /yes/i.test(row[requiredColumn] ?? '')
      expect(required, `required flag of ${name}`).toBe(declared?.required === true)
    }
  })

  it('lists exactly the outputs of action.yml', () => {
    const { rows } = firstTable(section(readme, 'Outputs'))
    expect(rows.map((row) => backticked(row[0] ?? ''))).toEqual(outputNames)
  })
})

describe('the pages link to each other', () => {
  it('README links to every page under docs/, and to bench/README.md on GitHub (it is not in the package)', () => {
    for (const page of Object.keys(pages).filter((page) => page.startsWith('docs/')))
      expect(readme, page).toContain(`](${page}`)
    expect(readme).toContain(`](${GITHUB_BLOB}bench/README.md)`)
    expect(readme).not.toMatch(/\]\((bench\/README|CONTRIBUTING)\.md/)
  })

  it.each(Object.keys(pages))(
    "every link of %s into this repository on GitHub names a file it has, at the release's major tag",
    (page) => {
      const text = pages[page] ?? ''
      for (const [link = '', ref = '', file = ''] of text.matchAll(
        /https:\/\/github\.com\/empiricalrun\/upload-files\/blob\/([^/]+)\/([^)#\s]+)/g
      )) {
        expect(ref, link).toBe(`v${MAJOR}`)
        expect(existsSync(path.join(root, file)), link).toBe(true)
      }
    }
  )

  it.each(Object.keys(pages))(
    'every relative link of %s reaches a file and its heading',
    (page) => {
      const text = pages[page] ?? ''
      for (const [, target = ''] of text.matchAll(/\]\((?!https?:|mailto:)([^)\s]+)\)/g)) {
        const [file = '', anchor] = target.split('#')
        const resolved = file ? path.join(path.dirname(page), file) : page
        expect(existsSync(path.join(root, resolved)), `${page}: ${target}`).toBe(true)
        if (anchor === undefined || !resolved.endsWith('.md')) continue
        const headings = read(resolved)
          .split('\n')
          .filter((line) => /^#{1,4} /.test(line))
          .map((line) => slugOf(line.replace(/^#+ /, '')))
        expect(headings, `${page}: ${target}`).toContain(anchor)
      }
    }
  )

  it.each(Object.keys(pages))('%s shows no target as missed', (page) => {
    expect(pages[page]).not.toMatch(/not met/i)
  })
})

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slugOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-')
}

describe('examples on every page', () => {
  const blocks = Object.values(pages).flatMap(yamlBlocks)

  it('has YAML examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5)
  })

  it.each(blocks.map((block, index) => [index + 1, block] as const))(
    'YAML block %i parses',
    (_index, block) => {
      const document = parseDocument(block)
      expect(document.errors.map((error) => error.message)).toEqual([])
    }
  )

  it('passes only declared inputs, and every required one, to the action', () => {
    const steps = blocks.flatMap((block) => stepsUsing(parse(block), isThisAction))
    expect(steps.length).toBeGreaterThanOrEqual(5)
    steps.forEach((step, index) =>
      checkWith(step, `README step ${index + 1} (${String(step.uses)})`)
    )
  })

  it('references only declared outputs', () => {
    const references = outputReferences(allPages)
    expect(references.length).toBeGreaterThan(0)
    for (const { id, name } of references) {
      expect(outputNames, `steps.${id}.outputs.${name}`).toContain(name)
    }
  })

  it('reads outputs only from steps of the same example that use the action', () => {
    for (const block of blocks) {
      const ids = new Set(
        stepsUsing(parse(block), isThisAction).flatMap((step) =>
          typeof step.id === 'string' ? [step.id] : []
        )
      )
      for (const { id, name } of outputReferences(block)) {
        expect([...ids], `steps.${id}.outputs.${name} names a step that uses the action`).toContain(
          id
        )
      }
    }
  })

  it('names only npm scripts that package.json defines', () => {
    const scripts = Object.keys(
      (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
    )
    const named = [...allPages.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1] ?? '')
    expect(named.length).toBeGreaterThan(0)
    for (const script of new Set(named)) expect(scripts, `npm run ${script}`).toContain(script)
  })
})

describe('self-test workflow', () => {
  const text = read('.github/workflows/self-test.yml')
  const workflow = parse(text) as unknown
  const steps = stepsUsing(workflow, (uses) => uses === './')

  it('runs the action from the repository', () => {
    expect(steps.length).toBeGreaterThanOrEqual(2)
  })

  it('passes only declared inputs, and every required one, to the action', () => {
    steps.forEach((step, index) => checkWith(step, `self-test step ${String(step.id ?? index)}`))
  })

  it('reads only declared outputs of the action, or outputs a run step writes itself', () => {
    const ids = steps.flatMap((step) => (typeof step.id === 'string' ? [step.id] : []))
    const runSteps = stepsWithRun(workflow)
    const references = outputReferences(text)
    expect(references.filter(({ id }) => ids.includes(id)).length).toBeGreaterThan(0)
    for (const { id, name } of references) {
      const script = runSteps.get(id)
      if (script !== undefined) {
        expect(script, `steps.${id} writes ${name} to GITHUB_OUTPUT`).toMatch(
          new RegExp(`${name}=.*>>\\s*"\\$GITHUB_OUTPUT"`)
        )
        continue
      }
      expect(ids, `steps.${id} runs the action`).toContain(id)
      expect(outputNames, `steps.${id}.outputs.${name}`).toContain(name)
    }
  })
})

describe('command-line examples on every page', () => {
  const known = new Set(helpText().match(/--[a-z-]+/g))
  /** Lines of code blocks that run the CLI, by its bin name or its package. */
  const commands = [...allPages.matchAll(/```\w*\n(.*?)```/gs)]
    .flatMap((block) => (block[1] ?? '').split('\n'))
    .filter((line) => /empiricalrun-upload |@empiricalrun\/upload-files(@\d+)? /.test(line))

  it('has command-line examples', () => {
    expect(commands.length).toBeGreaterThanOrEqual(6)
  })

  it('names every action input as a flag in --help, except the key', () => {
    for (const name of inputNames.filter((input) => input !== 'auth-key'))
      expect(known, `--${name}`).toContain(`--${name}`)
    expect(known).not.toContain('--auth-key')
  })

  it('uses only flags that --help lists', () => {
    for (const line of commands) {
      const flags = line.replace(/'[^']*'|"[^"]*"/g, '').match(/(?<=\s)--[a-z-]+/g) ?? []
      for (const flag of flags.filter((f) => f !== '--yes')) expect(known, line).toContain(flag)
    }
  })
})

describe('workflows', () => {
  const dir = path.join(root, '.github', 'workflows')
  const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file))

  it.each(files)('%s pins every third-party action to a commit SHA with its version', (file) => {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n')
    for (const line of lines) {
      const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line)
      if (!match || match[1]?.startsWith('./')) continue
      expect(match[1], `${file}: ${line.trim()}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      expect(match[2], `${file}: ${line.trim()} has a version comment`).toMatch(
        /^\s+# v\d+(\.\d+){0,2}\b/
      )
    }
  })

  it.each(files)('%s declares its permissions', (file) => {
    const workflow = parse(readFileSync(path.join(dir, file), 'utf8')) as {
      permissions?: unknown
    }
    expect(workflow.permissions, `${file} has top-level permissions`).toBeDefined()
  })
})

/** A markdown text less its `## <title>` section. */
function withoutSection(markdown: string, title: string): string {
  const kept = section(markdown, title).join('\n')
  return markdown.replace(`## ${title}\n${kept}`, '')
}

/** The paragraph of `markdown` that contains `words`, on one line. */
function paragraphWith(markdown: string, words: string): string {
  const found = markdown.split(/\n\s*\n/).find((paragraph) => paragraph.includes(words))
  expect(found, `a paragraph with "${words}"`).toBeDefined()
  return (found ?? '').replace(/\s+/g, ' ')
}

/** The number a text shows as `1,500` or `54`. */
const numberOf = (text: string | undefined): number => Number((text ?? '').replace(/,/g, ''))

/** A temporary folder, removed after the file's tests. */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'readme-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('one version for every face', () => {
  const changelog = read('CHANGELOG.md')

  it('package.json, package-lock.json, the User-Agent and --version (src/core/version.ts) agree', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      version: string
      packages: Record<string, { version?: string }>
    }
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/)
    expect(lock.version).toBe(VERSION)
    expect(lock.packages['']?.version).toBe(VERSION)
    expect(SENT_VERSION).toBe(VERSION)
  })

  it("is CHANGELOG.md's top release, under [Unreleased] and its entries only, with its links", () => {
    const headings = [...changelog.matchAll(/^## (.*)$/gm)].map((match) => match[1])
    expect(headings[0]).toBe('[Unreleased]')
    expect(headings[1]).toMatch(
      new RegExp(`^\\[${VERSION.replace(/\./g, '\\.')}\\] [—-] \\d{4}-\\d{2}-\\d{2}$`)
    )
    // What is not released yet is listed under [Unreleased] in sections of entries, never under a version.
    const unreleased = section(changelog, '[Unreleased]').join('\n')
    expect(
      unreleased
        .replace(/^(### (Added|Changed|Fixed|Removed|Deprecated|Security)|- .*| {2}.*|)$/gm, '')
        .trim()
    ).toBe('')
    const repo = 'https://github.com/empiricalrun/upload-files'
    expect(changelog).toContain(`\n[Unreleased]: ${repo}/compare/v${VERSION}...HEAD\n`)
    expect(changelog).toMatch(
      new RegExp(`\\n\\[${VERSION}\\]: ${repo}/compare/v[\\d.]+\\.\\.\\.v${VERSION}\\n`)
    )
  })

  it.each(Object.keys(pages))(
    '%s uses the action at its major tag, and names @v1 only in the upgrading note',
    (page) => {
      const text = pages[page] ?? ''
      const shown = page === 'README.md' ? withoutSection(text, 'Upgrading from v1') : text
      expect(shown).not.toMatch(/@v1\b/)
      // The action by its tag or a placeholder for a SHA; the npm package by its major version.
      for (const [, ref = ''] of shown.matchAll(/(?<!@)empiricalrun\/upload-files@([^\s`'")]+)/g))
        expect(ref).toMatch(new RegExp(`^(v${MAJOR}$|<)`))
      for (const [, range = ''] of shown.matchAll(/@empiricalrun\/upload-files@([^\s`'")]+)/g))
        expect(range).toBe(MAJOR)
      // A release named in full (a SHA pin's comment) is this one.
      for (const [release] of shown.matchAll(/\bv\d+\.\d+\.\d+\b(?!\/)/g))
        expect(release).toBe(`v${VERSION}`)
    }
  )

  it('README has the upgrading note, naming both tags', () => {
    const note = section(readme, 'Upgrading from v1').join('\n')
    expect(note).toContain('`empiricalrun/upload-files@v1` to `@v' + MAJOR + '`')
  })
})

describe('the steps a failure names', () => {
  const errors = readFileSync(path.join(root, 'src/core/errors.ts'), 'utf8')
  const union = /^export type Step = (.*)$/m.exec(errors)?.[1] ?? ''
  const steps = [...union.matchAll(/'(\w+)'/g)].map((match) => match[1])

  it.each(['README.md', 'docs/troubleshooting.md'])(
    "%s lists every step of src/core/errors.ts, and read (a file's own bytes)",
    (page) => {
      expect(steps).toContain('verify')
      const sentence = paragraphWith(pages[page] ?? '', 'Every failure names the file and the step')
      const listed = /the step \(([^)]*)\)/.exec(sentence)?.[1] ?? ''
      const names = [...listed.matchAll(/`(\w+)`/g)].map((match) => match[1])
      expect(names.sort()).toEqual([...steps, 'read'].sort())
    }
  )
})

describe("README's 1 MB note, against the files output src/action/outputs.ts writes", () => {
  const note = paragraphWith(readme, '**1 MB per output.**')
  const sha256 = 'ab'.repeat(32)
  const junit: ManifestEntry = {
    path: 'reports/junit-0001.xml',
    name: 'junit-0001.xml',
    sizeBytes: 183_200,
    mimeType: 'application/xml',
    id: 123_456,
    sha256,
    existing: false
  }

  /** The bytes one more entry adds to the `files` output. */
  function perEntry(entry: ManifestEntry): number {
    return filesBytes([entry, entry]) - filesBytes([entry])
  }

  /** The size of the `files` output for these entries, as the action sets it. */
  function filesBytes(files: ManifestEntry[]): number {
    const file = path.join(scratch, `output-${files.length}`)
    writeFileSync(file, '')
    const saved = process.env.GITHUB_OUTPUT
    process.env.GITHUB_OUTPUT = file
    try {
      const totals = { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0, cancelled: 0 }
      setOutputs({ projectId: 1, namePrefix: '', dryRun: false, totals, files }, '/m.json')
    } finally {
      if (saved === undefined) delete process.env.GITHUB_OUTPUT
      else process.env.GITHUB_OUTPUT = saved
    }
    return Buffer.byteLength(parseOutputs(readFileSync(file, 'utf8')).files ?? '')
  }

  /** A signed R2 download URL of `length` characters. */
  function signedUrl(length: number): string {
    const start =
      'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/project-resources/42/'
    const end = '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature='
    return `${start}${'x'.repeat(length - start.length - end.length)}${end}`
  }

  /** How many entries like this one fit in 1 MB. */
  const fit = (entry: ManifestEntry): number => Math.floor(1_000_000 / perEntry(entry))

  it('gives the bytes of an entry beside its name and path', () => {
    const stated = numberOf(/about (\d+) bytes plus its name and path/.exec(note)?.[1])
    const bare = perEntry({ ...junit, name: '', path: '' })
    expect(Math.abs(stated - bare), `${bare} bytes`).toBeLessThanOrEqual(10)
  })

  it('gives how many files fit, without and with download-url', () => {
    const plain = numberOf(/about ([\d,]+) files fit/.exec(note)?.[1])
    expect(Math.abs(plain / fit(junit) - 1), `${fit(junit)} fit`).toBeLessThan(0.15)
    const [, shortest, longest] = /some (\d+) to (\d+) bytes/.exec(note) ?? []
    const [, most, least] = /about ([\d,]+) to ([\d,]+) files fit/.exec(note) ?? []
    const withLongest = fit({ ...junit, url: signedUrl(numberOf(longest)) })
    const withShortest = fit({ ...junit, url: signedUrl(numberOf(shortest)) })
    expect(Math.abs(numberOf(most) / withLongest - 1), `${withLongest} fit`).toBeLessThan(0.15)
    expect(Math.abs(numberOf(least) / withShortest - 1), `${withShortest} fit`).toBeLessThan(0.15)
  })
})

describe("README's check of a checksums file whose names carry name-prefix", () => {
  const block = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
    .map((match) => match[1] ?? '')
    .find((text) => text.includes('sha256sum -c'))
  const command = (block ?? '').trim()
  const prefix = /sed 's\| {2}([^|]+)\| {2}\|'/.exec(command)?.[1] ?? ''

  it('passes in the folder the names are relative to, where sha256sum -c alone finds nothing', () => {
    expect(prefix).not.toBe('')
    const dir = path.join(scratch, 'release')
    mkdirSync(path.join(dir, 'sub'), { recursive: true })
    const entries = ['a.apk', 'sub/b.apk'].map((name) => {
      writeFileSync(path.join(dir, name), `bytes of ${name}`)
      const sha256 = createHash('sha256').update(`bytes of ${name}`).digest('hex')
      return { name: `${prefix}${name}`, sha256 }
    })
    const checksums = path.join(scratch, 'checksums.txt')
    writeFileSync(checksums, formatChecksums(entries))
    const env = { ...process.env, CHECKSUMS: checksums }
    const stripped = spawnSync('sh', ['-c', command], { cwd: dir, env, encoding: 'utf8' })
    expect(stripped).toMatchObject({ status: 0, stdout: 'a.apk: OK\nsub/b.apk: OK\n' })
    const plain = spawnSync('sha256sum', ['-c', checksums], { cwd: dir, encoding: 'utf8' })
    expect(plain.status).toBe(1)
    expect(plain.stdout).toContain(`${prefix}a.apk: FAILED open or read`)
  })
})

describe('the concurrency the API sees', () => {
  it('is up to twice concurrency in README and docs/limits.md, the uploads to storage at most concurrency', () => {
    const limits = paragraphWith(pages['docs/limits.md'] ?? '', '**Concurrency from 1 to 64**')
    expect(limits).toContain('at most that many uploads (PUTs) to storage at once')
    expect(limits).toContain('the API may see up to twice that many requests at once')
    const row = readme.split('\n').find((line) => line.startsWith('| `concurrency`')) ?? ''
    expect(row).toContain('the API may see up to twice this many requests at once')
    // The client's connections per origin, which the pages' "twice" rests on.
    const run = readFileSync(path.join(root, 'src/core/run.ts'), 'utf8')
    expect(run).toContain('connections: 2 * settings.concurrency')
    // And the workers' own bound on the API calls in flight.
    const workers = readFileSync(path.join(root, 'src/core/transfer/workers.ts'), 'utf8')
    expect(workers).toContain('boundedApi(ctx.client, 2 * concurrency)')
  })
})

describe('bench/README.md', () => {
  const bench = pages['bench/README.md'] ?? ''

  it("gives Node's own start-up and the rest as the table does", () => {
    const row = bench.split('\n').find((line) => line.includes('start-up: process start')) ?? ''
    const [, total, node] = /\| (\d+) ms .*`node -e ''`: (\d+) ms/.exec(row) ?? []
    const text = paragraphWith(bench, '**Start-up.**')
    const [, alone, rest] = /Node alone takes about (\d+) ms .* the other (\d+) ms/.exec(text) ?? []
    expect(numberOf(alone)).toBe(numberOf(node))
    expect(numberOf(rest)).toBe(numberOf(total) - numberOf(node))
    expect(numberOf(node)).toBeGreaterThan(0)
  })
})

describe("CONTRIBUTING's emulator section", () => {
  it('describes every flag of the emulator', () => {
    const cli = readFileSync(path.join(root, 'emulator/cli.ts'), 'utf8')
    const usage = /const USAGE = `([^`]*)`/.exec(cli)?.[1] ?? ''
    const flags = new Set(usage.match(/--[a-z-]+/g))
    flags.delete('--help')
    expect(flags).toContain('--discard-bytes')
    const contributing = read('CONTRIBUTING.md')
    const start = contributing.indexOf('\n## The emulator\n')
    const emulator = contributing.slice(start, contributing.indexOf('\n## ', start + 1))
    for (const flag of flags) expect(emulator, flag).toMatch(new RegExp(`${flag}(?![a-z-])`))
  })
})
