import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'vite'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'
import { keptForks } from './tools/kept-forks/kept-forks.ts'

/**
 * The tests of a mutation run (`npm run mutate`, see stryker.config.json) are the folders that run
 * src/ in the test's own process, where Stryker's mutants live: test/core/, test/action/,
 * test/cli/ and test/lib/. A new test file there is in the run by being there. The other
 * folders never reach a mutant: test/bundle/ runs dist/ in child processes (Stryker's sandbox has
 * no dist/ at all), test/emulator/ tests the emulator, test/repo/ the repository, and
 * test/reference/ and test/property/ ask @actions/glob or fast-check again and again for what the
 * in-process folders check against kept answers.
 *
 * Stryker runs vitest once per mutant, so what a run costs besides the tests matters. Each test
 * file normally gets a process of its own, and starting Node and loading vitest, undici and
 * @actions/core again costs more than most tests take. The in-process files leave no state behind
 * (fake timers, spies, a changed directory or environment, @actions/core's summary path are all
 * restored or forgotten), so they share one process, which also serves the runs that follow: see
 * KEEP_PROCESSES.
 */
const SHARED = [
  'test/core/**/*.test.ts',
  'test/action/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/lib/**/*.test.ts'
]

/**
 * Stryker stops a mutant's run at its first failing test, so the files likeliest to fail come
 * first. Stryker names the mutated file (`vitest.related` in stryker.config.json, which also keeps
 * the run to the test files that import it): its own test file
 * (test/core/results/report.test.ts for src/core/results/report.ts) runs first, then the files
 * that import it directly, then the rest; within each, the smaller file first, since a small file
 * is a focused one. (vitest's own order, the slowest file first, would start nearly every run with
 * the broadest suite.)
 */
class LikeliestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const mutated = this.ctx.config.related?.length === 1 ? this.ctx.config.related[0] : undefined
    const rank = (spec: TestSpecification): number => (mutated ? closeness(spec, mutated) : 0)
    const size = (spec: TestSpecification): number => statSync(spec.moduleId).size
    return [...files].sort(
      (a, b) => rank(a) - rank(b) || size(a) - size(b) || a.moduleId.localeCompare(b.moduleId)
    )
  }
}

/** 0 for the test file of the module `source`, 1 for a file that imports it, 2 for the others. */
function closeness(spec: TestSpecification, source: string): number {
  const module = path.basename(source).replace(/\.ts$/, '')
  if (path.basename(spec.moduleId) === `${module}.test.ts`) return 0
  const relative = path.relative(path.dirname(spec.moduleId), source).split(path.sep).join('/')
  return readFileSync(spec.moduleId, 'utf8').includes(`'${relative}'`) ? 1 : 2
}

// Each isolated file's run starts a new worker, which loads vitest, undici and @actions/core again,
// as does each kept process when it starts: V8's compile cache, which the workers inherit through
// the environment, saves a fifth of that.
process.env.NODE_COMPILE_CACHE ??= path.resolve('node_modules/.cache/node-compile-cache')

/**
 * The shared project runs in processes that serve one run after another
 * (tools/kept-forks/kept-forks.ts): a mutant's run then costs its tests and little more, and the
 * whole mutation run takes less than half as long. The test files and their support are evaluated
 * afresh in each run; src/ and emulator/ stay loaded, because their modules keep no state that a
 * test changes (the emulator's are caches of pure values) and Stryker switches a mutant on and off
 * at call time, so evaluating them again would only repeat the same code (it was half of a
 * typical mutant's run). The pool is set once the projects are
 * resolved, because Stryker names its own pool on vitest's command line, which would override a
 * `pool` in the config.
 */
const POOL = keptForks({ keepLoaded: ['src', 'emulator'] })
const KEEP_PROCESSES: Plugin = {
  name: 'kept-forks',
  configureVitest({ project }) {
    if (project.name === 'shared') {
      project.config.pool = POOL.name
      project.config.poolRunner = POOL
    }
  }
}

export default defineConfig({
  plugins: [KEEP_PROCESSES],
  // Stryker runs vitest thousands of times and reads the results itself: no file watcher, and a
  // reporter that prints nothing (for a readable run, add --reporter=default on the command line).
  server: { watch: null },
  test: {
    reporters: [{}],
    sequence: { sequencer: LikeliestFirst },
    // A mutant that makes a test crawl (a walk that loops, a wait that never ends) is caught at 3 s:
    // the tests here take well under a second each, and Stryker's own limit costs a restart.
    testTimeout: 3_000,
    hookTimeout: 10_000,
    projects: [{ extends: true, test: { name: 'shared', include: SHARED, isolate: false } }]
  }
})
