import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// One core that knows nothing of the runner, and three faces over it that know nothing of each other.
const SRC = path.join(import.meta.dirname, '..', '..', 'src')
const FACES = ['action', 'cli', 'lib']

/** Every module under src/, by its path relative to src/. */
function modules(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(path.sep).join('/'))
}

/** What a module imports: relative ones resolved to paths under src/, packages by name. */
function importsOf(module: string): string[] {
  const text = readFileSync(path.join(SRC, module), 'utf8')
  const specifiers = [...text.matchAll(/^(?:import|export)\s(?:[^'"]*?from\s+)?'([^']+)'/gm)].map(
    (match) => match[1] ?? ''
  )
  return specifiers.map((specifier) =>
    specifier.startsWith('.') ? path.posix.join(path.posix.dirname(module), specifier) : specifier
  )
}

const areaOf = (module: string): string => module.split('/')[0] ?? ''

/**
 * The core's stage folders in import order, lowest first: a module in one may import the folders
 * before it and the shared modules at the core's root, nothing after it. The root's modules import
 * no stage folder, except run.ts, the top, which nothing in the core imports.
 */
const STAGES = ['http', 'settings', 'files', 'transfer', 'results']

/** Each stage's main module, whose top comment says what the stage owns and what it may import. */
const MAIN: Readonly<Record<string, string>> = {
  core: 'core/run.ts',
  http: 'core/http/client.ts',
  settings: 'core/settings/settings.ts',
  files: 'core/files/files.ts',
  transfer: 'core/transfer/workers.ts',
  results: 'core/results/manifest.ts'
}

/** The stage folder of a module of the core (`core` for the root's), or undefined outside it. */
function stageOf(module: string): string | undefined {
  const parts = module.split('/')
  if (parts[0] !== 'core') return undefined
  return parts.length === 2 ? 'core' : parts[1]
}

/** Each import that breaks the order of the core's stages, as `module → import`. */
function outOfOrder(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const broken: string[] = []
  for (const [module, imports] of graph) {
    const from = stageOf(module)
    if (from === undefined || module === 'core/run.ts') continue
    for (const name of imports) {
      const to = stageOf(name)
      if (to === undefined || to === from) continue
      const allowed =
        to === 'core' ? name !== 'core/run.ts' : STAGES.indexOf(to) < STAGES.indexOf(from)
      if (!allowed) broken.push(`${module} → ${name}`)
    }
  }
  return broken
}

describe('the layout of src/', () => {
  const graph = new Map(modules().map((module) => [module, importsOf(module)]))

  it('has a core and the three faces, and nothing else', () => {
    expect(new Set([...graph.keys()].map(areaOf))).toEqual(new Set(['core', ...FACES]))
  })

  it('keeps the core free of @actions/* and of every face', () => {
    for (const [module, imports] of graph) {
      if (areaOf(module) !== 'core') continue
      expect(
        imports.filter((name) => name.startsWith('@actions/')),
        module
      ).toEqual([])
      expect(
        imports.filter((name) => FACES.includes(areaOf(name))),
        module
      ).toEqual([])
    }
  })

  it('lets no face import another', () => {
    for (const [module, imports] of graph) {
      const face = areaOf(module)
      if (!FACES.includes(face)) continue
      const others = imports.filter((name) => FACES.includes(areaOf(name)) && areaOf(name) !== face)
      expect(others, module).toEqual([])
    }
  })

  it('has no import cycle', () => {
    const cycles: string[] = []
    const visit = (module: string, trail: string[]): void => {
      if (trail.includes(module)) {
        cycles.push([...trail.slice(trail.indexOf(module)), module].join(' → '))
        return
      }
      for (const next of graph.get(module) ?? [])
        if (graph.has(next)) visit(next, [...trail, module])
    }
    for (const module of graph.keys()) visit(module, [])
    expect(cycles).toEqual([])
  })

  it("has the core's stage folders, and nothing deeper", () => {
    const core = [...graph.keys()].filter((module) => areaOf(module) === 'core')
    expect(new Set(core.map(stageOf))).toEqual(new Set(['core', ...STAGES]))
    expect(core.filter((module) => module.split('/').length > 3)).toEqual([])
  })

  it("keeps the order of the core's stages: each imports only the stages below it", () => {
    expect(outOfOrder(graph)).toEqual([])
  })

  it('finds an import against the order, whichever way it goes', () => {
    // One module with one import, as the check reads a graph.
    const against = (module: string, name: string): string[] =>
      outOfOrder(new Map([[module, [name]]]))
    expect(against('core/settings/kinds.ts', 'core/files/files.ts')).toEqual([
      'core/settings/kinds.ts → core/files/files.ts'
    ])
    expect(against('core/http/client.ts', 'core/settings/settings.ts')).toEqual([
      'core/http/client.ts → core/settings/settings.ts'
    ])
    expect(against('core/errors.ts', 'core/http/retry.ts')).toEqual([
      'core/errors.ts → core/http/retry.ts'
    ])
    expect(against('core/results/report.ts', 'core/run.ts')).toEqual([
      'core/results/report.ts → core/run.ts'
    ])
    expect(against('core/results/report.ts', 'core/http/retry.ts')).toEqual([])
    expect(against('core/files/glob.ts', 'core/pool.ts')).toEqual([])
  })

  it('opens each stage with a comment in its main module: what it owns, what it may import', () => {
    for (const [stage, module] of Object.entries(MAIN)) {
      const text = readFileSync(path.join(SRC, module), 'utf8')
      // The `//` lines it starts with, as one line of text.
      const lines = /^(?:\/\/.*\n)+/.exec(text)?.[0] ?? ''
      const comment = lines.replace(/^\/\/ ?/gm, '').replace(/\s+/g, ' ')
      expect(comment, module).toMatch(new RegExp(`^Stage ${stage}/: owns `))
      const mayImport = /; may import (.*)$/.exec(comment)?.[1] ?? ''
      expect(mayImport, module).not.toBe('')
      // The folders it names are the stages below it, as the order above has them.
      const named = [...mayImport.matchAll(/\b([a-z]+)\/(?=[\s,).;]|$)/g)].map((match) => match[1])
      const below = stage === 'core' ? [] : STAGES.slice(0, STAGES.indexOf(stage))
      expect(new Set(named), module).toEqual(new Set(below))
    }
  })

  it('keeps each folder of src/ to at most 10 modules', () => {
    const folders = new Map<string, number>()
    for (const module of graph.keys()) {
      const folder = path.posix.dirname(module)
      folders.set(folder, (folders.get(folder) ?? 0) + 1)
    }
    expect([...folders].filter(([, count]) => count > 10)).toEqual([])
  })

  it('keeps the bin (cli/index.ts) light: what it imports reaches no package, no main.ts, no upload', () => {
    const reached = new Set<string>()
    const visit = (module: string): void => {
      for (const next of graph.get(module) ?? []) {
        if (reached.has(next)) continue
        reached.add(next)
        visit(next)
      }
    }
    visit('cli/index.ts')
    expect(reached).toContain('core/engines.ts')
    const packages = [...reached].filter((name) => !graph.has(name) && !name.startsWith('node:'))
    expect(packages).toEqual([])
    expect(
      [...reached].filter((name) => /^(cli\/(main|args|run)|core\/(upload|transfer\/))/.test(name))
    ).toEqual([])
  })

  it('reads imports as the checks above assume', () => {
    expect(graph.get('action/main.ts')).toContain('@actions/core')
    expect(graph.get('action/main.ts')).toContain('core/run.ts')
    expect(graph.get('cli/run.ts')).toContain('cli/main.ts')
    // An import for its effect alone, which the library's entry makes first.
    expect(graph.get('lib/index.ts')).toContain('lib/engines.ts')
  })
})

describe('the layout of test/', () => {
  const TEST = path.join(import.meta.dirname, '..')
  const sources = new Set(modules().map((module) => module.replace(/\.ts$/, '')))
  const inProcess = ['core', ...FACES].flatMap((area) =>
    readdirSync(path.join(TEST, area), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map(
        (file) =>
          `${area}/${file
            .split(path.sep)
            .join('/')
            .replace(/\.test\.ts$/, '')}`
      )
  )

  it('names each in-process test file after the module of src/ it tests', () => {
    // `glob-windows` tests src/core/files/glob.ts on a simulated Windows: a module's name, then a facet.
    const strays = inProcess.filter(
      (name) => !sources.has(name) && !sources.has(name.replace(/-[^-/]+$/, ''))
    )
    expect(strays).toEqual([])
  })

  it('has the in-process folders the mutation run takes', () => {
    expect(inProcess.length).toBeGreaterThan(30)
    expect(inProcess).toContain('core/transfer/journey')
  })
})
