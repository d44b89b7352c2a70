// src/core/glob.ts against @actions/glob 0.7.0, both run live on the same tree: every case under
// every combination of the five options, and random patterns built from the tree.
// test/core-glob.test.ts holds the engine's own tests; test/core-glob-windows.test.ts compares the
// two on Windows paths.
import { create } from '@actions/glob'
import fc from 'fast-check'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { glob, type GlobOptions } from '../src/core/glob.ts'
import { CASES, escapeGlob, makeTree, OPTION_SETS, type Tree } from './support/glob-tree.ts'

/** What one glob produced: its result and debug lines, or what it threw. */
type Outcome =
  | { files: string[]; searchPaths: string[]; debug: string[] }
  | { error: string; code: unknown; debug: string[] }

let tree: Tree
let cwdBefore = ''

beforeAll(async () => {
  cwdBefore = process.cwd()
  tree = await makeTree('glob-')
  // Relative patterns start at the cwd and `~` at HOME: both are the tree, until afterAll.
  process.chdir(tree.root)
  vi.stubEnv('HOME', tree.root)
})

afterAll(async () => {
  process.chdir(cwdBefore)
  vi.unstubAllEnvs()
  await fs.rm(tree.scratch, { recursive: true, force: true })
})

/** What is compared of a thrown error: the class name, message and fs code. */
function failure(error: unknown, debug: string[]): Outcome {
  const { name, message, code } = error as NodeJS.ErrnoException
  return { error: `${name}: ${message}`, code, debug }
}

/** @actions/glob's result, with its `::debug::` output captured instead of printed. */
async function reference(patterns: string, options: GlobOptions): Promise<Outcome> {
  let output = ''
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk)
      return true
    })
  try {
    const globber = await create(patterns, options)
    const files = await globber.glob()
    return { files, searchPaths: globber.getSearchPaths(), debug: debugLines(output) }
  } catch (error) {
    return failure(error, debugLines(output))
  } finally {
    write.mockRestore()
  }
}

/**
 * The messages of `::debug::` commands, without the options block @actions/glob repeats when
 * glob() starts (our engine logs the options once).
 */
function debugLines(output: string): string[] {
  const lines = output
    .split(os.EOL)
    .filter(Boolean)
    .map((line) => line.replace(/^::debug::/, '').replace(/%0D|%0A|%25/g, decodeURIComponent))
  const repeated = lines.slice(5, 10).join('\n') === lines.slice(0, 5).join('\n')
  return repeated ? [...lines.slice(0, 5), ...lines.slice(10)] : lines
}

/** Our engine's result, with the lines it reported through onDebug. */
async function ours(patterns: string, options: GlobOptions): Promise<Outcome> {
  const debug: string[] = []
  try {
    return { ...(await glob(patterns, { ...options, onDebug: (line) => debug.push(line) })), debug }
  } catch (error) {
    return failure(error, debug)
  }
}

describe('glob, differentially against @actions/glob 0.7.0', () => {
  it.each(CASES)('%s', async (_name, template) => {
    const patterns = tree.fill(template)
    for (const options of OPTION_SETS) {
      const expected = await reference(patterns, options)
      expect(await ours(patterns, options), JSON.stringify(options)).toEqual(expected)
    }
  })

  it('runs on a tree that has what the cases need: links, cycles, and errors', async () => {
    const options = OPTION_SETS[31]!
    const all = await reference('**', options)
    expect(all).toMatchObject({
      files: expect.arrayContaining([path.join(tree.root, 'links/dir-link/index.ts')])
    })
    expect(all).not.toMatchObject({
      files: expect.arrayContaining([path.join(tree.root, 'links/loop/b.js')])
    })
    expect(
      await reference('links/*', { ...options, omitBrokenSymbolicLinks: false })
    ).toMatchObject({
      error: expect.stringContaining('broken symbolic link')
    })
    expect(await reference(tree.fill('<scratch>/eloop/*'), options)).toMatchObject({
      code: 'ELOOP'
    })
  })

  it('agrees on random patterns built from the tree', async () => {
    const piece = fc.constantFrom(
      ...['src', 'lib', 'deep', 'docs', 'api', 'odd', 'links', 'dir-link', 'loop', 'up', 'empty'],
      ...['.hdir', 'a.txt', 'file.ts', '[[]brackets].txt', '#hash.txt', '!bang.txt', 'missing'],
      ...['*', '**', '*.ts', '*.md', '?', '[ab]*', 'f*', '.*', '*e*', '[!.]*', '**/']
    )
    const prefix = fc.constantFrom(
      '',
      '',
      '',
      '!',
      '!!',
      '#',
      './',
      '~/',
      `${escapeGlob(tree.root)}/`
    )
    const line = fc
      .tuple(prefix, fc.array(piece, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '/'))
      .map(([start, pieces, end]) => start + pieces.join('/') + end)
    const patterns = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'))
    const options = fc.constantFrom(...OPTION_SETS)
    await fc.assert(
      fc.asyncProperty(patterns, options, async (p, o) => {
        expect(await ours(p, o)).toEqual(await reference(p, o))
      }),
      { seed: 20_250_101, numRuns: 300 }
    )
  })
})
