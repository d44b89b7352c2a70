// What the benchmark cases share: the emulator and the inputs they run the bundle with, the 150
// small files of case 1, the warm-up, and the results table every case adds its rows to.
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/emulator.ts'
import { markdownTable, measure, NODE, onCleanUp, removeDir, runBundle, tempDir } from './lib.ts'

// ── the final table ─────────────────────────────────────────────────────────────────────────────

interface Row {
  case: string
  action: string
  baseline: string
  ratio: string
  target: string
  pass: boolean | undefined
}
const rows: Row[] = []

/** Adds a row to the final table; `pass` undefined makes it an 'info' row. */
export function row(r: Omit<Row, 'pass'>, pass: boolean | undefined): void {
  rows.push({ ...r, pass })
}

/** Whether any row was added yet. */
export function hasRows(): boolean {
  return rows.length > 0
}

export function printTable(): void {
  console.log('\n## Results\n')
  console.log(
    markdownTable(
      ['case', 'action', 'baseline', 'ratio', 'target', 'result'],
      rows.map((r) => [
        r.case,
        r.action,
        r.baseline,
        r.ratio,
        r.target,
        r.pass === undefined ? 'info' : r.pass ? 'pass' : 'FAIL'
      ])
    )
  )
}

// ── the emulator and inputs ─────────────────────────────────────────────────────────────────────

export const KEY = 'bench-key'
export const PROJECT = 1

/** An emulator with the bench's key and project, closed at clean-up unless closed before. */
export async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator({ apiKey: KEY, projects: [PROJECT], ...options })
  const forget = onCleanUp(() => emulator.close())
  const close = emulator.close
  emulator.close = async () => {
    forget()
    await close()
  }
  return emulator
}

export function uploadInputs(
  emulator: Emulator,
  files: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    'auth-key': KEY,
    'project-id': String(PROJECT),
    'base-url': emulator.apiUrl,
    files,
    ...extra
  }
}

export function dryRunInputs(
  files: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return { 'project-id': String(PROJECT), files, 'dry-run': 'true', ...extra }
}

/** One run of each, untimed, so the first timed run does not pay for a cold page cache. */
let warmedUp = false
export async function warmUp(): Promise<void> {
  if (warmedUp) return
  warmedUp = true
  const dir = await tempDir('warm')
  await measure(NODE, ['-e', ''])
  await runBundle({
    workspace: dir,
    inputs: dryRunInputs('nothing-*.none', { 'if-no-files-found': 'ignore' })
  })
  await removeDir(dir)
}

// ── the small files of case 1 (and of the download-url case) ────────────────────────────────────

export const SMALL = { files: 150, size: 2048, latency: 20, concurrency: 8 }

/** The name of small file `i` under the workspace. */
export const smallFile = (i: number): string => `reports/r${String(i).padStart(3, '0')}.json`

/** Throws unless the emulator holds every small file. */
export function expectAllSmall(emulator: Emulator, what: string): void {
  const uploaded = emulator.uploaded().length
  if (uploaded !== SMALL.files) {
    throw new Error(`${what}: the emulator holds ${uploaded} of ${SMALL.files}`)
  }
}
