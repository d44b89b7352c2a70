import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/emulator.ts'
import type { ActionRun } from '../../scripts/run-action.ts'
import { emulatorWith, inputsFor, onCleanup, runAction, workspace } from '../support/bundle.ts'
import { sha256 } from '../support/harness.ts'
import { startProxy, type ForwardProxy } from '../support/proxy.ts'

const CERT = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url))
const KEY = fileURLToPath(new URL('../fixtures/tls/key.pem', import.meta.url))
// d.bin spans several read chunks, so reused read buffers are checked over TLS and a tunnel too.
const FILES = {
  'out/a.txt': 'alpha',
  'out/b/c.json': '{"c":1}',
  'out/d.bin': randomBytes(9 * 1024 * 1024 + 7)
}

async function setUp(
  tls: boolean
): Promise<{ emulator: Emulator; proxy: ForwardProxy; dir: string }> {
  const emulator = await emulatorWith(
    tls ? { tls: { key: readFileSync(KEY), cert: readFileSync(CERT) } } : {}
  )
  const proxy = await startProxy()
  onCleanup(() => proxy.close())
  return { emulator, proxy, dir: await workspace(FILES) }
}

async function upload(
  emulator: Emulator,
  dir: string,
  env: Record<string, string>
): Promise<ActionRun> {
  const run = await runAction({
    workspace: dir,
    inputs: inputsFor(emulator, { files: 'out' }),
    // The emulator's certificate is trusted the way a runner trusts a private CA.
    env: { NODE_EXTRA_CA_CERTS: CERT, RUNNER_DEBUG: '1', ...env }
  })
  expect(run.code, run.log).toBe(0)
  expect(
    emulator
      .uploaded()
      .map((record) => record.stored?.sha256)
      .sort()
  ).toEqual(
    Object.values(FILES)
      .map((content) => sha256(content))
      .sort()
  )
  return run
}

/** Every request the emulator received came in on one of the proxy's upstream sockets. */
function expectAllThroughProxy(emulator: Emulator, proxy: ForwardProxy): void {
  expect(emulator.requests.length).toBe(9)
  for (const request of emulator.requests) expect(proxy.upstreamPorts).toContain(request.remotePort)
}

describe('proxies, as self-hosted runners set them', () => {
  for (const name of ['HTTPS_PROXY', 'https_proxy']) {
    it(`${name}: API and storage requests are tunnelled through CONNECT`, async () => {
      const { emulator, proxy, dir } = await setUp(true)
      await upload(emulator, dir, { [name]: proxy.url })
      const origins = [emulator.apiUrl, emulator.storageUrl].map(
        (url) => `CONNECT ${new URL(url).host}`
      )
      expect(new Set(proxy.seen)).toEqual(new Set(origins))
      expectAllThroughProxy(emulator, proxy)
    })
  }

  for (const name of ['HTTP_PROXY', 'http_proxy']) {
    it(`${name}: plain-http requests go through the proxy too`, async () => {
      const { emulator, proxy, dir } = await setUp(false)
      await upload(emulator, dir, { [name]: proxy.url })
      expect(proxy.seen.filter((line) => line.startsWith('POST ')).length).toBe(3)
      expect(proxy.seen.filter((line) => line.startsWith('PUT ')).length).toBe(3)
      expect(proxy.seen.filter((line) => line.startsWith('PATCH ')).length).toBe(3)
      expectAllThroughProxy(emulator, proxy)
    })
  }

  for (const name of ['NO_PROXY', 'no_proxy']) {
    it(`${name} bypasses the proxy for the hosts it names`, async () => {
      const { emulator, proxy, dir } = await setUp(true)
      await upload(emulator, dir, {
        HTTPS_PROXY: proxy.url,
        HTTP_PROXY: proxy.url,
        [name]: 'localhost,127.0.0.1'
      })
      expect(proxy.seen).toEqual([])
      expect(emulator.requests.length).toBe(9)
    })
  }

  it('a proxy that refuses the tunnel fails the files cleanly, naming the step', async () => {
    const { emulator, dir } = await setUp(true)
    const run = await runAction({
      workspace: dir,
      inputs: inputsFor(emulator, { files: 'out', retries: '1' }),
      env: {
        NODE_EXTRA_CA_CERTS: CERT,
        HTTPS_PROXY: 'http://127.0.0.1:9',
        EMPIRICALRUN_RETRY_BASE_MS: '10'
      }
    })
    expect(run.code).toBe(1)
    expect(run.log).toMatch(/out\/a\.txt: create failed: .*ECONNREFUSED/)
    expect(emulator.requests).toHaveLength(0)
  })
})
