import { randomBytes } from 'node:crypto'
import { appendFileSync, unlinkSync } from 'node:fs'
import { truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ApiDialect, Emulator, Fault } from '../../emulator/emulator.ts'
import type { ActionRun, RunOptions } from '../../scripts/run-action.ts'
import { sha256, STALL_ALLOWANCE } from '../support/harness.ts'
import {
  APIS,
  emulatorWith,
  inputsFor,
  otherApiRequests,
  runAction,
  signatureRefused,
  when,
  workspace
} from '../support/bundle.ts'

/** Runs the bundle against `emulator` with debug logging on; the harness checks its invariants. */
async function run(emulator: Emulator, options: RunOptions): Promise<ActionRun> {
  return runAction({
    ...options,
    inputs: inputsFor(emulator, options.inputs),
    env: { RUNNER_DEBUG: '1', ...options.env }
  })
}

/** The workspace most tests upload: one small file. */
const ONE_FILE = { 'a.txt': 'alpha' }

/**
 * Starts an emulator of `api` holding `faults`, then runs the bundle against it on a workspace of
 * `files`.
 */
async function runWithFaults(
  faults: Fault[],
  inputs: Record<string, string>,
  files: Record<string, string | Buffer> = ONE_FILE,
  api: ApiDialect = 'files'
): Promise<{ emulator: Emulator; result: ActionRun }> {
  const emulator = await emulatorWith({ api })
  emulator.faults.push(...faults)
  const result = await run(emulator, { workspace: await workspace(files), inputs })
  return { emulator, result }
}

interface OutputFile {
  id: number
  name: string
  sha256: string
}

/** Each listed file is confirmed exactly once, with the bytes from disk, and the outputs say exactly that. */
function expectExactlyOnce(
  result: ActionRun,
  emulator: Emulator,
  files: Record<string, string | Buffer>
): void {
  const outputs = JSON.parse(result.outputs.files ?? '[]') as OutputFile[]
  const uploaded = emulator.uploaded()
  expect(uploaded.map((record) => record.name).sort()).toEqual(Object.keys(files).sort())
  expect(outputs.map((file) => file.id).sort()).toEqual(uploaded.map((record) => record.id).sort())
  for (const [name, content] of Object.entries(files)) {
    const record = uploaded.find((candidate) => candidate.name === name)
    expect(record?.stored?.sha256).toBe(sha256(content))
    expect(outputs.find((file) => file.name === name)?.sha256).toBe(sha256(content))
  }
}

