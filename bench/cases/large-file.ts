// Case 2: one 1 GiB file, no added latency, the action against `curl -T` of the same file to a
// fresh upload URL. Storage hashes what it receives and keeps no bytes.
import path from 'node:path'
import type { Emulator } from '../../emulator/emulator.ts'
import {
  bigFile,
  emulatorWith,
  GiB,
  gibRate,
  KEY,
  printDiagnosis,
  PROJECT,
  row,
  uploadInputs,
  type BenchCase
} from '../fixtures.ts'
import {
  expectSuccess,
  expectUploaded,
  mb,
  measure,
  ms,
  rssOf,
  runBundle,
  times,
  wallOf,
  withOwnCpu,
  type ActionMeasured,
  type Measured
} from '../lib.ts'

/** The type both the action and curl send the 1 GiB file as. */
const BIG_MIME = 'application/octet-stream'

/** Every run of case 2, with the emulator's CPU time summed over each kind. */
interface LargeRuns {
  action: ActionMeasured[]
  curl: Measured[]
  actionCpu: number
  curlCpu: number
}

export const largeFile: BenchCase = {
  number: 2,
  name: 'large',
  measures: 'One 1 GiB file, no added latency (storage hashes, keeps no bytes)',
  async run({ reps }) {
    const file = await bigFile()
    const ws = path.dirname(file)
    const emulator = await emulatorWith({ keepBytes: false })
    const inputs = uploadInputs(emulator, 'big.bin')
    const runs: LargeRuns = { action: [], curl: [], actionCpu: 0, curlCpu: 0 }
    for (let i = 0; i < reps.big; i++) {
      const [run, cpu] = await uploadLarge(emulator, ws, inputs)
      runs.action.push(run)
      runs.actionCpu += cpu
      const [put, cpu2] = await curlLarge(emulator, file)
      runs.curl.push(put)
      runs.curlCpu += cpu2
      console.log(
        `  run ${i + 1}/${reps.big}: action ${ms(run.wallMs)} (${mb(run.maxRss)}, CPU ${ms(run.cpuS * 1000)}), curl -T ${ms(put.wallMs)} (CPU ${ms(put.cpuS * 1000)})`
      )
    }
    const { actionMs, curlMs } = reportLarge(runs, reps.big)
    await printDiagnosis(emulator, '  diagnostic run (untimed):', { workspace: ws, inputs })
    await emulator.close()
    return [
      row(
        {
          case: '2. 1 GiB: action ÷ curl -T',
          action: ms(actionMs),
          baseline: `${ms(curlMs)} (curl -T)`,
          ratio: times(actionMs / curlMs),
          target: '≤ 1.1×'
        },
        actionMs / curlMs <= 1.1
      )
    ]
  }
}

/** One timed upload of the 1 GiB file by the action, with the emulator's CPU time meanwhile. */
async function uploadLarge(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>
): Promise<[ActionMeasured, number]> {
  emulator.reset()
  const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
  expectUploaded(run, 1, 'action')
  const sent = (JSON.parse(run.outputs.files ?? '[]') as { mime_type?: string }[])[0]?.mime_type
  if (sent !== BIG_MIME) throw new Error(`the action sent ${sent}, curl sends ${BIG_MIME}`)
  return [run, cpu]
}

/** One timed `curl -T` of the 1 GiB file to a fresh upload URL, with the emulator's CPU time. */
async function curlLarge(emulator: Emulator, file: string): Promise<[Measured, number]> {
  emulator.reset()
  const { id, url } = await createUrl(emulator)
  const [put, cpu] = await withOwnCpu(() =>
    // Expect: off saves curl a 100-continue round trip: the baseline is curl at its best.
    measure('curl', [
      '-sS',
      '-f',
      '-o',
      '/dev/null',
      '-T',
      file,
      '-H',
      `Content-Type: ${BIG_MIME}`,
      '-H',
      'Expect:',
      url
    ])
  )
  expectSuccess(put, 'curl -T')
  const stored = emulator.files.get(id)?.stored
  if (stored?.size !== GiB) throw new Error(`curl -T: storage holds ${stored?.size} bytes`)
  return [put, cpu]
}

/** A fresh upload URL from a create made here, untimed. */
async function createUrl(emulator: Emulator): Promise<{ id: number; url: string }> {
  const response = await fetch(`${emulator.apiUrl}/api/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      project_id: PROJECT,
      name: 'big.bin',
      mime_type: BIG_MIME,
      size_bytes: GiB
    })
  })
  const body = (await response.json()) as { data: { file: { id: number; upload_url: string } } }
  return { id: body.data.file.id, url: body.data.file.upload_url }
}

/** Prints case 2's medians and throughputs. */
function reportLarge(runs: LargeRuns, reps: number): { actionMs: number; curlMs: number } {
  const actionMs = wallOf(runs.action)
  const curlMs = wallOf(runs.curl)
  console.log(
    `  action: median ${ms(actionMs)} (${gibRate(actionMs)} end to end), peak RSS ${mb(rssOf(runs.action))}`
  )
  console.log(`  curl -T: median ${ms(curlMs)} (${gibRate(curlMs)})`)
  console.log(
    `  emulator CPU per run (it hashes the GiB): during the action ${ms(runs.actionCpu / reps)}, during curl ${ms(runs.curlCpu / reps)}`
  )
  return { actionMs, curlMs }
}
