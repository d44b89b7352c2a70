// Packs an orb's source directory into one orb YAML, as `circleci orb pack <dir>` does (the rules of
// the CLI's internal/pack/pack.go): YAML files at the root merge at the top level; each root folder
// becomes a key (commands, jobs, executors, examples) and each YAML file below it an entry named
// after the file; a folder with no YAML (scripts/) adds nothing; `<< include(path) >>` in the jobs,
// commands and executors is replaced by that file's text, relative to the root, with `<<` escaped as
// `\<<` so that CircleCI does not read the text as parameters. Map keys come out sorted, as the CLI
// writes them. `node tools/integrations/orb-pack.ts <dir>` prints the orb.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse, stringify } from 'yaml'

type Yaml = Record<string, unknown>

const INCLUDE = /<<\s*include\(([-\w/.]+)\)?\s*>>/g

/** Whether a file name is one the packer reads. */
const isYaml = (name: string): boolean => /.+\.ya?ml$/.test(name) && !name.startsWith('.')

/** One file's root map; an empty file is an empty map. */
function readMap(file: string): Yaml {
  const value: unknown = parse(readFileSync(file, 'utf8'))
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${file} must have a YAML map at its root`)
  }
  return value as Yaml
}

/** The entries of a root folder: every YAML file below it, keyed by its name without extension. */
function section(folder: string): Yaml {
  const entries: Yaml = {}
  for (const name of readdirSync(folder).sort()) {
    if (name.startsWith('.')) continue
    const full = path.join(folder, name)
    if (statSync(full).isDirectory()) {
      for (const [key, value] of Object.entries(section(full))) {
        if (key in entries) throw new Error(`two files in ${folder} define ${key}`)
        entries[key] = value
      }
    } else if (isYaml(name)) {
      const key = name.replace(/\.ya?ml$/, '')
      if (key in entries) throw new Error(`two files in ${folder} define ${key}`)
      entries[key] = readMap(full)
    }
  }
  return entries
}

/** A value with every include directive in its strings replaced by the file's escaped text. */
function resolveIncludes(value: unknown, root: string): unknown {
  if (typeof value === 'string') {
    return value.replace(INCLUDE, (_directive, file: string) =>
      readFileSync(path.join(root, file), 'utf8').replaceAll('<<', '\\<<')
    )
  }
  if (Array.isArray(value)) return value.map((item) => resolveIncludes(item, root))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveIncludes(item, root)])
    )
  }
  return value
}

/** A value with the keys of every map sorted, as the CLI's Go maps come out. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sorted((value as Yaml)[key])])
    )
  }
  return value
}

/** The packed orb, as a value. */
export function packOrb(root: string): Yaml {
  let orb: Yaml = {}
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith('.')) continue
    const full = path.join(root, name)
    if (statSync(full).isDirectory()) {
      const entries = section(full)
      if (Object.keys(entries).length > 0) orb[name] = { ...(orb[name] as Yaml), ...entries }
    } else if (isYaml(name)) {
      orb = { ...orb, ...readMap(full) }
    }
  }
  for (const key of ['jobs', 'commands', 'executors']) {
    if (key in orb) orb[key] = resolveIncludes(orb[key], root)
  }
  return sorted(orb) as Yaml
}

/** The packed orb, as the YAML text `circleci orb pack` prints. */
export function packOrbText(root: string): string {
  return stringify(packOrb(root), { indent: 4, lineWidth: 0 })
}

if (import.meta.filename === process.argv[1]) {
  const root = process.argv[2]
  if (!root) {
    console.error('usage: node tools/integrations/orb-pack.ts <orb source directory>')
    process.exit(2)
  }
  process.stdout.write(packOrbText(root))
}
