// The workers' bound on the API (boundedApi): how many calls are in flight, who gets a freed slot,
// and what passes straight through.
import { describe, expect, it } from 'vitest'
import type { Transport } from '../../../src/core/http/transport.ts'
import { boundedApi } from '../../../src/core/transfer/api-slots.ts'

const never = new AbortController().signal

/** A transport whose every call waits until the test settles it; `started` lists the calls made. */
function pending() {
  const started: string[] = []
  const settle = new Map<string, (error?: Error) => void>()
  const call = <T>(name: string, value: T): Promise<T> => {
    started.push(name)
    return new Promise<T>((resolve, reject) => {
      settle.set(name, (error) => (error ? reject(error) : resolve(value)))
    })
  }
  const page = { files: [], totalPages: 1 }
  const record = { id: 1, projectId: 5, name: 'a', sizeBytes: 1, status: 'uploaded', url: 'u' }
  let closed = false
  const transport: Transport = {
    filesUrl: 'https://api.example/api/files',
    create: (request) =>
      call(`create ${request.name}`, { id: 1, uploadUrl: new URL('https://s/u') }),
    put: (_url, source) => call(`put ${source.absolutePath}`, { sha256: 'ab' }),
    confirm: (id) => call(`confirm ${id}`, undefined),
    list: (_project, pageNumber) => call(`list ${pageNumber}`, page),
    get: (id) => call(`get ${id}`, record),
    readStored: (id) => call(`read ${id}`, { record, size: 1, sha256: 'ab' }),
    close: async () => {
      closed = true
    }
  }
  /** Settles one call, then lets the awaiting code run. */
  const done = async (name: string, error?: Error): Promise<void> => {
    const finish = settle.get(name)
    if (!finish) throw new Error(`no call ${name} is waiting`)
    finish(error)
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { transport, started, done, closed: () => closed }
}

const request = (name: string) => ({
  projectId: 5,
  name,
  mimeType: 'text/plain',
  size: 1,
  description: undefined
})
const source = (name: string) => ({ absolutePath: name, size: 1, mimeType: 'text/plain' })
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('boundedApi', () => {
  it('keeps at most `limit` API calls in flight; uploads to storage pass by without a slot', async () => {
    const { transport, started, done } = pending()
    const api = boundedApi(transport, 2)
    const calls = [
      api.confirm(1, never),
      api.get(2, never),
      api.list(undefined, 1, 100, never),
      api.readStored(3, never),
      api.put(new URL('https://s/u'), source('a.bin'), never)
    ]
    await tick()
    expect(started).toEqual(['confirm 1', 'get 2', 'put a.bin'])
    await done('confirm 1')
    expect(started.slice(3)).toEqual(['list 1'])
    await done('get 2')
    await done('list 1')
    expect(started.slice(4)).toEqual(['read 3'])
    await done('read 3')
    await done('put a.bin')
    await expect(Promise.all(calls)).resolves.toHaveLength(5)
  })

  it('gives a freed slot to a waiting create before the calls that waited longer', async () => {
    const { transport, started, done } = pending()
    const api = boundedApi(transport, 1)
    const calls = [
      api.confirm(1, never),
      api.confirm(2, never),
      api.get(3, never),
      api.create(request('next.txt'), never)
    ]
    await tick()
    expect(started).toEqual(['confirm 1'])
    await done('confirm 1')
    expect(started).toEqual(['confirm 1', 'create next.txt'])
    await done('create next.txt')
    expect(started.at(-1)).toBe('confirm 2')
    await done('confirm 2')
    expect(started.at(-1)).toBe('get 3')
    await done('get 3')
    await expect(Promise.all(calls)).resolves.toHaveLength(4)
  })

  it('frees the slot of a call that fails, and hands the failure on', async () => {
    const { transport, started, done } = pending()
    const api = boundedApi(transport, 1)
    const failed = api.create(request('a.txt'), never).then(
      () => 'resolved',
      (error: Error) => error.message
    )
    const next = api.confirm(7, never)
    await tick()
    await done('create a.txt', new Error('HTTP 503'))
    expect(await failed).toBe('HTTP 503')
    expect(started).toEqual(['create a.txt', 'confirm 7'])
    await done('confirm 7')
    await expect(next).resolves.toBeUndefined()
    // The slot is free again: a call now starts at once.
    void api.get(9, never)
    await tick()
    expect(started.at(-1)).toBe('get 9')
  })

  it('names the same API and closes the transport it wraps', async () => {
    const { transport, closed } = pending()
    const api = boundedApi(transport, 3)
    expect(api.filesUrl).toBe('https://api.example/api/files')
    await api.close()
    expect(closed()).toBe(true)
  })
})
