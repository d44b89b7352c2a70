import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// Importing a module of bench/ starts nothing: `npm run bench` runs bench/run.ts, and only its
// `import.meta.main` block runs the cases. One child process imports every module under bench/
// (bench/probe.mjs aside: it is the preload of diagnostic runs, for `node --import` alone) with
// the ways of starting something watched, and reports what they saw.
const BENCH = path.join(import.meta.dirname, '..', '..', 'bench')

/** Every TypeScript module under bench/, by its path relative to bench/. */
function benchModules(): string[] {
  return readdirSync(BENCH, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(path.sep).join('/'))
    .sort()
}

/**
 * Runs in the child: wraps child_process's ways of starting a process and net.Server's listen
 * before importing the modules, then prints one JSON line of what was started, whose signal
 * listeners changed, which handles are open that were not before, and all else that was written
 * to stdout or stderr.
 */
const WATCH = `
import childProcess from 'node:child_process'
import net from 'node:net'
import { syncBuiltinESMExports } from 'node:module'
import { pathToFileURL } from 'node:url'
const seen = { started: [], signals: [], output: '' }
for (const name of ['spawn', 'spawnSync', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork']) {
  const real = childProcess[name]
  childProcess[name] = (...args) => (seen.started.push(name + ' ' + args[0]), real(...args))
}
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  seen.started.push('listen')
  return listen.apply(this, args)
}
syncBuiltinESMExports()
const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }
const report = process.stdout.write.bind(process.stdout)
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk) => ((seen.output += String(chunk)), true)
}
const handlesBefore = process.getActiveResourcesInfo()
for (const file of JSON.parse(process.env.BENCH_MODULES)) await import(pathToFileURL(file).href)
for (const signal of ['SIGINT', 'SIGTERM']) {
  if (process.listenerCount(signal) !== before[signal]) seen.signals.push(signal)
}
seen.handles = process.getActiveResourcesInfo()
for (const resource of handlesBefore) seen.handles.splice(seen.handles.indexOf(resource), 1)
report(JSON.stringify(seen) + '\\n')
`

describe('bench/', () => {
  it('holds the driver, its helpers and one module a case', () => {
    const modules = benchModules()
    expect(modules).toContain('run.ts')
    expect(modules.filter((m) => m.startsWith('cases/')).length).toBe(9)
  })

  it('starts nothing when its modules are imported: no process, server, signal handler or output', () => {
    const modules = benchModules().map((m) => path.join(BENCH, m))
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', WATCH], {
      env: { ...process.env, BENCH_MODULES: JSON.stringify(modules) },
      encoding: 'utf8',
      timeout: 10_000
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    expect(JSON.parse(child.stdout)).toEqual({ started: [], signals: [], output: '', handles: [] })
  })
})