describe('faults the action survives', () => {
  it.each(APIS)(
    'create answers 500, 502, 503, then 429 with Retry-After, before it succeeds (api %s)',
    async (api) => {
      const emulator = await emulatorWith({ api })
      const files = { 'a.txt': 'alpha' }
      emulator.faults.push(
        { step: 'create', action: { type: 'status', status: 500 } },
        { step: 'create', action: { type: 'status', status: 502 } },
        { step: 'create', action: { type: 'status', status: 503 } },
        { step: 'create', action: { type: 'status', status: 429, headers: { 'retry-after': '1' } } }
      )
      const dir = await workspace(files)
      const started = performance.now()
      const result = await run(emulator, { workspace: dir, inputs: { files: '*.txt' } })
      expect(result.code).toBe(0)
      expect(performance.now() - started).toBeGreaterThan(1000)
      expect(result.log).toMatch(/create failed: HTTP 429.*retry 4 of 5 in 1\.0 s/)
      expect(
        emulator.requests
          .filter((request) => request.step === 'create')
          .map((request) => request.status)
      ).toEqual([500, 502, 503, 429, api === 'files' ? 201 : 200])
      expectExactlyOnce(result, emulator, files)
      expect(otherApiRequests(emulator)).toEqual([])
    }
  )

  it('the storage resets the connection mid-body, then answers 500 once', async () => {
    const files = { 'big.bin': randomBytes(4 * 1024 * 1024) }
    const { emulator, result } = await runWithFaults(
      [
        { step: 'put', action: { type: 'reset-mid-body' } },
        { step: 'put', action: { type: 'status', status: 500 } }
      ],
      { files: 'big.bin' },
      files
    )
    expect(result.code).toBe(0)
    expect(emulator.requests.filter((request) => request.step === 'put')).toHaveLength(3)
    expectExactlyOnce(result, emulator, files)
  })

  for (const form of ['r2', 's3', '400'] as const) {
    it(`an expired upload URL (${form} form) gets a fresh record; the stale one stays pending and out of the outputs`, async () => {
      const emulator = await emulatorWith({ expiredForm: form })
      const files = { 'a.txt': 'alpha', 'b.txt': 'beta' }
      emulator.faults.push({ step: 'create', name: 'a.txt', action: { type: 'expire-url' } })
      const dir = await workspace(files)
      const result = await run(emulator, { workspace: dir, inputs: { files: '*.txt' } })
      expect(result.code).toBe(0)
      const stale = [...emulator.files.values()].filter((record) => record.status === 'pending')
      expect(stale).toHaveLength(1)
      const ids = JSON.parse(result.outputs['file-ids'] ?? '[]') as number[]
      expect(ids).not.toContain(stale[0]?.id)
      expectExactlyOnce(result, emulator, files)
    })
  }

  // Each ends in one upload; a lost answer leaves its trace: a second confirm, or a second record.
  it.each<[string, Fault, { records: number; confirms: number }]>([
    [
      'confirm answers 503 once',
      { step: 'confirm', action: { type: 'status', status: 503 } },
      { records: 1, confirms: 1 }
    ],
    [
      'confirm is applied but its answer is lost: the retry confirms again, harmlessly',
      { step: 'confirm', action: { type: 'lost-answer' } },
      { records: 1, confirms: 2 }
    ],
    [
      'create is applied but its answer is lost: a second record is made, one is uploaded',
      { step: 'create', action: { type: 'lost-answer' } },
      { records: 2, confirms: 1 }
    ]
  ])('%s', async (_, fault, { records, confirms }) => {
    const { emulator, result } = await runWithFaults([fault], { files: 'a.txt' })
    expect(result.code).toBe(0)
    expect(emulator.files.size).toBe(records)
    expect(emulator.uploaded()[0]?.confirmCount).toBe(confirms)
    expectExactlyOnce(result, emulator, ONE_FILE)
  })

  it('all of the above at once, with latency, over several files', async () => {
    const emulator = await emulatorWith({ latencyMs: 20 })
    const files: Record<string, Buffer> = {}
    for (let i = 0; i < 12; i++)
      files[`f${String(i).padStart(2, '0')}.bin`] = randomBytes(64 * 1024 + i)
    emulator.faults.push(
      { step: 'create', name: 'f00.bin', action: { type: 'status', status: 500 } },
      { step: 'create', name: 'f01.bin', action: { type: 'status', status: 502 } },
      { step: 'create', name: 'f02.bin', action: { type: 'status', status: 503 } },
      {
        step: 'create',
        name: 'f03.bin',
        action: { type: 'status', status: 429, headers: { 'retry-after': '0' } }
      },
      { step: 'put', name: 'f04.bin', action: { type: 'reset-mid-body' } },
      { step: 'put', name: 'f05.bin', action: { type: 'status', status: 500 } },
      { step: 'create', name: 'f06.bin', action: { type: 'expire-url' } },
      { step: 'confirm', name: 'f07.bin', action: { type: 'status', status: 503 } },
      { step: 'confirm', name: 'f08.bin', action: { type: 'lost-answer' } },
      { step: 'create', name: 'f09.bin', action: { type: 'lost-answer' } },
      { step: 'put', name: 'f10.bin', action: { type: 'stall' } }
    )
    const result = await run(emulator, {
      workspace: await workspace(files),
      inputs: { files: '*.bin', concurrency: '4', 'request-timeout': '2' }
    })
    expect(result.code).toBe(0)
    expect(emulator.faults).toHaveLength(0)
    expectExactlyOnce(result, emulator, files)
  })
})

