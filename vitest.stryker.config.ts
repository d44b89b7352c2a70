import { statSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'vite'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'
import { keptForks } from './test/support/kept-forks.ts'

/**
 * The tests of a mutation run (`npm run mutate`, see stryker.config.json): only those that run
 * src/ in the test's own process, where Stryker's mutants live. Suites that run dist/ in child
 * processes (e2e, faults, release, soak, proxy, interop, chaos, cli, package, library, messages,
 * timeout, base-url, readme, the workflow runner) never reach a mutant and would only cost time;
 * Stryker's sandbox has no dist/ at all. A new test file that imports src/ belongs in one of the
 * two lists below.
 *
 * test/glob.test.ts is left out too: test/core-glob.test.ts and test/core-glob-windows.test.ts
 * compare the same cases with @actions/glob's answers kept on disk, where glob.test.ts asks
 * @actions/glob again each time (seconds per mutant). So is test/fuzz.test.ts: in a measured full
 * run, every mutant it reached was killed by another file, or by none.
 *
 * Stryker runs vitest once per mutant, so what a run costs besides the tests matters. Each test
 * file normally gets a process of its own, and starting Node and loading vitest, undici and
 * @actions/core again costs more than most tests take. The files in SHARED leave no state behind
 * (fake timers, spies, a changed directory or environment are all restored after the test or the
 * file), so they run in one process, which also serves the runs that follow: see KEEP_PROCESSES.
 */
const SHARED = [
  'test/core-*.test.ts',
  'test/cli-engines.test.ts',
  'test/cli-main.test.ts',
  'test/cli-quick.test.ts',
  'test/client.test.ts',
  'test/existing.test.ts',
  'test/files.test.ts',
  'test/format.test.ts',
  'test/inputs.test.ts',
  'test/list-responses.test.ts',
  'test/manifest.test.ts',
  'test/mime.test.ts',
  'test/outputs.test.ts',
  'test/responses.test.ts',
  'test/retry.test.ts'
]

/**
 * Files that cannot share a process: those that write @actions/core's job summary, which keeps
 * the first summary path it reads for the life of the process, and progress.test.ts, after whose
 * fake setInterval and performance the progress timers of later files in the same process no
 * longer fire.
 */
const ISOLATED = [
  'test/action-main.test.ts',
  'test/core-action.test.ts',
  'test/core-summary.test.ts',
  'test/progress.test.ts',
  'test/summary.test.ts'
]

/**
 * The order in which a mutant's test files run, those that kill the most mutants per second first,
 * as measured in a full run: Stryker stops a mutant's run at its first failing test, so a cheap
 * file that fails should come before a broad suite that would fail too, only later. (vitest's own
 * order, the slowest file first, would start nearly every run with a broad suite.) The broad
 * suites, which run every module from the command line or the action down, come last. Files not
 * listed run before the broad suites, smaller ones first. Files of the isolated project always run
 * after the shared process, whatever the order, each in a process of its own.
 */
const ORDER = [
  'mime',
  'retry',
  'format',
  'core-errors',
  'responses',
  'core-responses',
  'list-responses',
  'manifest',
  'core-send-watch',
  'inputs',
  'outputs',
  'existing',
  'core-retry',
  'core-client',
  'core-send-watch-history',
  'files',
  'core-files',
  'client',
  'core-glob',
  'core-glob-windows',
  'core-upload'
]
const BROAD = ['core-cli', 'cli-main', 'core-upload-files', 'action-main']

/** The broad suites that share a process: a second one, started only if the focused files pass. */
const SHARED_BROAD = [
  'test/core-cli.test.ts',
  'test/cli-engines.test.ts',
  'test/cli-main.test.ts',
  'test/core-upload-files.test.ts'
]

class KillersFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const name = path.basename(spec.moduleId, '.test.ts')
      if (ORDER.includes(name)) return ORDER.indexOf(name)
      if (BROAD.includes(name)) return 2e9 + BROAD.indexOf(name)
      return 1e9 + statSync(spec.moduleId).size
    }
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId))
  }
}

// Each isolated file's run starts a new worker, which loads vitest, undici and @actions/core again,
// as does each kept process when it starts: V8's compile cache, which the workers inherit through
// the environment, saves a fifth of that.
process.env.NODE_COMPILE_CACHE ??= path.resolve('node_modules/.cache/node-compile-cache')

/**
 * The shared and broad projects run in processes that serve one run after another, with the
 * project's modules evaluated afresh in each (test/support/kept-forks.ts): a mutant's run then
 * costs its tests and little more, and the whole mutation run takes less than half as long. The
 * pool is set once the projects are resolved, because Stryker names its own pool on vitest's
 * command line, which would override a `pool` in the config. The isolated files keep vitest's own.
 */
const KEEP_PROCESSES: Plugin = {
  name: 'kept-forks',
  configureVitest({ project }) {
    if (project.name === 'shared' || project.name === 'broad') {
      project.config.pool = keptForks.name
      project.config.poolRunner = keptForks
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
    sequence: { sequencer: KillersFirst },
    // A mutant that makes a test crawl (a walk that loops, a wait that never ends) is caught at 3 s:
    // the tests here take well under a second each, and Stryker's own limit costs a restart.
    testTimeout: 3_000,
    hookTimeout: 10_000,
    // vitest imports every file of a shared process before it runs the first, and most mutants
    // fail in a focused file: the broad suites get a process of their own, started after the
    // focused files' and only when none of them failed.
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: SHARED,
          exclude: [...ISOLATED, ...SHARED_BROAD],
          isolate: false
        }
      },
      {
        extends: true,
        test: { name: 'broad', include: SHARED_BROAD, isolate: false, sequence: { groupOrder: 1 } }
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } }
    ]
  }
})
