// How near a mistyped name must be for a suggestion: the CLI's flags, the library's options.
import { describe, expect, it } from 'vitest'
import { editDistance, nearest } from '../../../src/core/settings/suggest.ts'

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
