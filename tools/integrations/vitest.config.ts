// The CI integrations' suite (test/integrations/*.spec.ts): each CI's wrapper run the way that CI
// runs it, against a local npm registry and the project's API servers. Kept out of the root's
// `npm test` (whose include is test/**/*.test.ts): it needs the tools of this folder.
import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['test/integrations/**/*.spec.ts'],
    globalSetup: ['test/integrations/support/registry.ts'],
    testTimeout: 150_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The runs wait on child processes and loopback sockets more than they compute.
    maxWorkers: 3
  }
})
