// Case 6: what `skip-existing` costs. It lists the whole project before uploading: 10,000 records
// here, none of them a local file's, so every file is still uploaded. Timed against the same run
// without the input, on the same emulator (20 ms on every request), one run of each per
// repetition, the one that goes first alternating, so that noise falls on both alike.
import type { Emulator, SeedEntry } from '../../emulator/emulator.ts'
import {
  alternate,
  emulatorWith,
  outputFiles,
  PROJECT,
  row,
  uploadInputs,
  type BenchCase,
  type Row
} from '../fixtures.ts'
import {
  expectUploaded,
  loadAverage,
  ms,
  removeDir,
  runBundle,
  tempDir,
  wallOf,
  writeManyFiles,
  type ActionMeasured
} from '../lib.ts'

const LISTING = { seeded: 10_000, files: 20, size: 2048, latency: 20, perPage: 100, budgetMs: 1000 }

/** Names that no local file has, so that every local file is still uploaded. */
const seeded = (): SeedEntry[] =>
  Array.from({ length: LISTING.seeded }, (_, i) => ({
    project_id: PROJECT,
    name: `old-${String(i + 1).padStart(5, '0')}.txt`,
    size_bytes: LISTING.size
  }))

interface ListingRun extends ActionMeasured {
  /** GET /api/files requests the run made. */
  lists: number
}

export const skipExisting: BenchCase = {
  number: 6,
  name: 'listing',
  measures: `skip-existing: ${LISTING.seeded.toLocaleString('en')} uploaded records in the project, ${LISTING.files} files of ${LISTING.size} bytes to upload, ${LISTING.latency} ms latency`,
  async run({ reps }) {
    const { files, size, latency } = LISTING
    const emulator = await emulatorWith({ latencyMs: latency, keepBytes: false })
    const ws = await tempDir('listing')
    await writeManyFiles(ws, files, size, (i) => `site/p${String(i).padStart(2, '0')}.html`)
    const records = seeded()
    const run = (extra: Record<string, string>) => (): Promise<ListingRun> =>
      listingRun(emulator, ws, records, uploadInputs(emulator, 'site/', extra))
    const runs = await alternate(reps.pair, run({ 'skip-existing': 'true' }), run({}), {
      warmUp: true
    })
    await emulator.close()
    await removeDir(ws)
    return [reportListing(runs.a, runs.b)]
  }
}

/** One run on a fresh emulator seeded with the old records; throws unless it uploaded every file. */
async function listingRun(
  emulator: Emulator,
  ws: string,
  records: SeedEntry[],
  inputs: Record<string, string>
): Promise<ListingRun> {
  const { files, perPage } = LISTING
  emulator.reset()
  emulator.seedFiles(records)
  const run = await runBundle({ workspace: ws, inputs })
  expectUploaded(run, files, 'listing')
  if (outputFiles(run).some((f) => f.existing !== false)) {
    throw new Error(`listing: a file was taken for an existing one\n${run.outputs.files}`)
  }
  if (emulator.uploaded().length !== records.length + files) {
    throw new Error('listing: emulator disagrees')
  }
  const lists = emulator.requests.filter((r) => r.step === 'list').length
  const pages = Math.ceil(records.length / perPage)
  if (inputs['skip-existing'] === 'true' && lists < pages) {
    throw new Error(`listing: ${lists} list requests, fewer than the ${pages} pages`)
  }
  return { ...run, lists }
}

/** Prints case 6's medians and returns its row. */
function reportListing(skipping: ListingRun[], plain: ListingRun[]): Row {
  const { seeded, latency, budgetMs } = LISTING
  const withMs = wallOf(skipping)
  const withoutMs = wallOf(plain)
  const added = withMs - withoutMs
  const lists = [...new Set(skipping.map((r) => r.lists))].join('/')
  console.log(
    `  with skip-existing: median ${ms(withMs)}, ${lists} list requests per run; without: median ${ms(withoutMs)}, ${plain[0]?.lists} list requests`
  )
  console.log(`  listing adds ${ms(added)}; load average ${loadAverage()}`)
  return row(
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
