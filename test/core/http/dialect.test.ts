// The table of the vendor's two APIs: where each is served, its answers' keys, how it learns the
// project, and which one a collection URL belongs to.
import { describe, expect, it } from 'vitest'
import { API_NAMES, DIALECTS, dialectAt } from '../../../src/core/http/dialect.ts'

describe('the dialects', () => {
  it('are files (the default, first) and resources, each as its API serves it', () => {
    expect(API_NAMES).toEqual(['files', 'resources'])
    expect(DIALECTS).toEqual({
      files: {
        path: '/api/files',
        one: 'file',
        many: 'files',
        projectInRequest: true,
        defaultBaseUrl: 'https://dash.empirical.run'
      },
      resources: {
        path: '/api/resources',
        one: 'resource',
        many: 'resources',
        projectInRequest: false,
        defaultBaseUrl: 'https://api.empirical.run'
      }
    })
  })
})

describe('dialectAt', () => {
  it.each([
    ['https://api.empirical.run/api/resources', 'resources'],
    ['http://127.0.0.1:8787/gw/api/resources', 'resources'],
    ['https://dash.empirical.run/api/files', 'files'],
    ['https://example.com/api/resources/api/files', 'files'],
    // A transport that names no collection of either (a test's): the default's.
    ['memory://transport', 'files']
  ] as const)('%s is %s', (url, api) => {
    expect(dialectAt(url)).toBe(DIALECTS[api])
  })
})
