import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files spend their time waiting on child processes and loopback sockets, not on a core:
    // three at once on two cores (where vitest's default is one) take a third off the run.
    maxWorkers: 3
  }
})
