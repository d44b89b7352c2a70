// Reading an answer on its own: which statuses count as success, what an answer that is not one
// says, and a download hashed as it streams.
import { createHash } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/core/errors.ts'
import { digestBody, expectSuccess } from '../../../src/core/http/answer.ts'

/** An answer with `status`, a JSON body and `headers`, as a dispatcher hands it over. */
function answer(
  status: number,
  body: string,
  headers: Record<string, string> = {}
): Dispatcher.ResponseData {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: { text: () => Promise.resolve(body) }
  } as unknown as Dispatcher.ResponseData
}

describe('expectSuccess', () => {
  it('returns the body of a 2xx', async () => {
    await expect(expectSuccess('list', answer(299, '{"data":{}}'))).resolves.toBe('{"data":{}}')
  })

  it.each([103, 199])(
    'an informational %i is no success, and keeps the server words, not a redirect',
    async (status) => {
      const error = await expectSuccess('create', answer(status, '{"error":"Not yet"}')).catch(
        (caught: unknown) => caught
      )
      expect(error).toBeInstanceOf(HttpError)
      expect(error).toMatchObject({ step: 'create', status })
      expect((error as Error).message).toBe(`create failed: HTTP ${status}: Not yet`)
    }
  )

  it('a 4xx with a Location header is still the server words, not a redirect', async () => {
    const refused = answer(403, '{"error":"Forbidden"}', { location: 'https://elsewhere.example/' })
    await expect(expectSuccess('get', refused)).rejects.toThrow('get failed: HTTP 403: Forbidden')
  })
})

describe('digestBody', () => {
  const MiB = 1024 * 1024

  it('hashes and counts every chunk, and asks for a collection after each MiB hashed', async () => {
    const sizes = [MiB, 1, MiB - 2, 1, 3 * MiB]
    const chunks = sizes.map((size, i) => Buffer.alloc(size, i + 1))
    const events: string[] = []
    async function* body(): AsyncGenerator<Buffer> {
      for (const [i, chunk] of chunks.entries()) {
        events.push(`chunk ${i + 1}`)
        yield chunk
      }
    }
    const digest = await digestBody(
      body() as unknown as Dispatcher.ResponseData['body'],
      new AbortController().signal,
      1000,
      () => events.push('release')
    )
    expect(digest).toEqual({
      size: 5 * MiB,
      sha256: createHash('sha256').update(Buffer.concat(chunks)).digest('hex')
    })
    // A release once 1 MiB has piled up since the last one: after chunks 1, 4 and 5, not chunk 3.
    expect(events).toEqual([
      'chunk 1',
      'release',
      'chunk 2',
      'chunk 3',
      'chunk 4',
      'release',
      'chunk 5',
      'release'
    ])
  })
})
