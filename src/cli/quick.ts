import { VERSION } from '../core/version.ts'
import { helpText } from './help.ts'

/**
 * What the bin prints on stdout (exit 0) when the whole command line is `--help`, `-h`,
 * `--version` or `-V`, without loading the CLI's bundle: the text main() would print for it.
 * Undefined for any other command line, which the CLI reads (--help among other flags too).
 */
export function quickAnswer(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined
  const [only] = argv
  if (only === '--help' || only === '-h') return helpText()
  if (only === '--version' || only === '-V') return `${VERSION}\n`
  return undefined
}
