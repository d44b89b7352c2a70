import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/emulator.ts'
import type { ActionRun } from '../../scripts/run-action.ts'
import { emulatorWith, inputsFor, onCleanup, runAction, workspace } from '../support/bundle.ts'

/** Runs the bundle on a.txt and b.txt with the given base-url. */
async function run(
  emu: Emulator,
  baseUrl: string,
  inputs: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction({
    workspace: await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' }),
    inputs: inputsFor(emu, { 'base-url': baseUrl, files: '*.txt', ...inputs })
  })
}

/** A reverse proxy that serves `target`'s routes under `/gw`, as an API behind a gateway is. */
async function gateway(target: string): Promise<string> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/'
    if (!url.startsWith('/gw/')) {
      res.writeHead(404).end('not under /gw')
      return
    }
    const upstream = http.request(
      `${target}${url.slice('/gw'.length)}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/gw`
}

describe('base-url with a path', () => {
  it('ending in /api is refused before any request, naming the input and the right value', async () => {
    const emu = await emulatorWith()
    const result = await run(emu, `${emu.apiUrl}/api/`)
    expect(result.code).toBe(1)
    expect(result.log).toContain(
      `::error::Input 'base-url': '${emu.apiUrl}/api/' ends in /api, which the action adds itself (it calls <base URL>/api/files): give ${emu.apiUrl} instead`
    )
    expect(emu.requests).toHaveLength(0)
  })

  it('a path prefix is kept, for an API served under one behind a reverse proxy', async () => {
    const emu = await emulatorWith()
    const result = await run(emu, await gateway(emu.apiUrl))
    expect(result.log).not.toContain('::error::')
    expect(result.code).toBe(0)
    expect(emu.uploaded().map((file) => file.name)).toEqual(['a.txt', 'b.txt'])
    expect(emu.requests.filter((request) => request.server === 'api')[0]?.path).toBe('/api/files')
  })

  it('a 404 on create names base-url and the address called, as well as project-id', async () => {
    const emu = await emulatorWith()
    const result = await run(emu, `${emu.apiUrl}/gw`)
    expect(result.code).toBe(1)
    expect(result.log).toContain(
      `✗ a.txt: create failed: HTTP 404: Not found (no such project, or the key cannot see it: check project-id; or no files API at ${emu.apiUrl}/gw/api/files: check base-url)`
    )
  })

  it('a 404 on the skip-existing listing names base-url too', async () => {
    const emu = await emulatorWith()
    const result = await run(emu, `${emu.apiUrl}/gw`, { 'skip-existing': 'true' })
    expect(result.code).toBe(1)
    expect(result.log).toContain(
      `list failed: HTTP 404: Not found (no such project, or the key cannot see it: check project-id; or no files API at ${emu.apiUrl}/gw/api/files: check base-url)`
    )
  })

  it('README and action.yml describe the input in the same words', () => {
    const words =
      'Base URL of the empirical.run API: an origin, optionally with a path prefix the API is served under.'
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const action = parseYaml(
      readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')
    ) as {
      inputs: Record<string, { description: string }>
    }
    expect(readme).toContain(`| ${words}`)
    expect(action.inputs['base-url']?.description.startsWith(words)).toBe(true)
  })
})
