import { statSync } from 'node:fs'
import path from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/**
 * The tests of a mutation run (`npm run mutate`, see stryker.config.json): only those that run
 * src/ in the test's own process, where Stryker's mutants live. Suites that run dist/ in child
 * processes (e2e, faults, release, soak, proxy, interop, chaos, cli, package, library, messages,
 * timeout, base-url, readme, the workflow runner) never reach a mutant and would only cost time;
 * Stryker's sandbox has no dist/ at all. A new test file that imports src/ belongs in one of the
 * two lists below.
 *
 * Stryker runs vitest once per mutant, so what a run costs besides the tests matters. Each test
 * file normally gets a process of its own, and importing the emulator, undici and src/ again
 * costs more than most tests take. The files in SHARED leave no state behind (no process-wide
 * singletons, fake timers, module mocks or changed directory), so they run in one process per run.
 */
const SHARED = [
  'test/core-*.test.ts',
  'test/client.test.ts',
  'test/existing.test.ts',
  'test/files.test.ts',
  'test/format.test.ts',
  'test/fuzz.test.ts',
  'test/inputs.test.ts',
  'test/list-responses.test.ts',
  'test/mime.test.ts',
  'test/responses.test.ts',
  'test/retry.test.ts'
]

/**
 * Files that change what the process shares: @actions/core's summary file and stdout, the
 * environment, fake timers, the working directory, mocked node:path and node:fs.
 */
const ISOLATED = [
  'test/action-main.test.ts',
  'test/cli-main.test.ts',
  'test/glob.test.ts',
  'test/manifest.test.ts',
  'test/outputs.test.ts',
  'test/progress.test.ts',
  'test/summary.test.ts',
  'test/core-action.test.ts',
  'test/core-summary.test.ts',
  'test/core-send-watch*.test.ts'
]

/** Suites that cover most of src/ end to end: they kill a mutant too, but load and run the most. */
const BROAD = ['action-main', 'cli-main', 'core-upload-files', 'core-cli', 'fuzz']

/**
 * The shared process first (its files one after another, so that they do share it), then the
 * isolated files; focused files before broad ones, smaller before larger. Stryker stops a
 * mutant's run at its first failing test, so the cheap test that fails first should come first;
 * vitest's own order (the slowest file first) would start nearly every run with a broad suite.
 */
class FocusedFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const isolated = spec.project.config.isolate ? 1e12 : 0
      const broad = BROAD.includes(path.basename(spec.moduleId, '.test.ts')) ? 1e9 : 0
      return isolated + broad + statSync(spec.moduleId).size
    }
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId))
  }
}

export default defineConfig({
  // Stryker runs vitest thousands of times and reads the results itself: no file watcher, and a
  // reporter that prints nothing (for a readable run, add --reporter=default on the command line).
  server: { watch: null },
  test: {
    reporters: [{}],
    sequence: { sequencer: FocusedFirst },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: SHARED, exclude: ISOLATED, isolate: false }
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } }
    ]
  }
})
