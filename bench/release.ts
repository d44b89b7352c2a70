// Cases 6 and 7: what the release inputs cost. skip-existing lists the whole project before
// uploading; download-url reads each file back once confirmed. Each is timed against the same run
// without the input, on the same emulator (20 ms on every request), one run of each per
// repetition, the one that goes first alternating, so that noise falls on both alike.
import type { Emulator, SeedEntry } from '../emulator/emulator.ts'
import {
  emulatorWith,
  expectAllSmall,
  PROJECT,
  row,
  SMALL,
  smallFile,
  uploadInputs,
  warmUp
} from './fixtures.ts'
import {
  expectUploaded,
  loadAverage,
  ms,
  removeDir,
  runBundle,
  tempDir,
  times,
  wallOf,
  writeManyFiles,
  type ActionMeasured
} from './lib.ts'

/** One entry of the action's `files` output, as far as these cases read it. */
export interface OutputFile {
  name?: string
  existing?: boolean
  url?: string
}

/** The `files` output of a run, parsed. */
export function outputFiles(run: ActionMeasured): OutputFile[] {
  return JSON.parse(run.outputs.files || '[]') as OutputFile[]
}

/** Runs `a` and `b` once per repetition, `a` first on even ones and `b` first on odd ones. */
export async function alternate<T extends { wallMs: number }>(
  reps: number,
  a: () => Promise<T>,
  b: () => Promise<T>
): Promise<{ a: T[]; b: T[] }> {
  const runs = { a: [] as T[], b: [] as T[] }
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) runs.a.push(await a())
    runs.b.push(await b())
    if (i % 2 === 1) runs.a.push(await a())
    console.log(
      `  run ${i + 1}/${reps} (${i % 2 ? 'without first' : 'with first'}): with ${ms(runs.a[i]!.wallMs)}, without ${ms(runs.b[i]!.wallMs)}`
    )
  }
  return runs
}

// ── case 6: skip-existing with 10,000 uploaded files in the project ─────────────────────────────

const LISTING = { seeded: 10_000, files: 20, size: 2048, latency: 20, perPage: 100, budgetMs: 1000 }

/** Names that no local file has, so that every local file is still uploaded. */
const SEEDED: SeedEntry[] = Array.from({ length: LISTING.seeded }, (_, i) => ({
  project_id: PROJECT,
  name: `old-${String(i + 1).padStart(5, '0')}.txt`,
  size_bytes: LISTING.size
}))

interface ListingRun extends ActionMeasured {
  /** GET /api/files requests the run made. */
  lists: number
}

/** Case 6: the action with skip-existing against without, over a project of 10,000 records. */
export async function caseListing(reps: number): Promise<void> {
  const { seeded, files, size, latency } = LISTING
  console.log(
    `\n## 6. skip-existing: ${seeded.toLocaleString('en')} uploaded records in the project, ${files} files of ${size} bytes to upload, ${latency} ms latency`
  )
  await warmUp()
  const emulator = await emulatorWith({ latencyMs: latency, keepBytes: false })
  const ws = await tempDir('listing')
  await writeManyFiles(ws, files, size, (i) => `site/p${String(i).padStart(2, '0')}.html`)
  const skipping = (): Promise<ListingRun> =>
    listingRun(emulator, ws, uploadInputs(emulator, 'site/', { 'skip-existing': 'true' }))
  const plain = (): Promise<ListingRun> => listingRun(emulator, ws, uploadInputs(emulator, 'site/'))
  await skipping() // warm-up
  await plain()
  const runs = await alternate(reps, skipping, plain)
  reportListing(runs.a, runs.b)
  await emulator.close()
  await removeDir(ws)
}

/** One run on a fresh emulator seeded with the old records; throws unless it uploaded every file. */
async function listingRun(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>
): Promise<ListingRun> {
  const { seeded, files, perPage } = LISTING
  emulator.reset()
  emulator.seedFiles(SEEDED)
  const run = await runBundle({ workspace: ws, inputs })
  expectUploaded(run, files, 'listing')
  if (outputFiles(run).some((f) => f.existing !== false)) {
    throw new Error(`listing: a file was taken for an existing one\n${run.outputs.files}`)
  }
  if (emulator.uploaded().length !== seeded + files) throw new Error('listing: emulator disagrees')
  const lists = emulator.requests.filter((r) => r.step === 'list').length
  const pages = Math.ceil(seeded / perPage)
  if (inputs['skip-existing'] === 'true' && lists < pages) {
    throw new Error(`listing: ${lists} list requests, fewer than the ${pages} pages`)
  }
  return { ...run, lists }
}

/** Prints case 6's medians and adds its row. */
function reportListing(skipping: ListingRun[], plain: ListingRun[]): void {
  const { seeded, latency, budgetMs } = LISTING
  const withMs = wallOf(skipping)
  const withoutMs = wallOf(plain)
  const added = withMs - withoutMs
  const lists = [...new Set(skipping.map((r) => r.lists))].join('/')
  console.log(
    `  with skip-existing: median ${ms(withMs)}, ${lists} list requests per run; without: median ${ms(withoutMs)}, ${plain[0]?.lists} list requests`
  )
  console.log(`  listing adds ${ms(added)}; load average ${loadAverage()}`)
  row(
    {
      case: `6. skip-existing, ${seeded.toLocaleString('en')} records (${lists} list requests), ${latency} ms: added time`,
      action: ms(withMs),
      baseline: `${ms(withoutMs)} (without)`,
      ratio: `${added < 0 ? '−' : '+'}${ms(Math.abs(added))}`,
      target: `≤ +${ms(budgetMs)}`
    },
    added <= budgetMs
  )
}

// ── case 7: download-url on the 150 small files ─────────────────────────────────────────────────

const MAX_URL_RATIO = 1.4

/** Case 7: the action with download-url against without, on case 1's 150 files. */
export async function caseDownloadUrl(reps: number): Promise<void> {
  const { files, size, latency } = SMALL
  console.log(
    `\n## 7. download-url: ${files} files of ${size} bytes, ${latency} ms latency, one GET per file for its URL`
  )
  await warmUp()
  const emulator = await emulatorWith({ latencyMs: latency, keepBytes: false })
  const ws = await tempDir('urls')
  await writeManyFiles(ws, files, size, smallFile)
  const withUrls = (): Promise<ActionMeasured> =>
    urlRun(emulator, ws, uploadInputs(emulator, 'reports/', { 'download-url': 'true' }))
  const plain = (): Promise<ActionMeasured> =>
    urlRun(emulator, ws, uploadInputs(emulator, 'reports/'))
  await withUrls() // warm-up
  await plain()
  const runs = await alternate(reps, withUrls, plain)
  reportUrls(wallOf(runs.a), wallOf(runs.b))
  await emulator.close()
  await removeDir(ws)
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

/** Prints case 7's medians and adds its row. */
function reportUrls(withMs: number, withoutMs: number): void {
  const { files, latency } = SMALL
  const ratio = withMs / withoutMs
  console.log(
    `  with download-url: median ${ms(withMs)}; without: median ${ms(withoutMs)}; ${times(ratio)}, ${ms((withMs - withoutMs) / files)} more per file; load average ${loadAverage()}`
  )
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
}
