// The URL policy: a signed URL's signature is masked before anything could print it, and the URL
// is used only over https (or plain http to this machine, as the hosts below count as it).
import { describe, expect, it } from 'vitest'
import { Problem } from '../../../src/core/errors.ts'
import { DIALECTS } from '../../../src/core/http/dialect.ts'
import {
  checkBaseUrl,
  checkSignedUrl,
  checkUploadUrl,
  isLoopback,
  maskSignature
} from '../../../src/core/http/url-policy.ts'
import { httpError } from '../../support/harness.ts'

/** What `mask` was handed, in order. */
function masking(): { masked: string[]; mask: (secret: string) => void } {
  const masked: string[] = []
  return { masked, mask: (secret) => masked.push(secret) }
}

describe('maskSignature', () => {
  it.each([
    ['a SigV4 signature alone', 'https://s.example/k?X-Amz-Date=1&X-Amz-Signature=cafe', ['cafe']],
    [
      'the whole query of another scheme',
      'https://s.example/k?token=s3cr3t&exp=9',
      ['token=s3cr3t&exp=9']
    ],
    [
      'the whole query when the signature is empty',
      'https://s.example/k?X-Amz-Signature=',
      ['X-Amz-Signature=']
    ],
    ['nothing for a URL without a query', 'https://s.example/plain', []],
    ['an unparseable URL whole', 'not a url at all', ['not a url at all']],
    ['nothing for an empty text', '', []]
  ])('masks %s', (_label, raw, expected) => {
    const { masked, mask } = masking()
    maskSignature(raw, mask)
    expect(masked).toEqual(expected)
  })
})

describe('checkSignedUrl', () => {
  const answer = { step: 'get', field: 'url' } as const

  it.each([
    'https://storage.example.com/k?X-Amz-Signature=1',
    'http://127.0.0.1:9000/k',
    'http://localhost/k',
    'http://[::1]:8080/k'
  ])('accepts %s', (raw) => {
    expect(checkSignedUrl(raw, answer).href).toBe(new URL(raw).href)
  })

  it.each([
    ['not a url', 'get failed: HTTP 200: the answer has no valid url'],
    [
      'http://storage.example.com/k',
      'get failed: HTTP 200: the url uses http: to storage.example.com; only https is accepted'
    ],
    [
      'ftp://127.0.0.1/k',
      'get failed: HTTP 200: the url uses ftp: to 127.0.0.1; only https is accepted'
    ]
  ])('refuses %s, naming the step and the field', (raw, message) => {
    const thrown = httpError(() => checkSignedUrl(raw, answer))
    expect(thrown.message).toBe(message)
    expect(thrown.step).toBe('get')
  })
})

describe('checkUploadUrl', () => {
  it('masks the signature before it refuses a URL in clear text, and speaks of create', () => {
    const { masked, mask } = masking()
    expect(() => checkUploadUrl('http://storage.example.com/k?X-Amz-Signature=feed', mask)).toThrow(
      'create failed: HTTP 200: the upload_url uses http: to storage.example.com; only https is accepted'
    )
    expect(masked).toEqual(['feed'])
  })

  it('masks the signature of a URL it accepts', () => {
    const { masked, mask } = masking()
    const url = checkUploadUrl('https://storage.example.com/k?X-Amz-Signature=beef', mask)
    expect(url.hostname).toBe('storage.example.com')
    expect(masked).toEqual(['beef'])
  })
})

describe('isLoopback', () => {
  it.each(['localhost', '[::1]', '127.0.0.1', '127.1.2.3'])('%s is this machine', (host) => {
    expect(isLoopback(host)).toBe(true)
  })

  it.each(['10.127.0.0.1', '1127.0.0.1', 'localhost.example.com', '128.0.0.1'])(
    '%s is not',
    (host) => {
      expect(isLoopback(host)).toBe(false)
    }
  )
})

describe('checkBaseUrl', () => {
  it('keeps the origin and a path prefix, without the trailing slashes', () => {
    expect(checkBaseUrl('https://api.example/under/', 'the action')).toBe(
      'https://api.example/under'
    )
    expect(checkBaseUrl('http://127.0.0.1:8080', 'the action')).toBe('http://127.0.0.1:8080')
  })

  it('names the caller that adds /api/files itself', () => {
    expect(() => checkBaseUrl('https://api.example/api', 'uploadFiles()')).toThrow(
      new Problem(
        "'https://api.example/api' ends in /api, which uploadFiles() adds itself (it calls <base URL>/api/files): " +
          'give https://api.example instead (the base URL is an origin, optionally with a path prefix the API is served under)'
      )
    )
  })

  it('refuses the path the Resources API adds, and gives its host as the example', () => {
    const resources = DIALECTS.resources
    expect(() =>
      checkBaseUrl('https://x.example/gw/api/resources/', 'the action', resources)
    ).toThrow(
      new Problem(
        "'https://x.example/gw/api/resources/' contains /api/resources, which the action adds itself (it calls <base URL>/api/resources): " +
          'give https://x.example/gw instead (the base URL is an origin, optionally with a path prefix the API is served under)'
      )
    )
    expect(() => checkBaseUrl('x.example', 'the action', resources)).toThrow(
      new Problem("'x.example' is not a URL: give one like https://api.empirical.run")
    )
    expect(checkBaseUrl('https://x.example/api/files', 'the action', resources)).toBe(
      'https://x.example/api/files'
    )
    expect(() => checkBaseUrl('x.example', 'the action')).toThrow(
      new Problem("'x.example' is not a URL: give one like https://dash.empirical.run")
    )
  })
})
