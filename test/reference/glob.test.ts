// src/core/files/glob.ts against @actions/glob 0.7.0, both run live on the same tree: every case under
// every combination of the five options, and random patterns built from the tree.
// test/core/files/glob.test.ts holds the engine's own tests; test/core/files/glob-windows.test.ts compares the
// two on Windows paths.
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CASES,
  escapeGlob,
  enterTree,
  OPTION_SETS,
  ours,
  reference,
  type Tree
} from '../support/glob-tree.ts'

let tree: Tree

beforeAll(async () => {
  tree = await enterTree('glob-')
})

afterAll(() => tree.leave())

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
