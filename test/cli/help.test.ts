// --help: the text as reviewed (test/cli/help.txt, changed with the text on purpose), and the
// setting lines as the settings table gives them.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { helpText } from '../../src/cli/help.ts'
import { SETTING_KEYS, SETTINGS, type Setting } from '../../src/core/settings/settings.ts'

const lines = (): string[] => helpText().split('\n')

describe('--help', () => {
  it('prints the reviewed text, byte for byte', async () => {
    expect(helpText()).toBe(await readFile(new URL('help.txt', import.meta.url), 'utf8'))
  })

  it('gives each setting with a flag one line: the flag, its value, then the help from column 31', () => {
    const withFlag = SETTING_KEYS.map((key): Setting => SETTINGS[key]).filter(
      (setting) => setting.flag !== undefined
    )
    expect(withFlag.length).toBeGreaterThan(10)
    for (const setting of withFlag) {
      const left = setting.value ? `--${setting.flag} ${setting.value}` : `--${setting.flag}`
      const line = lines().filter((text) => text.startsWith(`  ${left} `))
      expect(line, left).toHaveLength(1)
      expect(line[0]!.slice(31).startsWith(setting.help), left).toBe(true)
      const shown = !['', false, undefined].includes(setting.default as string)
      expect(line[0]!.endsWith(` (default ${String(setting.default)})`), left).toBe(shown)
      if (setting.kind.range) expect(line[0], left).toContain(`, ${setting.kind.range}`)
    }
  })

  it('names no flag that is not one, and leaves out the settings without a flag', () => {
    const noFlag = SETTING_KEYS.map((key): Setting => SETTINGS[key]).filter(
      (setting) => setting.flag === undefined
    )
    for (const setting of noFlag) expect(helpText()).not.toContain(setting.help)
  })
})
