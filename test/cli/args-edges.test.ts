// The command line's edges: what a user sees for a value in the wrong place, a flag after --,
// an empty argument, and how near a mistyped flag must be for a suggestion.
import { describe, expect, it } from 'vitest'
import { editDistance, nearest, parseCommand, UsageError } from '../../src/cli/args.ts'

describe('parseCommand, the edges', () => {
  it('sets no pattern list with --help, and none of the settings', () => {
    expect(parseCommand(['--help']).settings).toStrictEqual({})
    expect(parseCommand(['--version']).settings).toStrictEqual({})
  })

  it.each<[string[], string]>([
    [['--checksums', '', 'a'], '--checksums: needs a path, such as --checksums checksums.txt'],
    [['--manifest', '', 'a'], '--manifest: needs a path, such as --manifest manifest.json'],
    [
      ['--dry-run', 'false', 'a'],
      '--dry-run: takes no separate value: write --dry-run=false (or ./false for a file of that name)'
    ],
    [
      ['--skip-existing', 'TRUE', 'a'],
      '--skip-existing: takes no separate value: write --skip-existing=true (or ./TRUE for a file of that name)'
    ],
    [['--', '--frobnicate'], ''],
    [['a', '--dryrun'], '--dryrun: unknown option; did you mean --dry-run?'],
    [['--description', '', '--dryrun', 'a'], '--dryrun: unknown option; did you mean --dry-run?'],
    [
      ['--project-id', '--json', 'a'],
      "Option '--project-id' argument is ambiguous.\nDid you forget to specify the option argument for '--project-id'?\nTo specify an option argument starting with a dash use '--project-id=-XYZ'."
    ]
  ])('%j: refuses with exactly this message (empty: takes it)', (argv, message) => {
    if (message === '') {
      expect(parseCommand(argv).settings.files).toEqual(argv.slice(1))
      return
    }
    let thrown: unknown
    try {
      parseCommand(argv)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UsageError)
    expect((thrown as Error).message).toBe(message)
  })

  it.each<[string[], string[], Record<string, string>]>([
    [['a', 'true'], ['a', 'true'], {}],
    [['--', 'false'], ['false'], {}],
    [['--description', 'x', 'true'], ['true'], { description: 'x' }],
    [['--project-id', '1', 'false'], ['false'], { projectId: '1' }],
    [['--dry-run', 'falsey'], ['falsey'], { dryRun: 'true' }],
    [['--dry-run', 'untrue'], ['untrue'], { dryRun: 'true' }],
    [['--dry-run=false', 'true'], ['true'], { dryRun: 'false' }],
    [['a--frobnicate'], ['a--frobnicate'], {}],
    [['--', '--frobnicate', '--dryrun'], ['--frobnicate', '--dryrun'], {}]
  ])('%j: takes the patterns %j', (argv, files, settings) => {
    expect(parseCommand(argv).settings).toStrictEqual({ ...settings, files })
  })
})

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['a', 'a', 0],
    ['ab', 'cd', 2],
    ['ab', 'ba', 1],
    ['abc', 'acb', 1],
    ['xab', 'xba', 1],
    ['abx', 'bax', 1],
    ['aab', 'aba', 1],
    ['ba', 'aab', 2],
    ['abc', 'cba', 2],
    ['ca', 'abc', 3],
    ['abcd', 'badc', 2],
    ['abcdef', 'badcfe', 3],
    ['kitten', 'sitting', 3],
    ['dryrun', 'dry-run', 1],
    ['skip-exisitng', 'skip-existing', 1]
  ])('%j to %j: %i edits', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })
})

describe('nearest', () => {
  it('allows one edit in a short word and one per four letters in a long one', () => {
    expect(nearest('jsn', ['json'])).toBe('json')
    expect(nearest('js', ['json'])).toBeUndefined()
    expect(nearest('a', ['b'])).toBe('b')
    expect(nearest('', ['b'])).toBe('b')
    expect(nearest('include-hiden-fils', ['include-hidden-files'])).toBe('include-hidden-files')
    expect(nearest('inclde-hiden-fils', ['include-hidden-files'])).toBe('include-hidden-files')
    expect(nearest('incde-hidn-fils', ['include-hidden-files'])).toBeUndefined()
  })

  it('keeps the first of two names as near', () => {
    expect(nearest('ab', ['ac', 'ad'])).toBe('ac')
    expect(nearest('ab', ['ad', 'ac'])).toBe('ad')
    expect(nearest('ab', ['xy', 'ac'])).toBe('ac')
  })
})
