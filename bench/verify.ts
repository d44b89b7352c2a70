// Cases 8 and 9: what `verify` costs. With it, every file is read back once confirmed (GET
// /api/files/{id} for its signed download URL, then GET the URL, hashed as it streams) and
// compared with what was read from disk. Each is timed against the same run without the input,
// on the same emulator, one run of each per repetition, the one that goes first alternating (as in
// release.ts). Case 8 is case 1's 150 small files at 20 ms; case 9 is one 1 GiB file with no
// added latency, stored on disk by the emulator (keepBytes 'disk') so that the download streams
// from a file and this process stays small, and its peak RSS is compared with a dry run's.
//
// Until dist/index.js reads the input, INPUT_VERIFY is ignored: the runs "with" then download
// nothing, which the emulator's log shows; the rows say so and pass or fail nothing.
import path from 'node:path'
import type { Emulator } from '../emulator/emulator.ts'
import { describe, diagnose } from './diagnose.ts'
import {
  dryRunInputs,
  emulatorWith,
  expectAllSmall,
  row,
  SMALL,
  smallFile,
  uploadInputs,
  warmUp
} from './fixtures.ts'
import {
  expectSuccess,
  expectUploaded,
  loadAverage,
  mb,
  ms,
  removeDir,
  rssOf,
  runBundle,
  tempDir,
  times,
  wallOf,
  writeManyFiles,
  type ActionMeasured
} from './lib.ts'
import { alternate, outputFiles } from './release.ts'

/** The targets of issue 21. */
const TARGET = { smallRatio: 1.6, largeRatio: 2.2, rssAboveDry: 20e6 }

const GiB = 1024 * 1024 * 1024

/** One run, with what the emulator saw of the read-backs. */
interface VerifyRun extends ActionMeasured {
  /** GETs of stored objects (the download URLs). */
  downloads: number
}

/** What a case found out about the bundle: whether its runs with verify read anything back. */
type Landed = { landed: true } | { landed: false; note: string }

const NOT_LANDED = 'verify not in dist/index.js: no download seen, nothing measured'

/** Downloads the emulator served since its last reset(). */
function downloadsOf(emulator: Emulator): number {
  return emulator.requests.filter((r) => r.step === 'download' && r.status === 200).length
}

/**
 * One run of the bundle on a fresh emulator state. Without verify it must download nothing (no
 * run gets slower, no read happens); with verify, each file exactly once, or none at all when the
 * bundle predates the input.
 */
async function verifyRun(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>,
  files: number,
  what: string
): Promise<VerifyRun> {
  emulator.reset()
  const run = await runBundle({ workspace: ws, inputs })
  expectUploaded(run, files, what)
  const downloads = downloadsOf(emulator)
  const verifying = inputs.verify === 'true'
  if (!verifying && downloads !== 0) {
    throw new Error(`${what} without verify: ${downloads} downloads, none expected`)
  }
  if (verifying && downloads !== 0 && downloads !== files) {
    throw new Error(`${what} with verify: ${downloads} downloads for ${files} files\n${run.tail}`)
  }
  return { ...run, downloads }
}

/** Whether every run with verify read its files back; throws when only some did. */
function landedIn(runs: VerifyRun[], what: string): Landed {
  const reading = runs.filter((r) => r.downloads > 0).length
  if (reading === runs.length) return { landed: true }
  if (reading === 0) return { landed: false, note: NOT_LANDED }
  throw new Error(`${what}: ${reading} of ${runs.length} runs with verify read files back`)
}

/** The ratio cell, with the note when nothing was measured. */
function ratioCell(ratio: string, landed: Landed): string {
  return landed.landed ? ratio : `${ratio} (${landed.note})`
}

// ── case 8: verify on the 150 small files ───────────────────────────────────────────────────────

/** Case 8: the action with verify against without, on case 1's 150 files at 20 ms. */
export async function caseVerifySmall(reps: number): Promise<void> {
  const { files, size, latency } = SMALL
  console.log(
    `\n## 8. verify: ${files} files of ${size} bytes, ${latency} ms latency, each read back (2 more requests per file)`
  )
  await warmUp()
  // keepBytes (in memory, 300 KiB in all), so that the download URLs serve the bytes.
  const emulator = await emulatorWith({ latencyMs: latency, keepBytes: true })
  const ws = await tempDir('verify-small')
  await writeManyFiles(ws, files, size, smallFile)
  const run = (verify: boolean) => async (): Promise<VerifyRun> => {
    const extra = verify ? { verify: 'true' } : {}
    const done = await verifyRun(
      emulator,
      ws,
      uploadInputs(emulator, 'reports/', extra),
      files,
      'verify'
    )
    expectAllSmall(emulator, 'verify')
    return done
  }
  await run(true)() // warm-up
  await run(false)()
  const runs = await alternate(reps, run(true), run(false))
  const landed = landedIn(runs.a, 'verify, small files')
  const [withMs, withoutMs] = [wallOf(runs.a), wallOf(runs.b)]
  const ratio = withMs / withoutMs
  console.log(
    `  with verify: median ${ms(withMs)}, ${runs.a[0]?.downloads} downloads per run; without: median ${ms(withoutMs)}; ${times(ratio)}, ${ms((withMs - withoutMs) / files)} more per file; load average ${loadAverage()}`
  )
  if (!landed.landed) console.log(`  (${landed.note})`)
  row(
    {
      case: `8. ${files} × 2 KiB, ${latency} ms: verify ÷ without`,
      action: ms(withMs),
      baseline: `${ms(withoutMs)} (without)`,
      ratio: ratioCell(times(ratio), landed),
      target: `≤ ${TARGET.smallRatio}×`
    },
    landed.landed ? ratio <= TARGET.smallRatio : undefined
  )
  await emulator.close()
  await removeDir(ws)
}

