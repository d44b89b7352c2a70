// The command line: flags, switches and patterns into the settings, and the usage errors it
// refuses in the words a user sees. test/core/settings/suggest.test.ts tests how near a mistyped flag must be.
import { describe, expect, it } from 'vitest'
import { parseCommand, UsageError } from '../../src/cli/args.ts'

describe('parseCommand', () => {
  describe('options', () => {
    it('reads every value flag and switch into the options, and the patterns in order', () => {
      const command = parseCommand([
        '--project-id',
        '7',
        '--name-prefix=v1/',
        '--skip-existing',
        '--download-url',
        '--dry-run=false',
        '--concurrency',
        '3',
        '--retries',
        '2',
        '--request-timeout',
        '9',
        '--base-url',
        'http://127.0.0.1:1',
        '--if-no-files-found',
        'warn',
        '--include-hidden-files=true',
        '--description',
        'nightly',
        '--files',
        'first/**',
        'dist/*.apk',
        '!dist/x.apk'
      ])
      expect(command).toEqual({
        help: false,
        version: false,
        json: false,
        manifest: undefined,
        verbose: false,
        settings: {
          projectId: '7',
          files: ['first/**', 'dist/*.apk', '!dist/x.apk'],
          namePrefix: 'v1/',
          skipExisting: 'true',
          downloadUrl: 'true',
          dryRun: 'false',
          concurrency: '3',
          retries: '2',
          requestTimeout: '9',
          baseUrl: 'http://127.0.0.1:1',
          ifNoFilesFound: 'warn',
          includeHiddenFiles: 'true',
          description: 'nightly'
        }
      })
    })

    it('reads --json, --manifest and --verbose, and leaves what is not given undefined', () => {
      const command = parseCommand(['--json', '--manifest', 'm.json', '-v', 'a'])
      expect(command).toMatchObject({ json: true, manifest: 'm.json', verbose: true })
      expect(command.settings).toEqual({ files: ['a'] })
      expect(command.settings.dryRun).toBeUndefined()
    })

    it('takes the next argument as a flag’s value, whatever it starts with', () => {
      const command = parseCommand([
        '--description',
        '-rc build',
        '--name-prefix',
        '-nightly-',
        '--project-id',
        '-1',
        '--manifest',
        '--json',
        '--checksums',
        '-v',
        '--files',
        '--dry-run',
        '--base-url',
        '--',
        'a'
      ])
      expect(command).toEqual({
        help: false,
        version: false,
        json: false,
        manifest: '--json',
        checksums: '-v',
        verbose: false,
        settings: {
          description: '-rc build',
          namePrefix: '-nightly-',
          projectId: '-1',
          baseUrl: '--',
          files: ['--dry-run', 'a']
        }
      })
    })

    it('leaves an empty --manifest or --checksums to the core, which checks every output path', () => {
      expect(parseCommand(['--manifest', '', '--checksums=', 'a'])).toMatchObject({
        manifest: '',
        checksums: ''
      })
    })

    it('reads --flag=value as ever, a value after = included', () => {
      const command = parseCommand(['--description=-x=y', '--project-id=-1', '--files=-a', 'b'])
      expect(command.settings).toStrictEqual({
        description: '-x=y',
        projectId: '-1',
        files: ['-a', 'b']
      })
    })

    it('a value on a flag that is not a switch is left to the parser', () => {
      expect(parseCommand(['--concurrency=4', 'a']).settings.concurrency).toBe('4')
      expect(parseCommand(['--name-prefix=x/', 'a']).settings.namePrefix).toBe('x/')
    })
  })

  describe('--help and --version', () => {
    it('takes --help and --version without a pattern', () => {
      expect(parseCommand(['--help'])).toMatchObject({ help: true, version: false })
      expect(parseCommand(['-h']).help).toBe(true)
      expect(parseCommand(['--version'])).toMatchObject({ version: true, help: false })
      expect(parseCommand(['-V']).version).toBe(true)
    })

    it('sets no pattern list with --help, and none of the settings', () => {
      expect(parseCommand(['--help']).settings).toStrictEqual({})
      expect(parseCommand(['--version']).settings).toStrictEqual({})
    })
  })

  describe('patterns', () => {
    it('keeps an argument after -- as a pattern, even one that looks like a switch', () => {
      expect(parseCommand(['--', '--dry-run=x', 'a']).settings.files).toEqual(['--dry-run=x', 'a'])
    })

    it('keeps --files and arguments in the order given, so an exclusion after an include applies', () => {
      expect(parseCommand(['reports/', '--files', '!reports/sub/**']).settings.files).toEqual([
        'reports/',
        '!reports/sub/**'
      ])
      expect(parseCommand(['--files', 'a', 'b', '--files=!c', 'd']).settings.files).toEqual([
        'a',
        'b',
        '!c',
        'd'
      ])
      expect(parseCommand(['--project-id', '1', '--files', 'reports/']).settings.files).toEqual([
        'reports/'
      ])
    })

    it('a switch value is read only from an argument that starts with the flag', () => {
      const command = parseCommand(['dist--dry-run=false'])
      expect(command.settings.files).toEqual(['dist--dry-run=false'])
      expect(command.settings.dryRun).toBeUndefined()
    })

    it.each<[string[], string[], Record<string, string>]>([
      [['a', 'true'], ['a', 'true'], {}],
      [['--', 'false'], ['false'], {}],
      [['--description', 'x', 'true'], ['true'], { description: 'x' }],
      [['--project-id', '1', 'false'], ['false'], { projectId: '1' }],
      [['--dry-run', 'falsey'], ['falsey'], { dryRun: 'true' }],
      [['--dry-run', 'untrue'], ['untrue'], { dryRun: 'true' }],
      [['--dry-run=false', 'true'], ['true'], { dryRun: 'false' }],
      [['a--frobnicate'], ['a--frobnicate'], {}],
      [['--', '--frobnicate'], ['--frobnicate'], {}],
      [['--', '--frobnicate', '--dryrun'], ['--frobnicate', '--dryrun'], {}],
      [['--', '--description', '-x'], ['--description', '-x'], {}],
      [['a', '--', '--dry-run'], ['a', '--dry-run'], {}],
      [['a/files', 'b'], ['a/files', 'b'], {}],
      [['--description', 'x', '--dry-run', 'a'], ['a'], { description: 'x', dryRun: 'true' }],
      [['--description', '--dry-run', 'a'], ['a'], { description: '--dry-run' }]
    ])('%j: takes the patterns %j', (argv, files, settings) => {
      expect(parseCommand(argv).settings).toStrictEqual({ ...settings, files })
    })
  })

  describe('usage errors', () => {
    it.each<[string[], string | RegExp]>([
      [[], 'no pattern given'],
      [['--auth-key', 'k', 'a'], '--auth-key: unknown option'],
      // The key is the one setting without a flag: nothing stands in for its missing name.
      [['--undefined', 'k', 'a'], /^--undefined: unknown option$/],
      [['--json=true', 'a'], /^--json: takes no value$/],
      [['--project-id'], '--project-id: needs a value'],
      [['a', '--description'], '--description: needs a value'],
      [['--dry-run', 'x', '--json=yes'], '--json: takes no value'],
      [['--verbose=1', 'a'], /^--verbose: takes no value$/],
      [['--help=x'], /^--help: takes no value$/],
      [['--version=x'], /^--version: takes no value$/],
      [['-x', 'a'], '-x: unknown option'],
      [['--dryrun', 'a'], '--dryrun: unknown option; did you mean --dry-run?'],
      [['--skip-exisitng', 'a'], '--skip-exisitng: unknown option; did you mean --skip-existing?'],
      [['--concurency', '2', 'a'], '--concurency: unknown option; did you mean --concurrency?'],
      [['--verbos', 'a'], '--verbos: unknown option; did you mean --verbose?'],
      [['--frobnicate', 'a'], /^--frobnicate: unknown option$/],
      [['--dry-run', 'false', 'a'], '--dry-run: takes no separate value: write --dry-run=false'],
      [['--skip-existing', 'TRUE', 'a'], '--skip-existing: takes no separate value'],
      [['--json', 'false', 'a'], '--json: takes no separate value']
    ])('refuses %j with a usage error', (argv, message: string | RegExp) => {
      const call = (): unknown => parseCommand(argv)
      expect(call).toThrow(UsageError)
      expect(call).toThrow(message)
    })

    it.each<[string[], string]>([
      [
        ['--dry-run', 'false', 'a'],
        '--dry-run: takes no separate value: write --dry-run=false (or ./false for a file of that name)'
      ],
      [
        ['--skip-existing', 'TRUE', 'a'],
        '--skip-existing: takes no separate value: write --skip-existing=true (or ./TRUE for a file of that name)'
      ],
      [['a', '--dryrun'], '--dryrun: unknown option; did you mean --dry-run?'],
      [['--description', '', '--dryrun', 'a'], '--dryrun: unknown option; did you mean --dry-run?'],
      [['--frobnicate', '--dry-run', 'a'], '--frobnicate: unknown option'],
      [['--description=x', '--dryrun', 'a'], '--dryrun: unknown option; did you mean --dry-run?']
    ])('%j: refuses with exactly this message', (argv, message) => {
      // An Error given to toThrow is compared whole: its class, name and message.
      expect(() => parseCommand(argv)).toThrow(new UsageError(message))
    })

    it('says nothing of positional arguments in a usage error', () => {
      expect(() => parseCommand(['--json=1', 'a'])).toThrow(/^(?!.*positional).*$/s)
    })

    it('a usage error names itself', () => {
      expect(new UsageError('x').name).toBe('UsageError')
    })
  })
})
