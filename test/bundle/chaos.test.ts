import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import type { ChaosKind, Emulator, Step } from '../../emulator/emulator.ts'
import { emulatorWith } from '../support/bundle.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const NODE24 = `${ROOT}node_modules/.bin/node`

const API_MIX: ChaosKind[] = ['503', '429', 'lost-answer']
const MIXES: Record<Step, ChaosKind[]> = {
  create: API_MIX,
  confirm: API_MIX,
  list: API_MIX,
  get: API_MIX,
  put: ['500', '503', 'reset-mid-body'],
  download: ['500', '503', 'reset-mid-body']
}

/** What came back: a status and its Retry-After, or 'dropped' when the connection died. */
type Outcome = { status: number; retryAfter: string | undefined } | 'dropped'

async function attempt(
  url: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  headers: Record<string, string>,
  body: string | null = null
): Promise<Outcome> {
  try {
    const res = await request(url, { method, headers, body })
    await res.body.text()
    const retryAfter = res.headers['retry-after']
    return {
      status: res.statusCode,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined
    }
  } catch {
    return 'dropped'
  }
}

/** The record put, confirm, get and download aim at. */
interface Target {
  id: number
  uploadUrl: string
  downloadUrl: string
}

/** One request of each step, bound to an emulator; put, confirm, get and download use `target`. */
function steps(emu: Emulator, target: Target) {
  const json = { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' }
  const files = `${emu.apiUrl}/api/files`
  return {
    create: () => attempt(files, 'POST', json, '{"project_id":1,"name":"a.txt"}'),
    put: () => attempt(target.uploadUrl, 'PUT', { 'content-type': 'text/plain' }, 'hello'),
    confirm: () => attempt(`${files}/${target.id}`, 'PATCH', json, '{"status":"uploaded"}'),
    list: () => attempt(`${files}?project_id=1`, 'GET', json),
    get: () => attempt(`${files}/${target.id}`, 'GET', json),
    download: () => attempt(target.downloadUrl, 'GET', {})
  } satisfies Record<Step, () => Promise<Outcome>>
}

/** Creates and uploads one file with chaos off, for the put and confirm steps to aim at. */
async function uploadedTarget(emu: Emulator): Promise<Target> {
  const headers = { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' }
  const body = '{"project_id":1,"name":"target.txt","mime_type":"text/plain","size_bytes":5}'
  const res = await request(`${emu.apiUrl}/api/files`, { method: 'POST', headers, body })
  const file = ((await res.body.json()) as { data: { file: { id: number; upload_url: string } } })
    .data.file
  const put = await request(file.upload_url, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain' },
    body: 'hello'
  })
  await put.body.text()
  const got = await request(`${emu.apiUrl}/api/files/${file.id}`, { headers })
  const { url } = ((await got.body.json()) as { data: { file: { url: string } } }).data.file
  return { id: file.id, uploadUrl: file.upload_url, downloadUrl: url }
}

/** The answer a chaos kind must produce. */
function expected(kind: ChaosKind): Outcome {
  if (kind === 'lost-answer' || kind === 'reset-mid-body') return 'dropped'
  return { status: Number(kind), retryAfter: kind === '429' ? '0' : undefined }
}

/** The chaos kind of every classified request, 'none' when chaos left it alone. */
function chaosTrail(emu: Emulator): string[] {
  return emu.requests.filter((r) => r.step !== 'other').map((r) => r.chaos ?? 'none')
}

describe('chaos mode', () => {
  it('at rate 1 fails every request with a fault from its step’s mix, and injects each kind', async () => {
    const emu = await emulatorWith()
    const target = await uploadedTarget(emu)
    emu.setChaos({ rate: 1, seed: 7 })
    const send = steps(emu, target)
    const before = emu.requests.length
    for (const step of Object.keys(MIXES) as Step[]) {
      for (let i = 0; i < 15; i++) {
        const outcome = await send[step]()
        const rec = emu.requests.at(-1)!
        expect(rec.step).toBe(step)
        expect(MIXES[step]).toContain(rec.chaos)
        expect(outcome).toEqual(expected(rec.chaos!))
      }
    }
    expect(emu.requests).toHaveLength(before + 90)
    const stats = emu.chaosStats()
    expect(Object.keys(stats).sort()).toEqual(
      Object.entries(MIXES)
        .flatMap(([step, mix]) => mix.map((kind) => `${step}:${kind}`))
        .sort()
    )
    expect(Object.entries(stats).filter(([, count]) => count === 0)).toEqual([])
    expect(Object.values(stats).reduce((a, b) => a + b)).toBe(90)
  })

  it('lost-answer applies the create and the confirm though no answer arrives', async () => {
    const emu = await emulatorWith()
    const target = await uploadedTarget(emu)
    emu.setChaos({ rate: 1, seed: 11 })
    const send = steps(emu, target)
    for (let i = 0; i < 12; i++) await send.create()
    for (let i = 0; i < 12; i++) await send.confirm()
    const stats = emu.chaosStats()
    expect(stats['create:lost-answer']).toBeGreaterThan(0)
    expect(stats['confirm:lost-answer']).toBeGreaterThan(0)
    // Only lost answers create or confirm: 503 and 429 leave the state alone.
    expect(emu.files.size - 1).toBe(stats['create:lost-answer'])
    expect(emu.files.get(target.id)?.confirmCount).toBe(stats['confirm:lost-answer'])
    const lost = emu.requests.filter((r) => r.chaos === 'lost-answer')
    expect(lost.every((r) => r.status === 0)).toBe(true)
    const createdIds = lost.filter((r) => r.step === 'create').map((r) => r.fileId)
    expect(createdIds.every((id) => emu.files.get(id!)?.name === 'a.txt')).toBe(true)
  })

  it('gives the same seed the same faults, again after reset(), and another seed others', async () => {
    const emu = await emulatorWith({ chaos: { rate: 0.5, seed: 42 } })
    const bogusPut = {
      id: 1,
      uploadUrl: `${emu.storageUrl}/project-resources/1/x/y.txt`,
      downloadUrl: `${emu.storageUrl}/project-resources/1/x/y.txt`
    }
    const series = async (): Promise<string[]> => {
      const send = steps(emu, bogusPut)
      for (let i = 0; i < 8; i++) {
        for (const step of Object.keys(MIXES) as Step[]) await send[step]()
      }
      return chaosTrail(emu)
    }
    const first = await series()
    expect(first).toHaveLength(48)
    expect(first.filter((kind) => kind === 'none').length).toBeGreaterThan(5)
    expect(first.filter((kind) => kind !== 'none').length).toBeGreaterThan(5)
    emu.reset()
    expect(await series()).toEqual(first)
    emu.reset()
    emu.setChaos({ rate: 0.5, seed: 42 })
    expect(await series()).toEqual(first)
    emu.reset()
    emu.setChaos({ rate: 0.5, seed: 43 })
    expect(await series()).not.toEqual(first)
  })

  it('at rate 0 injects nothing; off, nothing either; a queued fault comes first', async () => {
    const emu = await emulatorWith({ chaos: { rate: 0, seed: 1 } })
    const target = await uploadedTarget(emu)
    const send = steps(emu, target)
    for (const step of Object.keys(MIXES) as Step[]) {
      const outcome = await send[step]()
      expect(outcome).not.toBe('dropped')
      expect(outcome === 'dropped' ? 0 : outcome.status).toBeLessThan(300)
    }
    expect(chaosTrail(emu).every((kind) => kind === 'none')).toBe(true)
    expect(Object.values(emu.chaosStats()).every((count) => count === 0)).toBe(true)
    emu.setChaos({ rate: 1, seed: 1 })
    emu.faults.push({ step: 'list', action: { type: 'status', status: 418 } })
    expect(await send.list()).toEqual({ status: 418, retryAfter: undefined })
    expect(emu.requests.at(-1)?.chaos).toBeUndefined()
    emu.setChaos(undefined)
    expect(await send.get()).toMatchObject({ status: 200 })
    expect(Object.values(emu.chaosStats()).every((count) => count === 0)).toBe(true)
  })

  it('refuses a rate outside 0..1 and a seed that is not an integer', async () => {
    const emu = await emulatorWith()
    expect(() => emu.setChaos({ rate: 1.5, seed: 1 })).toThrow(RangeError)
    expect(() => emu.setChaos({ rate: Number.NaN, seed: 1 })).toThrow(RangeError)
    expect(() => emu.setChaos({ rate: 0.5, seed: 1.5 })).toThrow(RangeError)
    await expect(emulatorWith({ chaos: { rate: -0.1, seed: 1 } })).rejects.toThrow(RangeError)
  })

  it('CLI: --chaos-rate and --chaos-seed turn chaos on; bad values exit 2 with the usage', async () => {
    const cli = (args: string[]) =>
      spawn(NODE24, ['emulator/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const refused = await Promise.all(
      [
        ['--chaos-rate', '1.5', '--chaos-seed', '1'],
        ['--chaos-rate', 'x', '--chaos-seed', '1'],
        ['--chaos-rate', '0.5', '--chaos-seed', '-1'],
        ['--chaos-rate', '0.5'],
        ['--throttle', '0']
      ].map(async (args) => {
        const child = cli(args)
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        // 'close', not 'exit': stderr can still hold the usage when the process has exited.
        const [code] = await once(child, 'close')
        return [code, /usage:[\s\S]*--chaos-rate R --chaos-seed N/.test(stderr)]
      })
    )
    expect(refused).toEqual(Array(5).fill([2, true]))
    const child = cli(['--chaos-rate', '1', '--chaos-seed', '5', '--throttle', '1000000'])
    const [line] = (await once(child.stdout, 'data')) as [Buffer]
    const { apiUrl, apiKey } = JSON.parse(line.toString()) as { apiUrl: string; apiKey: string }
    const outcome = await attempt(`${apiUrl}/api/files?project_id=1`, 'GET', {
      authorization: `Bearer ${apiKey}`
    })
    expect(outcome === 'dropped' || [503, 429].includes(outcome.status)).toBe(true)
    child.kill('SIGTERM')
    expect((await once(child, 'exit'))[0]).toBe(0)
  })
})
