import { statSync } from 'node:fs'
import path from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/** Suites that cover most of src/ end to end: they kill a mutant too, but load and run the most. */
const BROAD = ['action-main', 'cli-main', 'core-upload-files', 'fuzz']

/**
 * Runs focused test files before broad ones, and smaller before larger. Stryker stops a mutant's
 * run at its first failing test, so the cheap test that fails first should come first; vitest's
 * own order (the slowest file first) would start nearly every run with the broad suites.
 */
class FocusedFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const broad = BROAD.includes(path.basename(spec.moduleId, '.test.ts'))
      return (broad ? 1e9 : 0) + statSync(spec.moduleId).size
    }
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId))
  }
}

/**
 * The tests of a mutation run (`npm run mutate`, see stryker.config.json): only those that run
 * src/ in the test's own process, where Stryker's mutants live. Suites that run dist/ in child
 * processes (e2e, faults, release, soak, proxy, interop, chaos, cli, package, library, messages,
 * timeout, base-url, readme, the workflow runner) never reach a mutant and would only cost time;
 * Stryker's sandbox has no dist/ at all. A new test file that imports src/ belongs here.
 */
export default defineConfig({
  // Stryker runs vitest thousands of times and reads the results itself: no file watcher, and a
  // reporter that prints nothing (for a readable run, add --reporter=default on the command line).
  server: { watch: null },
  test: {
    reporters: [{}],
    include: [
      'test/core-*.test.ts',
      'test/action-main.test.ts',
      'test/cli-main.test.ts',
      'test/client.test.ts',
      'test/existing.test.ts',
      'test/files.test.ts',
      'test/format.test.ts',
      'test/fuzz.test.ts',
      'test/glob.test.ts',
      'test/inputs.test.ts',
      'test/list-responses.test.ts',
      'test/manifest.test.ts',
      'test/mime.test.ts',
      'test/outputs.test.ts',
      'test/progress.test.ts',
      'test/responses.test.ts',
      'test/retry.test.ts',
      'test/summary.test.ts'
    ],
    sequence: { sequencer: FocusedFirst },
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
