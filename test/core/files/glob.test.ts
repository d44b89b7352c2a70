// The glob engine against @actions/glob 0.7.0, fast enough to run for every mutant: the cases of
// test/reference/glob.test.ts under a dozen option sets instead of all 32, with the reference's answers kept
// on disk between runs (the reference never changes; only our engine does). test/reference/glob.test.ts
// stays the full comparison; test/core/files/glob-windows.test.ts compares on Windows paths.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { glob, type GlobOptions } from '../../../src/core/files/glob.ts'
import {
  CASES,
  escapeGlob,
  kept,
  enterTree,
  mapOutcome,
  OPTION_BITS,
  optionsOf,
  ours,
  reference,
  type Outcome,
  type Tree
} from '../../support/glob-tree.ts'

let tree: Tree
/** The reference's answers, by case and option bits. */
let expected: Record<string, Record<number, Outcome>> = {}

/** An outcome with the tree's own paths replaced by `<root>` and `<scratch>`. */
const relative = (outcome: Outcome): Outcome =>
  mapOutcome(outcome, (text) =>
    text.replaceAll(tree.root, '<root>').replaceAll(tree.scratch, '<scratch>')
  )

const oursFor = async (template: string, bits: number): Promise<Outcome> =>
  relative(await ours(tree.fill(template), optionsOf(bits)))

const referenceFor = async (template: string, bits: number): Promise<Outcome> =>
  relative(await reference(tree.fill(template), optionsOf(bits)))

/** The reference's answers for every case and option set. */
async function references(): Promise<Record<string, Record<number, Outcome>>> {
  const answers: Record<string, Record<number, Outcome>> = {}
  for (const [, template] of CASES) {
    answers[template] = {}
    for (const bits of OPTION_BITS) answers[template][bits] = await referenceFor(template, bits)
  }
  return answers
}

beforeAll(async () => {
  tree = await enterTree('core-glob-')
  expected = await kept('core-glob-reference', [CASES, OPTION_BITS], references)
}, 60_000)

afterAll(() => tree.leave())

describe('glob agrees with @actions/glob 0.7.0', () => {
  it.each(CASES)('%s', async (_name, template) => {
    for (const bits of OPTION_BITS) {
      expect(await oursFor(template, bits), JSON.stringify(optionsOf(bits))).toEqual(
        expected[template]?.[bits]
      )
    }
  })
})

describe('glob, as a library', () => {
  const options: GlobOptions = optionsOf(1 + 2 + 8)

  it('writes nothing to stdout or stderr and reports debug lines through onDebug', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const lines: string[] = []
    try {
      await glob('links/*\nmissing/**', options)
      await glob('links/*\nmissing/**', { ...options, onDebug: (line) => lines.push(line) })
      expect(stdout).not.toHaveBeenCalled()
      expect(stderr).not.toHaveBeenCalled()
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
    }
    const [links, src] = [path.join(tree.root, 'links'), path.join(tree.root, 'src')]
    expect(lines.slice(0, 7)).toEqual([
      "followSymbolicLinks 'true'",
      "implicitDescendants 'true'",
      "matchDirectories 'false'",
      "omitBrokenSymbolicLinks 'true'",
      "excludeHiddenFiles 'false'",
      `Search path '${links}'`,
      `Search path '${path.join(tree.root, 'missing')}'`
    ])
    // The walk's lines come in readdir order, which the filesystem decides.
    expect(lines.slice(7).sort()).toEqual(
      [
        `Broken symlink '${links}/broken'`,
        `Symlink cycle detected for path '${links}/loop' and realpath '${links}'`,
        `Symlink cycle detected for path '${links}/dir-link/lib/up' and realpath '${src}'`
      ].sort()
    )
  })

  it('rejects with the fs error code on a self-referencing link', async () => {
    await expect(glob(`${escapeGlob(tree.scratch)}/eloop/*`, options)).rejects.toMatchObject({
      code: 'ELOOP'
    })
  })

  it('throws on a broken link unless told to omit it, with the fs error as its cause', async () => {
    await expect(
      glob('links/*', { ...options, omitBrokenSymbolicLinks: false })
    ).rejects.toMatchObject({
      message: expect.stringMatching(/This may indicate a broken symbolic link/),
      cause: { code: 'ENOENT' }
    })
  })

  it('reads no real path unless it follows links, so a drive whose realpath fails still globs', async () => {
    // As on a Windows RAM disk, where fs.realpath fails while stat and readdir work.
    const realpath = vi
      .spyOn(fs, 'realpath')
      .mockRejectedValue(Object.assign(new Error('EISDIR: illegal operation'), { code: 'EISDIR' }))
    try {
      const { files } = await glob('src/**', { ...options, followSymbolicLinks: false })
      expect(files.map((file) => path.relative(tree.root, file)).sort()).toEqual([
        'src/.env',
        'src/index.ts',
        'src/lib/.cache/c.ts',
        'src/lib/deep/file.test.ts',
        'src/lib/deep/file.ts',
        'src/lib/up',
        'src/util.ts'
      ])
      expect(realpath).not.toHaveBeenCalled()
      await expect(glob('src/**', options)).rejects.toThrow('EISDIR: illegal operation')
    } finally {
      realpath.mockRestore()
    }
  })

  it('roots a relative pattern as @actions/glob does when the cwd is the filesystem root', async () => {
    const pattern = `${escapeGlob(path.relative('/', tree.root))}/src/*.ts`
    process.chdir('/')
    try {
      const expected = await referenceFor(pattern, 1 + 2 + 8)
      expect(expected).toMatchObject({ files: [`<root>/src/index.ts`, `<root>/src/util.ts`] })
      expect(await oursFor(pattern, 1 + 2 + 8)).toEqual(expected)
    } finally {
      process.chdir(tree.root)
    }
  })

  it('refuses a HOME that is not an absolute path when a pattern starts with ~', async () => {
    vi.stubEnv('HOME', 'relative/home')
    try {
      await expect(glob('~/docs/*.md', options)).rejects.toThrow(
        "Expected HOME directory to be a rooted path. Actual 'relative/home'"
      )
    } finally {
      vi.stubEnv('HOME', tree.root)
    }
  })
})
