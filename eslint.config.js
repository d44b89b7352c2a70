import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', 'emulator/**', 'tools/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' }
  },
  {
    // The suites that run dist/ run it through test/support/bundle.ts, which checks every run.
    files: ['test/bundle/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '../../scripts/run-action.ts',
              importNames: ['runAction', 'makeWorkspace'],
              message: 'Use runAction and workspace from test/support/bundle.ts.'
            },
            {
              name: '../support/cli.ts',
              importNames: ['runCli', 'runCliInTerminal'],
              message: 'Use runCli and runCliInTerminal from test/support/bundle.ts.'
            },
            {
              name: '../../emulator/emulator.ts',
              importNames: ['startEmulator'],
              message: 'Use sharedEmulator or emulatorWith from test/support/bundle.ts.'
            }
          ]
        }
      ]
    }
  }
)