describe.each(APIS)(
  'a confirm whose outcome is unknown is settled by reading the record back (api %s)',
  (api) => {
    const count = (emulator: Emulator, step: string): number =>
      emulator.requests.filter((request) => request.step === step).length

    it('applied, but every answer lost: the read-back finds it uploaded, so it is in the outputs', async () => {
      const files = { 'a.txt': 'alpha', 'b.txt': 'beta' }
      const { emulator, result } = await runWithFaults(
        [{ step: 'confirm', name: 'a.txt', times: 3, action: { type: 'lost-answer' } }],
        { files: '*.txt', retries: '2' },
        files,
        api
      )
      expect(result.code).toBe(0)
      expect(result.outputs['failed-files']).toBe('[]')
      expect(count(emulator, 'get')).toBe(1)
      expect(emulator.uploaded().find((record) => record.name === 'a.txt')?.confirmCount).toBe(3)
      expect(result.log).toMatch(
        /✓ a\.txt → \d+ \(5 B, [^)]*; confirmed by reading the record back\)/
      )
      expectExactlyOnce(result, emulator, files)
    })

    it('refused with 503 every time and never applied: the read-back finds it pending, so it fails', async () => {
      const { emulator, result } = await runWithFaults(
        [{ step: 'confirm', times: 3, action: { type: 'status', status: 503 } }],
        { files: 'a.txt', retries: '2' },
        ONE_FILE,
        api
      )
      expect(result.code).toBe(1)
      expect(count(emulator, 'get')).toBe(1)
      expect(emulator.uploaded()).toHaveLength(0)
      expect(result.outputs['failed-files']).toBe('["a.txt"]')
      expect(result.log).toContain('a.txt: confirm failed: HTTP 503: Emulated fault: HTTP 503')
    })

    it('when the read-back fails too, the file fails and the message says its state is unknown', async () => {
      const { emulator, result } = await runWithFaults(
        [
          { step: 'confirm', times: 3, action: { type: 'lost-answer' } },
          { step: 'get', times: 3, action: { type: 'status', status: 502 } }
        ],
        { files: 'a.txt', retries: '2' },
        ONE_FILE,
        api
      )
      expect(result.code).toBe(1)
      expect(count(emulator, 'get')).toBe(3)
      expect(result.outputs['failed-files']).toBe('["a.txt"]')
      expect(result.log).toMatch(
        /a\.txt: confirm failed: [^\n]*; reading record 1 back failed too \(get failed: HTTP 502: [^)]* \(after 2 retries\)\), so its state is unknown: the project may list it as uploaded/
      )
    })

    it('a definite refusal (409) is not read back', async () => {
      const { emulator, result } = await runWithFaults(
        [
          {
            step: 'confirm',
            action: {
              type: 'status',
              status: 409,
              body: '{"error":"File has not been uploaded to storage"}'
            }
          }
        ],
        { files: 'a.txt' },
        ONE_FILE,
        api
      )
      expect(result.code).toBe(1)
      expect(count(emulator, 'get')).toBe(0)
      expect(result.log).toContain(
        'confirm failed: HTTP 409: File has not been uploaded to storage'
      )
    })
  }
)

