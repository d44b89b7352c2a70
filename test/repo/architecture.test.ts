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
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? ''
  )
  return specifiers.map((specifier) =>
    specifier.startsWith('.') ? path.posix.join(path.posix.dirname(module), specifier) : specifier
  )
}

const areaOf = (module: string): string => module.split('/')[0] ?? ''

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
    expect(inProcess).toContain('core/transfer/upload')
  })
})
