#!/usr/bin/env node
// The bin. ES modules evaluate their static imports before their own body, so the check of the
// Node.js version comes in a bundle of its own, which loads the CLI (run.ts, built into
// dist/cli/run/) only when the check has passed: an import that ncc leaves as it is.
import { tooOldNode } from './engines.ts'

const tooOld = tooOldNode(process.version)
if (tooOld === undefined) {
  const cli = './run/index.js'
  await import(/* webpackIgnore: true */ cli)
} else {
  process.stderr.write(`${tooOld}\n`)
  process.exitCode = 1
}
