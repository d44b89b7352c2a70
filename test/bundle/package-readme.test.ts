// The pages as npm delivers them: the README that the registry shows and that node_modules holds,
// and the pages it links to. Every relative link of a packed page must reach a file of the package
// (`npm pack --dry-run` lists them); a page of the repository that is not packed is linked by its
// GitHub URL instead.
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/bundle.ts'
import { ROOT } from '../support/cli.ts'

const run = promisify(execFile)

/** The paths `npm pack` would put in the tarball, relative to the package's root. */
let packed: string[] = []

beforeAll(async () => {
  // npm test sets npm_config_* variables, which would apply to this npm too.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))
  )
  const cache = path.join(await tempDir('package-readme-'), 'cache')
  const args = ['pack', '--dry-run', '--json', '--ignore-scripts', '--cache', cache]
  const { stdout } = await run('npm', [...args, '--loglevel=error'], { cwd: ROOT, env })
  const [info] = JSON.parse(stdout) as { files: { path: string }[] }[]
  packed = (info?.files ?? []).map((file) => file.path).sort()
}, 60_000)

/** The relative targets of a markdown text's links, without their anchors. */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '')
  return targets
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => target.split('#')[0] ?? '')
}

describe('the pages in the npm package', () => {
  it('are README.md, CHANGELOG.md and every page under docs/', async () => {
    expect(packed).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'LICENSE']))
    const docs = (await readdir(path.join(ROOT, 'docs'), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) =>
        path.posix.join(
          'docs',
          path
            .relative(path.join(ROOT, 'docs'), path.join(entry.parentPath, entry.name))
            .split(path.sep)
            .join('/')
        )
      )
    expect(docs).toContain('docs/cli.md')
    expect(packed.filter((file) => file.startsWith('docs/'))).toEqual(docs.sort())
  })

  it('link only to files of the package, or to absolute URLs', async () => {
    const pages = packed.filter((file) => file.endsWith('.md'))
    let links = 0
    for (const page of pages) {
      const text = await readFile(path.join(ROOT, page), 'utf8')
      for (const target of relativeLinks(text)) {
        links++
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), target))
        expect(packed, `${page} links to ${target}`).toContain(resolved)
      }
    }
    // README alone links to each page under docs/ and to LICENSE.
    expect(links).toBeGreaterThan(20)
  })
})
