// Node 20, older than package.json's engines allow, for the tests that the bin and the library
// refuse it in one line: tools/node20 holds it apart from the root package, whose
// node_modules/.bin/node stays Node 24.
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './cli.ts'

const run = promisify(execFile)

/** Node 20, from tools/node20 (which .ci/run installs, as it does tools/node22). */
export const NODE20 = path.join(ROOT, 'tools/node20/node_modules/node/bin/node')

/** Installs tools/node20 unless it is there: one `npm ci` on a fresh checkout. */
export async function installNode20(): Promise<void> {
  try {
    await access(NODE20, constants.X_OK)
  } catch {
    // npm test sets npm_config_* variables, which would apply to this npm too.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))
    )
    const flags = ['--prefix', 'tools/node20', '--no-audit', '--no-fund', '--loglevel=error']
    await run('npm', ['ci', ...flags], { cwd: ROOT, env })
  }
}
