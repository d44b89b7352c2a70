// Case 7: what `download-url` costs. With it each file is read back once confirmed, for its
// storage URL. Timed on case 1's 150 files at 20 ms against the same run without the input, one
// run of each per repetition, the one that goes first alternating, so that noise falls on both
// alike.
import type { Emulator } from '../../emulator/emulator.ts'
import {
  alternate,
  emulatorWith,
  expectAllSmall,
  outputFiles,
  row,
  SMALL,
  smallWorkspace,
  uploadInputs,
  type BenchCase
} from '../fixtures.ts'
import {
  expectUploaded,
  loadAverage,
  ms,
  removeDir,
  runBundle,
  times,
  wallOf,
  type ActionMeasured
} from '../lib.ts'

const MAX_URL_RATIO = 1.4

export const downloadUrl: BenchCase = {
  number: 7,
  name: 'download-url',
  measures: `download-url: ${SMALL.files} files of ${SMALL.size} bytes, ${SMALL.latency} ms latency, one GET per file for its URL`,
  async run({ reps }) {
    const { files, latency } = SMALL
    const emulator = await emulatorWith({ latencyMs: latency, keepBytes: false })
    const ws = await smallWorkspace('urls')
    const run = (extra: Record<string, string>) => (): Promise<ActionMeasured> =>
      urlRun(emulator, ws, uploadInputs(emulator, 'reports/', extra))
    const runs = await alternate(reps.pair, run({ 'download-url': 'true' }), run({}), {
      warmUp: true
    })
    const [withMs, withoutMs] = [wallOf(runs.a), wallOf(runs.b)]
    const ratio = withMs / withoutMs
    console.log(
      `  with download-url: median ${ms(withMs)}; without: median ${ms(withoutMs)}; ${times(ratio)}, ${ms((withMs - withoutMs) / files)} more per file; load average ${loadAverage()}`
    )
    await emulator.close()
    await removeDir(ws)
    return [
      row(
        {
          case: `7. ${files} × 2 KiB, ${latency} ms: download-url ÷ without`,
          action: ms(withMs),
          baseline: `${ms(withoutMs)} (without)`,
          ratio: times(ratio),
          target: `≤ ${MAX_URL_RATIO}×`
        },
        ratio <= MAX_URL_RATIO
      )
    ]
  }
}

/** One run; throws unless every file was uploaded and, with download-url, got a storage URL. */
async function urlRun(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>
): Promise<ActionMeasured> {
  emulator.reset()
  const run = await runBundle({ workspace: ws, inputs })
  expectUploaded(run, SMALL.files, 'download-url')
  expectAllSmall(emulator, 'download-url')
  const wanted = inputs['download-url'] === 'true'
  const urls = outputFiles(run).filter((f) => f.url?.startsWith(`${emulator.storageUrl}/`)).length
  if (urls !== (wanted ? SMALL.files : 0)) {
    throw new Error(`download-url: ${urls} storage URLs in the files output of ${SMALL.files}`)
  }
  return run
}
