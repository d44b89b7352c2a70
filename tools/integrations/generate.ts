// Writes what the CI integrations take from elsewhere, so that each has one source:
// - integrations/shared/upload.sh, the one core, into each CI's files (GitLab's template embeds it,
//   the Bitrise step and the CircleCI orb ship a copy, since each is published on its own);
// - package.json's version, on every line marked `# written by tools/integrations/generate.ts` and
//   in every full version of the package, orb, component or step named in integrations/ and docs/ci/.
// `node tools/integrations/generate.ts --check` writes nothing and exits 1 naming what differs.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The repository's root. */
export const ROOT = path.resolve(import.meta.dirname, '../..')

/** The core every wrapper runs. */
export const CORE = 'integrations/shared/upload.sh'

/** The copies of the core that ship with a wrapper, byte for byte. */
export const CORE_COPIES = [
  'integrations/bitrise/upload.sh',
  'integrations/circleci/src/scripts/upload.sh'
]

/** GitLab's template, which embeds the core between these two lines. */
export const GITLAB_TEMPLATE = 'integrations/gitlab/templates/upload.yml'
const BEGIN = `# begin: ${CORE}`
const END = `# end: ${CORE}`

/** Marks a line whose version is package.json's. */
export const VERSION_MARK = '# written by tools/integrations/generate.ts'

const SEMVER = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?`
/** A full version of the npm package, the orb, the GitLab component or the Bitrise step. */
const PINNED = new RegExp(
  String.raw`((?:@|\b)empiricalrun/upload-files(?:/upload)?@|\bempiricalrun-upload-files@)(${SEMVER})(?![\w.-])`,
  'g'
)

/** package.json's version: the release every integration pins. */
export function packageVersion(): string {
  const json = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string
  }
  return json.version
}

/** A repository file's text. */
function read(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8')
}

/** Every file under a folder of the repository, as repository paths, sorted. */
function filesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => path.posix.join(folder, file.split(path.sep).join('/')))
    .filter((file) => statSync(path.join(ROOT, file)).isFile())
    .sort()
}

/** The files that carry a version: every text of integrations/ and the pages of docs/ci/. */
function versionedFiles(): string[] {
  return [
    ...filesUnder('integrations').filter((file) => /\.(ya?ml|md|sh)$/.test(file)),
    ...filesUnder('docs/ci').filter((file) => file.endsWith('.md'))
  ]
}

/** `text` with each marked line's version, and each pinned full version, set to `version`. */
export function withVersion(text: string, version: string): string {
  return text
    .split('\n')
    .map((line) => (line.endsWith(VERSION_MARK) ? line.replace(new RegExp(SEMVER), version) : line))
    .join('\n')
    .replace(PINNED, (_match, prefix: string) => `${prefix}${version}`)
}

/** The template with the core indented under its begin line, in place of what stood there. */
export function withCore(template: string, core: string): string {
  const lines = template.split('\n')
  const begin = lines.findIndex((line) => line.trim() === BEGIN)
  const end = lines.findIndex((line) => line.trim() === END)
  if (begin < 0 || end < begin)
    throw new Error(`${GITLAB_TEMPLATE} lacks the lines '${BEGIN}' and '${END}'`)
  const indent = /^\s*/.exec(lines[begin]!)![0]
  const body = core
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? indent + line : ''))
  return [...lines.slice(0, begin + 1), ...body, ...lines.slice(end)].join('\n')
}

/** What each generated file should hold, by repository path. */
export function expected(version = packageVersion()): Map<string, string> {
  const core = withVersion(read(CORE), version)
  const files = new Map<string, string>()
  for (const file of versionedFiles()) files.set(file, withVersion(read(file), version))
  for (const copy of CORE_COPIES) files.set(copy, core)
  files.set(GITLAB_TEMPLATE, withCore(files.get(GITLAB_TEMPLATE) ?? read(GITLAB_TEMPLATE), core))
  return files
}

/** The repository paths whose text differs from what they should hold. */
export function stale(files = expected()): string[] {
  return [...files]
    .filter(([file, text]) => {
      try {
        return read(file) !== text
      } catch {
        return true
      }
    })
    .map(([file]) => file)
}

function main(): void {
  const files = expected()
  const differing = stale(files)
  if (process.argv.includes('--check')) {
    if (differing.length === 0)
      return console.log(`The integrations are current (version ${packageVersion()}).`)
    console.error(`Not what tools/integrations/generate.ts writes: ${differing.join(', ')}`)
    console.error(
      'Run: node tools/integrations/generate.ts (or npm run generate --prefix tools/integrations)'
    )
    process.exit(1)
  }
  for (const file of differing) writeFileSync(path.join(ROOT, file), files.get(file)!)
  console.log(differing.length ? `Wrote ${differing.join(', ')}` : 'Nothing to write.')
}

if (import.meta.filename === process.argv[1]) main()
