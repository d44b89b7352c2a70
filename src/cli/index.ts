#!/usr/bin/env node
// The bin. ES modules evaluate their static imports before their own body, so the check of the
// Node.js version comes in a bundle of its own, which loads the CLI (run.ts, built into
// dist/cli/run/) only when the check has passed: an import that ncc leaves as it is. A command
// line of only --help or --version is answered here, without the CLI's start-up.
import { tooOldNode } from '../core/engines.ts'
import { quickAnswer } from './quick.ts'

const tooOld = tooOldNode('empiricalrun-upload', process.version)
const answer = tooOld === undefined ? quickAnswer(process.argv.slice(2)) : undefined
if (tooOld !== undefined) {
  process.stderr.write(`${tooOld}\n`)
  process.exitCode = 1
} else if (answer !== undefined) {
  process.stdout.write(answer)
} else {
  const cli = './run/index.js'
  await import(/* webpackIgnore: true */ cli)
}
