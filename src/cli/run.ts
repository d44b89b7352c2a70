// The CLI in the process: its heap, its signals and streams. The bin (index.ts) loads it, from
// dist/cli/run/index.js, once it has checked the Node.js version.
import { tuneHeap } from '../core/heap.ts'
import { Exit, main } from './main.ts'

tuneHeap()
const stop = new AbortController()
let stoppedBy: number | undefined
/** The first signal settles what is in flight; a second one ends the process at once. */
const onSignal = (code: number) => (): void => {
  if (stoppedBy !== undefined) process.exit(stoppedBy)
  stoppedBy = code
  stop.abort()
}
process.on('SIGINT', onSignal(Exit.Interrupted))
process.on('SIGTERM', onSignal(Exit.Terminated))
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stop: { signal: stop.signal, stoppedBy: () => stoppedBy }
})
