// Reading an answer on its own: which statuses count as success, and what an answer that is not
// one says.
import type { Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/core/errors.ts'
import { expectSuccess } from '../../../src/core/http/answer.ts'

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