// ── case 9: verify on one 1 GiB file ────────────────────────────────────────────────────────────

/** Every run of case 9. */
interface LargeVerifyRuns {
  verify: VerifyRun[]
  plain: VerifyRun[]
  dry: ActionMeasured[]
}

/**
 * Case 9: one 1 GiB file (made by `bigFile`, shared with cases 2 and 4) with verify against
 * without, and the peak RSS of the runs with verify against a dry run of the same file.
 */
export async function caseVerifyLarge(reps: number, bigFile: () => Promise<string>): Promise<void> {
  console.log(
    '\n## 9. verify: one 1 GiB file, no added latency (storage keeps the bytes on disk and streams them back)'
  )
  await warmUp()
  const file = await bigFile()
  const ws = path.dirname(file)
  const name = path.basename(file)
  const emulator = await emulatorWith({ keepBytes: 'disk' })
  const run = (verify: boolean) => async (): Promise<VerifyRun> => {
    const extra = verify ? { verify: 'true' } : {}
    const done = await verifyRun(emulator, ws, uploadInputs(emulator, name, extra), 1, '1 GiB')
    expectStored(emulator, done)
    return done
  }
  const dryRun = async (): Promise<ActionMeasured> => {
    const dry = await runBundle({ workspace: ws, inputs: dryRunInputs(name) })
    expectSuccess(dry, '1 GiB dry run')
    return dry
  }
  await run(true)() // warm-up: the page cache holds the file from here on
  const runs: LargeVerifyRuns = { verify: [], plain: [], dry: [] }
  for (let i = 0; i < reps; i++) {
    const order = i % 2 === 0 ? [true, false] : [false, true]
    for (const verify of order) (verify ? runs.verify : runs.plain).push(await run(verify)())
    runs.dry.push(await dryRun())
    const [v, p, d] = [runs.verify[i]!, runs.plain[i]!, runs.dry[i]!]
    console.log(
      `  run ${i + 1}/${reps} (${i % 2 ? 'without first' : 'with first'}): with ${ms(v.wallMs)} (${mb(v.maxRss)}, CPU ${ms(v.cpuS * 1000)}), without ${ms(p.wallMs)} (${mb(p.maxRss)}), dry run ${mb(d.maxRss)}`
    )
  }
  const landed = landedIn(runs.verify, 'verify, 1 GiB')
  if (landed.landed) {
    emulator.reset()
    const d = await diagnose({
      workspace: ws,
      inputs: uploadInputs(emulator, name, { verify: 'true' })
    })
    console.log('  diagnostic run with verify (untimed):')
    for (const line of describe(d).slice(-2)) console.log(`    ${line}`)
  }
  largeRows(runs, landed)
  await emulator.close()
}

/** Throws unless storage holds the whole GiB, with the sha256 the action reported. */
function expectStored(emulator: Emulator, run: VerifyRun): void {
  const stored = emulator.uploaded()[0]?.stored
  const reported = (outputFiles(run)[0] as { sha256?: string } | undefined)?.sha256
  if (stored?.size !== GiB) throw new Error(`1 GiB: storage holds ${stored?.size} bytes`)
  if (reported !== undefined && reported !== stored.sha256) {
    throw new Error(`1 GiB: the action reported sha256 ${reported}, storage holds ${stored.sha256}`)
  }
}

/** Prints case 9's medians and adds its two rows: the time ratio and the memory above a dry run. */
function largeRows(runs: LargeVerifyRuns, landed: Landed): void {
  const [withMs, withoutMs] = [wallOf(runs.verify), wallOf(runs.plain)]
  const ratio = withMs / withoutMs
  const [rss, plainRss, dryRss] = [rssOf(runs.verify), rssOf(runs.plain), rssOf(runs.dry)]
  const above = rss - dryRss
  const rate = (wall: number): string => `${(((GiB / wall) * 1000) / 1e6).toFixed(0)} MB/s`
  console.log(
    `  with verify: median ${ms(withMs)} (${rate(withMs)} of upload end to end), peak RSS ${mb(rss)}; without: median ${ms(withoutMs)} (${rate(withoutMs)}), peak RSS ${mb(plainRss)}; dry run: peak RSS ${mb(dryRss)}`
  )
  console.log(
    `  ${times(ratio)}; verify adds ${ms(withMs - withoutMs)}; load average ${loadAverage()}`
  )
  if (!landed.landed) console.log(`  (${landed.note})`)
  row(
    {
      case: '9. 1 GiB: verify ÷ without',
      action: ms(withMs),
      baseline: `${ms(withoutMs)} (without)`,
      ratio: ratioCell(times(ratio), landed),
      target: `≤ ${TARGET.largeRatio}×`
    },
    landed.landed ? ratio <= TARGET.largeRatio : undefined
  )
  row(
    {
      case: '9. 1 GiB with verify: peak RSS above dry run',
      action: mb(rss),
      baseline: `${mb(dryRss)} (dry run)`,
      ratio: ratioCell(`${above < 0 ? '−' : '+'}${mb(Math.abs(above))}`, landed),
      target: `≤ ${mb(TARGET.rssAboveDry)}`
    },
    landed.landed ? above <= TARGET.rssAboveDry : undefined
  )
}
