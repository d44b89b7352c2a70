import type { CorruptOptions } from './types.ts'

/** Corruption once set: its rule, and what it has counted since it was set or reset. */
export interface CorruptRun {
  options: CorruptOptions
  /** PUTs whose bodies storage began to read, since the setting or reset(). */
  puts: number
  /** Names whose first such PUT has been counted. */
  names: Set<string>
}

/** Checks the options and starts counting from 0; undefined turns corruption off. */
export function startCorrupt(options: CorruptOptions | undefined): CorruptRun | undefined {
  if (options === undefined) return undefined
  const { puts } = options
  const valid =
    puts === 'first' ||
    puts === 'always' ||
    typeof puts === 'function' ||
    (Array.isArray(puts) && puts.every((n) => Number.isSafeInteger(n) && n >= 1))
  if (!valid) {
    throw new RangeError(
      "corrupt.puts must be 'first', 'always', PUT numbers from 1, or a function"
    )
  }
  return { options, puts: 0, names: new Set() }
}

/**
 * Counts one PUT whose body storage is about to read and says whether to corrupt what it stores.
 * Every PUT is counted, whether or not the rule's name matches or the body then arrives whole.
 */
export function drawCorrupt(run: CorruptRun | undefined, name: string, key: string): boolean {
  if (!run) return false
  const n = ++run.puts
  const first = !run.names.has(name)
  run.names.add(name)
  const { puts, name: only } = run.options
  if (only !== undefined && !nameMatches(only, name)) return false
  if (puts === 'always') return true
  if (puts === 'first') return first
  if (typeof puts === 'function') return puts({ name, key, n })
  return puts.includes(n)
}

function nameMatches(pattern: string | RegExp, name: string): boolean {
  if (typeof pattern === 'string') return pattern === name
  pattern.lastIndex = 0 // a /g or /y RegExp keeps state between calls
  return pattern.test(name)
}

/**
 * Where the stored bytes differ from the body: one byte, in the middle, inverted. The object keeps
 * its length, so that a check of sizes alone cannot see it. An empty body has no byte to change.
 */
export function corruptOffset(size: number): number | undefined {
  return size > 0 ? Math.floor(size / 2) : undefined
}
