// The upload pool's workers (runWorkers) against the emulator: a worker confirms a file while it
// takes the next, and the run ends only once every confirm still under way is done, whatever the
// files after it were: one the project holds, or one a cancel stopped.
import { describe, expect, it } from 'vitest'
import type { LocalFile } from '../../../src/core/files/files.ts'
import { FilesClient } from '../../../src/core/http/client.ts'
import { ProjectListing } from '../../../src/core/transfer/listing.ts'
import { runWorkers } from '../../../src/core/transfer/upload-pool.ts'
import type { Outcome, TransferOptions } from '../../../src/core/transfer/upload.ts'
import { never, poolScene } from '../../support/core-run.ts'

const PROJECT = 5
const scene = poolScene(PROJECT, 'core-upload-pool')

/** A client whose confirms wait until `release` is called, and then go through whatever happened. */
class HeldConfirms extends FilesClient {
  #release = (): void => {}
  readonly #held = new Promise<void>((resolve) => {
    this.#release = resolve
  })

  release(): void {
    this.#release()
  }

  override async confirm(id: number): Promise<void> {
    await this.#held
    return super.confirm(id, never)
  }
}

/** A context whose client holds its confirms, and which knows held.txt (4 bytes) as record 9. */
function context(): TransferOptions & { client: HeldConfirms } {
  const held = { id: 9, projectId: PROJECT, name: 'held.txt', sizeBytes: 4, status: 'uploaded' }
  return {
    client: scene.track(new HeldConfirms(scene.clientOptions())),
    projectId: PROJECT,
    description: undefined,
    policy: { retries: 0, baseMs: 0, maxDelayMs: 0 },
    listing: new ProjectListing([{ ...held, url: undefined }], PROJECT),
    face: 'action'
  }
}

/** Runs one worker over `files`, calling `onOutcome` with each file's name as its outcome comes. */
async function runOne(
  ctx: TransferOptions,
  files: readonly LocalFile[],
  onOutcome: (name: string) => void,
  signal = never
): Promise<string[]> {
  const reported: Outcome[] = []
  const outcomes = await runWorkers(ctx, files, 1, signal, (outcome) => {
    reported.push(outcome)
    onOutcome(outcome.file.name)
  })
  expect(reported).toHaveLength(files.length)
  return Array.from(files, (_, i) => {
    const outcome = outcomes[i]
    if (!outcome) return `${files[i]?.name}: no outcome`
    return `${outcome.file.name}: ${outcome.ok ? outcome.arrival : outcome.error}`
  })
}

describe('runWorkers: a worker confirms a file while it takes the next', () => {
  it('after a file the project holds, still waits for the confirm before it', async () => {
    const files = await scene.localFiles({ 'a.txt': 'alpha', 'held.txt': 'held' })
    const ctx = context()
    const summary = await runOne(ctx, files, (name) => {
      if (name === 'held.txt') ctx.client.release()
    })
    expect(summary).toEqual(['a.txt: uploaded', 'held.txt: existing'])
    expect(scene.emulator.uploaded().map((record) => record.name)).toEqual(['a.txt'])
  })

  it('after a cancel, fails the files not started and still waits for the confirm under way', async () => {
    const files = await scene.localFiles({ 'a.txt': 'alpha', 'held.txt': 'held', 'c.txt': 'c' })
    const ctx = context()
    const controller = new AbortController()
    const summary = await runOne(
      ctx,
      files,
      (name) => {
        if (name === 'held.txt') controller.abort()
        if (name === 'c.txt') ctx.client.release()
      },
      controller.signal
    )
    expect(summary).toEqual([
      'a.txt: uploaded',
      'held.txt: existing',
      'c.txt: not uploaded: the run was cancelled'
    ])
  })
})
