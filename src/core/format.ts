const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** Human-readable byte count: 0 B, 512 B, 1.50 KiB, 10.0 MiB, 4.00 GiB. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  // Move up a unit whenever rounding would print 1024.0 of this one.
  while (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  if (unit === 0) return `${value} B`
  return `${value.toFixed(value < 9.995 ? 2 : 1)} ${UNITS[unit]}`
}

/** Human-readable duration: 850 ms, 1.2 s, 3 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)} ms`
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

/** `2 s` for whole seconds, `300 ms` otherwise. */
export function formatSpan(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** `1 file`, `2 files`: a count with its noun, plural unless the count is one. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** `the file`, `both files`, `all 3 files`: every one of `count` (one or more) things. */
export function allOf(count: number, noun: string): string {
  if (count === 1) return `the ${noun}`
  if (count === 2) return `both ${noun}s`
  return `all ${count} ${noun}s`
}

/** The text with its first letter upper-case, to start a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
