// The core the three wrappers share (integrations/shared/upload.sh), under bats with npx stubbed,
// in dash (Debian's sh, as in a slim image) and in bash (CircleCI's shell, and Bitrise's).
import { describe, it } from 'vitest'
import { bats, expectBatsPassed } from './support/ci.ts'

describe('the shared core', () => {
  it.each(['sh', 'bash'])('passes its bats tests under %s', async (shell) => {
    expectBatsPassed(
      await bats(['test/integrations/shared/upload.bats'], { CORE_SHELL: shell }),
      18
    )
  })
})