describe('faults that fail cleanly', () => {
  it('one file refused with 413: the others upload; the message names the file, step, status and words', async () => {
    const { emulator, result } = await runWithFaults(
      [
        {
          step: 'create',
          name: 'b.txt',
          times: 10,
          action: {
            type: 'status',
            status: 413,
            body: '{"error":"File exceeds the project quota"}'
          }
        }
      ],
      { files: '*.txt' },
      { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' }
    )
    expect(result.code).toBe(1)
    expect(result.log).toMatch(
      /::error::1 of 3 files failed to upload:%0A {2}b\.txt: create failed: HTTP 413: File exceeds the project quota/
    )
    expect(
      emulator.requests.filter((request) => request.step === 'create' && request.status === 413)
    ).toHaveLength(1)
    expect(result.outputs['failed-files']).toBe('["b.txt"]')
    expectExactlyOnce(result, emulator, { 'a.txt': 'alpha', 'c.txt': 'gamma' })
  })

  it('a storage 4xx (403 SignatureDoesNotMatch) is not retried and is reported with the storage words', async () => {
    const { emulator, result } = await runWithFaults([signatureRefused()], { files: 'a.txt' })
    expect(result.code).toBe(1)
    expect(result.log).toMatch(
      /a\.txt: upload failed: HTTP 403: SignatureDoesNotMatch: The signature does not match/
    )
    expect(emulator.requests.filter((request) => request.step === 'put')).toHaveLength(1)
    expect(result.outputs['file-ids']).toBe('[]')
  })

  it.each(APIS)('a 2xx whose body is an HTML page says so clearly (api %s)', async (api) => {
    const { result } = await runWithFaults(
      [{ step: 'create', action: { type: 'html' } }],
      { files: 'a.txt' },
      ONE_FILE,
      api
    )
    expect(result.code).toBe(1)
    const one = api === 'files' ? 'file' : 'resource'
    expect(result.log).toContain(
      `a.txt: create failed: HTTP 200: the answer is not the documented JSON (no ${one} id): an HTML page`
    )
  })

  it('a server that never answers: timeouts, retries, then a clear message, not a hang', async () => {
    const emulator = await emulatorWith()
    emulator.faults.push({ step: 'create', times: 3, action: { type: 'hang' } })
    // Timed from the first request to the exit: start-up on a busy machine is not time spent hanging.
    const times = { firstRequest: 0, exit: 0 }
    const result = await run(emulator, {
      workspace: await workspace({ 'a.txt': 'x' }),
      inputs: { files: 'a.txt', 'request-timeout': '1', retries: '2' },
      onStart: (child) => {
        const poll = setInterval(() => {
          if (emulator.requests.length === 0) return
          clearInterval(poll)
          times.firstRequest = performance.now()
        }, 10)
        child.once('close', () => {
          clearInterval(poll)
          times.exit = performance.now()
        })
      }
    })
    expect(result.code).toBe(1)
    expect(times.firstRequest).toBeGreaterThan(0)
    expect(times.exit - times.firstRequest).toBeLessThan(10_000)
    expect(result.log).toMatch(/a\.txt: create failed: no progress and no answer for 1 s/)
  })

  it('an upload that stops making progress is abandoned by the stall detector and retried', async () => {
    const files = { 'big.bin': randomBytes(16 * 1024 * 1024) }
    const { emulator, result } = await runWithFaults(
      [{ step: 'put', action: { type: 'stall' } }],
      { files: 'big.bin', 'request-timeout': '1' },
      files
    )
    expect(result.code).toBe(0)
    expect(result.log).toMatch(
      new RegExp(
        String.raw`big\.bin: upload failed: no progress and no answer for 1 s${STALL_ALLOWANCE}; retry 1`
      )
    )
    expectExactlyOnce(result, emulator, files)
  })

  it.each(APIS)(
    '401 stops every file at once with a message that names the key (api %s)',
    async (api) => {
      const emulator = await emulatorWith({ api })
      const files: Record<string, string> = {}
      for (let i = 0; i < 30; i++) files[`f${i}.txt`] = `file ${i}`
      const result = await runAction({
        workspace: await workspace(files),
        inputs: inputsFor(emulator, { 'auth-key': 'not-the-key', files: '*.txt', concurrency: '4' })
      })
      expect(result.code).toBe(1)
      expect(emulator.requests.length).toBeLessThanOrEqual(4)
      expect(result.log).toMatch(
        /create failed: HTTP 401: Unauthorized \(the API key was refused: check auth-key/
      )
      expect(result.log).toMatch(/30 of 30 files failed to upload/)
      expect(result.log).toContain('not uploaded: the API key was refused')
    }
  )

  it('a redirect is never followed, so the key never reaches another host', async () => {
    const { emulator, result } = await runWithFaults(
      [{ step: 'create', action: { type: 'redirect', location: 'http://127.0.0.2:9/api/files' } }],
      { files: 'a.txt' }
    )
    expect(result.code).toBe(1)
    expect(result.log).toMatch(
      /create failed: HTTP 307: a redirect to 127\.0\.0\.2:9, which is not followed/
    )
    expect(emulator.requests).toHaveLength(1)
  })

  it('the checksum trap is named as a server-side problem', async () => {
    const { result } = await runWithFaults(
      [{ step: 'create', action: { type: 'checksum-trap' } }],
      { files: 'a.txt' }
    )
    expect(result.code).toBe(1)
    expect(result.log).toMatch(/upload failed: HTTP 400: BadDigest.*only the server can fix this/)
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} aborts what is in flight, writes outputs for what completed, and exits non-zero within seconds`, async () => {
      const emulator = await emulatorWith({ latencyMs: 300 })
      const files: Record<string, string> = {}
      for (let i = 0; i < 20; i++) files[`f${String(i).padStart(2, '0')}.txt`] = `file ${i}`
      let signalledAt = 0
      let stoppedAt = 0
      const result = await run(emulator, {
        workspace: await workspace(files),
        inputs: { files: '*.txt', concurrency: '2' },
        onStart: (child) => {
          child.stdout?.on('data', (chunk: Buffer) => {
            if (!signalledAt && chunk.toString().includes('✓')) {
              signalledAt = performance.now()
              child.kill(signal)
            }
          })
          // The exit itself, not the end of run(), which then reads the files the action wrote.
          child.once('close', () => (stoppedAt = performance.now()))
        }
      })
      expect(signalledAt).toBeGreaterThan(0)
      expect(stoppedAt - signalledAt).toBeLessThan(3000)
      expect(result.code).not.toBe(0)
      expect(result.log).toMatch(
        /::error::Cancelled: the run was stopped with \d+ of 20 files uploaded, \d+ not uploaded/
      )
      const ids = JSON.parse(result.outputs['file-ids'] ?? '[]') as number[]
      expect(ids.length).toBeGreaterThan(0)
      expect(ids.length).toBeLessThan(20)
      expect(emulator.uploaded().map((record) => record.id)).toEqual(expect.arrayContaining(ids))
      expect(JSON.parse(result.outputs['failed-files'] ?? '[]')).toHaveLength(20 - ids.length)
    })
  }
})

describe('bad files, refused or reported by name', () => {
  it('a file over 5 GiB is refused before any request, naming the limit', async () => {
    const emulator = await emulatorWith()
    const dir = await workspace({ 'small.txt': 'x' })
    await writeFile(path.join(dir, 'huge.iso'), '')
    await truncate(path.join(dir, 'huge.iso'), 5 * 1024 ** 3 + 1)
    const result = await run(emulator, { workspace: dir, inputs: { files: '*' } })
    expect(result.code).toBe(1)
    expect(result.log).toMatch(
      /::error::Input 'files': .*huge\.iso is 5368709121 bytes; one upload takes at most 5 GiB/
    )
    expect(emulator.requests).toHaveLength(0)
  })

  it('a file that vanishes or changes size between listing and upload is reported by name', async () => {
    const emulator = await emulatorWith()
    const files = { 'gone.txt': 'soon gone', 'grows.txt': 'short', 'ok.txt': 'fine' }
    emulator.faults.push(
      { step: 'create', name: 'gone.txt', latencyMs: 800, action: { type: 'status', status: 503 } },
      { step: 'create', name: 'grows.txt', latencyMs: 800, action: { type: 'status', status: 503 } }
    )
    const dir = await workspace(files)
    // Faults leave the queue when their request arrives: every file has been listed by the first.
    // The change is synchronous, on the emulator's event loop, so it is made before either 503
    // (held there for 800 ms) goes out, however busy the machine.
    when(
      () => emulator.faults.length < 2,
      'the first create held',
      () => {
        unlinkSync(path.join(dir, 'gone.txt'))
        appendFileSync(path.join(dir, 'grows.txt'), ' and longer')
      }
    )
    const result = await run(emulator, { workspace: dir, inputs: { files: '*.txt' } })
    expect(result.code).toBe(1)
    expect(result.log).toMatch(/gone\.txt: read failed: the file disappeared after it was listed/)
    expect(result.log).toMatch(/grows\.txt: read failed: the file changed size from 5 to 16 bytes/)
    expect(JSON.parse(result.outputs['failed-files'] ?? '[]')).toEqual(['gone.txt', 'grows.txt'])
    expectExactlyOnce(result, emulator, { 'ok.txt': 'fine' })
  })
})

describe('a 404 on create names the path called and what to check, in each API', () => {
  it.each([
    ['files', 'no such project, or the key cannot see it: check project-id'],
    [
      'resources',
      "the key's project cannot be reached (the key picks the project): check auth-key / EMPIRICALRUN_KEY"
    ]
  ] as const)('api %s', async (api, project) => {
    const { emulator, result } = await runWithFaults(
      [{ step: 'create', action: { type: 'status', status: 404, body: '{"error":"Not found"}' } }],
      { files: 'a.txt' },
      ONE_FILE,
      api
    )
    expect(result.code).toBe(1)
    expect(result.log).toContain(
      `a.txt: create failed: HTTP 404: Not found (${project}; or no ${api} API at ${emulator.apiUrl}/api/${api}: check base-url)`
    )
  })
})
