// Starts the emulator from the command line and prints one JSON line with its URLs and key.
import { parseArgs } from 'node:util'
import type { EmulatorOptions, RecordedRequest } from './emulator.ts'
import { startEmulator } from './emulator.ts'
import { openStateLog, type StateLog } from './state.ts'

const USAGE = `usage: npx node emulator/cli.ts [--api files|resources] [--api-port N] [--storage-port N]
  [--host H] [--key K] [--project N ...] [--project-key N=K ...] [--latency-ms N] [--expires S]
  [--expired-form r2|s3|400] [--discard-bytes] [--state-file PATH] [--chaos-rate R --chaos-seed N]
  [--throttle BYTES_PER_SECOND] [--corrupt first|always|N,N... [--corrupt-name REGEXP]] [--help]`

/** Exits with the usage text; bad arguments are the caller's mistake, not a crash. */
function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

function parse() {
  try {
    return parseArgs({
      options: {
        api: { type: 'string' },
        'api-port': { type: 'string' },
        'storage-port': { type: 'string' },
        host: { type: 'string' },
        key: { type: 'string' },
        project: { type: 'string', multiple: true },
        'project-key': { type: 'string', multiple: true },
        'latency-ms': { type: 'string' },
        expires: { type: 'string' },
        'expired-form': { type: 'string' },
        'discard-bytes': { type: 'boolean' },
        'state-file': { type: 'string' },
        'chaos-rate': { type: 'string' },
        'chaos-seed': { type: 'string' },
        throttle: { type: 'string' },
        corrupt: { type: 'string' },
        'corrupt-name': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true
    }).values
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error))
  }
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  return /^\d+$/.test(value) ? Number(value) : usage(`--${flag} must be a whole number`)
}

/** Chaos needs both its rate (a decimal from 0 to 1) and its seed, or neither. */
function chaos(rate: string | undefined, seed: string | undefined): EmulatorOptions['chaos'] {
  if (rate === undefined && seed === undefined) return undefined
  if (rate === undefined || seed === undefined) usage('--chaos-rate and --chaos-seed go together')
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(rate) || Number(rate) > 1) {
    usage('--chaos-rate must be a number from 0 to 1')
  }
  return { rate: Number(rate), seed: integer('chaos-seed', seed)! }
}

function throttle(value: string | undefined): number | undefined {
  const bytesPerSecond = integer('throttle', value)
  if (bytesPerSecond === 0) usage('--throttle must be at least 1 byte per second')
  return bytesPerSecond
}

/** Which PUTs store other bytes than they carried: each name's first, every one, or the n-th ones. */
function corrupt(puts: string | undefined, name: string | undefined): EmulatorOptions['corrupt'] {
  if (puts === undefined) {
    if (name !== undefined) usage('--corrupt-name needs --corrupt')
    return undefined
  }
  let pattern: RegExp | undefined
  try {
    pattern = name === undefined ? undefined : new RegExp(name)
  } catch {
    usage('--corrupt-name must be a regular expression')
  }
  if (puts === 'first' || puts === 'always') return { puts, name: pattern }
  if (!/^[1-9]\d*(,[1-9]\d*)*$/.test(puts)) {
    usage('--corrupt must be first, always, or PUT numbers from 1 such as 1,3')
  }
  return { puts: puts.split(',').map(Number), name: pattern }
}

function api(value: string | undefined): EmulatorOptions['api'] {
  if (value === undefined || value === 'files' || value === 'resources') return value
  return usage('--api must be files or resources')
}

/** `--project-key N=K`: key K belongs to project N. The number comes first: a key may hold '='. */
function projectKeys(pairs: string[] | undefined): EmulatorOptions['keys'] {
  if (pairs === undefined) return undefined
  const keys: Record<string, number> = {}
  for (const pair of pairs) {
    const match = /^([1-9]\d*)=(.+)$/s.exec(pair)
    if (!match) usage('--project-key must be a project number, =, and a key, such as 2=other-key')
    keys[match[2]!] = Number(match[1])
  }
  return keys
}

function expiredForm(value: string | undefined): EmulatorOptions['expiredForm'] {
  if (value === undefined || value === 'r2' || value === 's3' || value === '400') return value
  return usage('--expired-form must be r2, s3 or 400')
}

/** Drops undefined entries, which exactOptionalPropertyTypes does not allow as option values. */
function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T
}

/** The state file, opened (and emptied) before the servers start, so readers always find it. */
function stateLogAt(path: string | undefined): StateLog | undefined {
  try {
    return path === undefined ? undefined : openStateLog(path)
  } catch (error) {
    return usage(`--state-file: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Called just before each answer leaves (or when a request is dropped), with that request. */
function writeState(request: RecordedRequest): void {
  stateLog?.append(request, emulator.files.get(request.fileId ?? Number.NaN))
}

function options(): EmulatorOptions {
  return defined({
    api: api(values.api),
    apiPort: integer('api-port', values['api-port']),
    storagePort: integer('storage-port', values['storage-port']),
    host: values.host,
    apiKey: values.key,
    keys: projectKeys(values['project-key']),
    projects: values.project?.map((p) => integer('project', p)!),
    latencyMs: integer('latency-ms', values['latency-ms']),
    urlExpiresSeconds: integer('expires', values.expires),
    expiredForm: expiredForm(values['expired-form']),
    keepBytes: values['discard-bytes'] === true ? false : undefined,
    chaos: chaos(values['chaos-rate'], values['chaos-seed']),
    storageBytesPerSecond: throttle(values.throttle),
    corrupt: corrupt(values.corrupt, values['corrupt-name']),
    onChange: writeState
  })
}

const values = parse()
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const settings = options()
const stateLog = stateLogAt(values['state-file'])
const emulator = await startEmulator(settings).catch((error: unknown) => {
  process.stderr.write(
    `emulator failed to start: ${error instanceof Error ? error.message : error}\n`
  )
  return process.exit(1)
})
const { apiUrl, storageUrl, apiKey } = emulator
process.stdout.write(`${JSON.stringify({ apiUrl, storageUrl, apiKey, api: emulator.api })}\n`)

async function shutdown(): Promise<void> {
  await emulator.close()
  stateLog?.close()
  process.exit(0)
}
process.once('SIGINT', () => void shutdown())
process.once('SIGTERM', () => void shutdown())
