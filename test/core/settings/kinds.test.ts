// The kinds of setting, on their own: what each allows, how each reads a program's value, what a
// problem with a value is called.
import { describe, expect, it } from 'vitest'
import { Problem } from '../../../src/core/errors.ts'
import {
  boolean,
  choice,
  integer,
  parseKey,
  patterns,
  text
} from '../../../src/core/settings/kinds.ts'

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('Problem', () => {
  it('names itself, so that a stray one reads as what it is', () => {
    const problem = thrown(() => parseKey('has a space'))
    expect(problem).toBeInstanceOf(Problem)
    expect(String(problem)).toBe(
      'Problem: the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)'
    )
  })
})

describe('what each kind allows, for an error', () => {
  it.each([
    ['a yes-or-no setting', boolean().allowed('action'), 'true or false'],
    ['a text setting', text().allowed('library'), 'a value'],
    ['a choice', choice(['error', 'warn', 'ignore']).allowed('cli'), 'error, warn or ignore']
  ])('%s: %s', (_label, allowed, words) => {
    expect(allowed).toBe(words)
  })
})

describe('an integer', () => {
  it.each(['action', 'cli', 'library'] as const)(
    'from 1 with no bound worth reading is a whole number such as 42, in the %s too',
    (face) => {
      const projectId = integer(1, Number.MAX_SAFE_INTEGER)
      expect(projectId.allowed(face)).toBe('a whole number from 1, such as 42')
      expect(() => projectId.fromText('0', face)).toThrow(
        "'0' is not allowed: give a whole number from 1, such as 42"
      )
      expect(projectId.range).toBeUndefined()
      const concurrency = integer(1, 64)
      expect(concurrency.allowed(face)).toBe('an integer from 1 to 64')
      expect(() => concurrency.fromValue(65, face)).toThrow(
        "'65' is not allowed: give an integer from 1 to 64"
      )
      expect(concurrency.range).toBe('1 to 64')
    }
  )
})

describe("a program's value", () => {
  it('of a choice must be text', () => {
    const problem = thrown(() => choice(['error', 'warn']).fromValue(3, 'library'))
    expect(problem).toBeInstanceOf(Problem)
    expect((problem as Problem).message).toBe('number 3 is not allowed: give error or warn')
  })

  it('of patterns may be absent, a string or an array of strings, and nothing else', () => {
    const kind = patterns()
    expect(kind.fromValue(undefined, 'library')).toBeUndefined()
    expect(kind.fromValue(['a/*.txt', 'b/*.txt'], 'library')?.map((line) => line.text)).toEqual([
      'a/*.txt',
      'b/*.txt'
    ])
    const problem = thrown(() => kind.fromValue(['a/*.txt', 3], 'library'))
    expect(problem).toBeInstanceOf(Problem)
    expect((problem as Problem).message).toBe(
      'object a/*.txt,3 is not allowed: give a string or an array of strings'
    )
  })
})

describe('patterns', () => {
  it('blank are absent; only comments are a problem that says so', () => {
    const kind = patterns()
    expect(kind.fromText(' \n \n', 'action')).toBeUndefined()
    expect(kind.fromValue([], 'library')).toBeUndefined()
    expect(kind.fromValue(['', ' '], 'library')).toBeUndefined()
    const only =
      'holds only comments (lines starting with #): give one or more glob patterns, one per line'
    expect(() => kind.fromText('# a\n\n  # b', 'action')).toThrow(new Problem(only))
    expect(() => kind.fromValue(['', '#a'], 'library')).toThrow(new Problem(only))
    expect(kind.fromText('# a\nb/*', 'cli')?.map((line) => line.text)).toEqual(['b/*'])
    expect(kind.allowed('cli')).toBe('one or more glob patterns, one per line')
  })
})
