// The benchmarks behind bench/README.md: `npm run bench` (add `-- --quick` for fewer repetitions
// without the 4 GiB and 10,000-file runs, `-- --only <case>[,…]` or `-- <case> …` for some cases,
// by name or number). Each case is a file of bench/cases/; what they share is in fixtures.ts, how they run
// processes and measure them in lib.ts. This driver parses the arguments, installs the signal
// handlers, runs the chosen cases in order and prints the results table; it does so only when run
// (`node bench/run.ts`), not when imported.
//
// Everything runs in this one process tree on loopback: the emulator of the Files API and of
// presigned storage lives in this process, and the bundled dist/index.js is spawned exactly as a
// runner spawns it (INPUT_* environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, cwd = the
// workspace), under GNU time for its peak RSS. Wall times are taken here, from just before spawn()
// to the child's exit. Note that the emulator shares this machine's two cores with the action: it
// hashes every uploaded byte and signs every URL, as storage and the API would, but elsewhere.
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { downloadUrl } from './cases/download-url.ts'
import { largeFile } from './cases/large-file.ts'
import { manyFiles } from './cases/many-files.ts'
import { memory } from './cases/memory.ts'
import { skipExisting } from './cases/skip-existing.ts'
import { smallFiles400 } from './cases/small-400.ts'
import { smallFiles } from './cases/small-files.ts'
import { startUp } from './cases/start-up.ts'
import { verifyLarge } from './cases/verify-large.ts'
import { verifySmall } from './cases/verify-small.ts'
import { printTable, warmUp, type BenchCase, type Reps, type Row } from './fixtures.ts'
import { cleanUp, DIST, loadAverage, mb, measure, ms, NODE } from './lib.ts'

/** Every case, in the order they run; a case's number is its place here. */
export const CASES: readonly BenchCase[] = [
  smallFiles,
  largeFile,
  manyFiles,
  memory,
  startUp,
  skipExisting,
  downloadUrl,
  verifySmall,
  verifyLarge,
  smallFiles400
]

const CASE_NAMES = `${CASES.map((c) => c.name).join('|')}|1-${CASES.length}`
const USAGE = `usage: npm run bench -- [--quick] [--only <case>[,…]] [<case> …]\n  <case>: ${CASE_NAMES}`

/** What the command line asks for: `only` in the order given, which the header repeats. */
export interface Choice {
  quick: boolean
  only: Set<BenchCase>
}

/** Parses the arguments; prints the usage and exits on --help or a mistake. */
export function parseCli(args: string[]): Choice {
  let values: { quick?: boolean; only?: string; help?: boolean }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: true
    }))
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(USAGE)
    for (const c of CASES)
      console.log(`  ${String(c.number).padStart(2)}  ${c.name.padEnd(12)}  ${c.measures}`)
    process.exit(0)
  }
  // Cases named after the options count as --only's: `npm run bench -- small-150 small-400`.
  const named = [...(values.only?.split(',') ?? []), ...positionals]
  const only = new Set<BenchCase>()
  for (const raw of named.length > 0 ? named : CASES.map((c) => c.name)) {
    const chosen = /^\d+$/.test(raw)
      ? CASES.find((c) => c.number === Number(raw))
      : CASES.find((c) => c.name === raw)
    if (!chosen) {
      console.error(`unknown case '${raw}'\n${USAGE}`)
      process.exit(2)
    }
    only.add(chosen)
  }
  return { quick: values.quick ?? false, only }
}

/** The repetitions of each kind of run (see Reps). */
export function repetitions(quick: boolean): Reps {
  return quick
    ? { small: 3, medium: 1, big: 1, many: 1, pair: 3, floor: 3 }
    : { small: 5, medium: 3, big: 3, many: 3, pair: 7, floor: 3 }
}

/** The header: the machine, Node, curl, the bundle, the mode and the cases. */
async function machine({ quick, only }: Choice): Promise<void> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '')
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown'
  const curl = await measure('curl', ['--version'], { gnuTime: false })
  const bundle = (await readFile(DIST)).length
  console.log('# Benchmarks of the bundled action (dist/index.js) against the local emulator\n')
  console.log(
    `machine: ${model}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`
  )
  console.log(
    `node ${process.version} (${NODE}); ${curl.tail.split('\n')[0]?.split(' ').slice(0, 2).join(' ')}; bundle ${mb(bundle)}`
  )
  console.log(
    `mode: ${quick ? 'quick' : 'full'}; cases: ${[...only].map((c) => c.name).join(', ')}`
  )
  console.log(`load average at the start: ${loadAverage()}`)
  if (os.loadavg()[0]! > 0.5) {
    console.log('  (other work is running on this machine: expect noisier figures, slower ones)')
  }
}

/**
 * Runs the cases the arguments choose, in order, and prints the table. Ctrl-C (or SIGTERM) kills
 * what runs and cleans up; a failure prints the rows of the cases done so far and sets exit code 1.
 */
export async function main(args: string[]): Promise<void> {
  const choice = parseCli(args)
  const options = { quick: choice.quick, reps: repetitions(choice.quick) }
  let interrupted = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return
    interrupted = true
    console.error(`\n${signal}: stopping, cleaning up`)
    void cleanUp().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  const started = performance.now()
  const rows: Row[] = []
  try {
    await machine(choice)
    for (const benchCase of CASES) {
      if (!choice.only.has(benchCase)) continue
      const caseStarted = performance.now()
      console.log(`\n## ${benchCase.number}. ${benchCase.measures}`)
      await warmUp()
      rows.push(...(await benchCase.run(options)))
      console.log(`  (case took ${ms(performance.now() - caseStarted)})`)
    }
    printTable(rows)
    console.log(`\nload average at the end: ${loadAverage()}`)
    console.log(
      `Linearity target (time per file, 10,000 ÷ 5,000 files): ≤ 1.25×. "idle" = the bundle on a dry run of the same file. MB = 10^6 bytes. Total ${ms(performance.now() - started)}.`
    )
  } catch (error) {
    process.exitCode = 1
    // After Ctrl-C the children were killed on purpose: their failures are not news.
    if (!interrupted) {
      console.error(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`
      )
      if (rows.length > 0) printTable(rows)
    }
  } finally {
    if (!interrupted) await cleanUp()
  }
}

if (import.meta.main) await main(process.argv.slice(2))
