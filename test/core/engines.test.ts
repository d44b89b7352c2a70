import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { MIN_NODE, tooOldNode } from '../../src/core/engines.ts'

/** What the bin names itself in the refusal. */
const BIN = 'empiricalrun-upload'

describe('the oldest Node.js the CLI and the library start on', () => {
  it("is package.json's engines.node", async () => {
    const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8')
    const engines = (JSON.parse(text) as { engines: { node: string } }).engines
    expect(engines.node).toBe(`>=${MIN_NODE}`)
  })

  it('refuses an older one in one line that names the product and both versions', () => {
    expect(tooOldNode(BIN, 'v20.20.2')).toBe(
      `empiricalrun-upload needs Node.js ${MIN_NODE} or later; this is Node.js v20.20.2`
    )
    expect(tooOldNode('@empiricalrun/upload-files', 'v20.20.2')).toBe(
      `@empiricalrun/upload-files needs Node.js ${MIN_NODE} or later; this is Node.js v20.20.2`
    )
  })

  // Around 22.19.0, and versions that text order would get wrong (22.9 < 22.19, 100 > 22).
  it.each(['v22.18.9', 'v22.9.0', 'v22.0.99', 'v21.99.99', 'v18.20.8', 'v2.30.0', '22.18.0'])(
    '%s is too old',
    (version) => {
      expect(tooOldNode(BIN, version)).toMatch(new RegExp(`; this is Node\\.js ${version}$`))
    }
  )

  it.each([
    'v22.19.0',
    '22.19.0',
    'v22.19.1',
    'v22.20.0',
    'v22.100.0',
    'v23.0.0',
    'v24.21.0',
    'v100.0.0'
  ])('%s is new enough', (version) => {
    expect(tooOldNode(BIN, version)).toBeUndefined()
  })

  it('compares each part as a number, the patch too', () => {
    expect(tooOldNode(BIN, 'v22.19.10', '22.19.5')).toBeUndefined()
    expect(tooOldNode(BIN, 'v22.19.4', '22.19.5')).toBe(
      'empiricalrun-upload needs Node.js 22.19.5 or later; this is Node.js v22.19.4'
    )
    expect(tooOldNode(BIN, 'v22.19.0-rc.1')).toBeUndefined()
    expect(tooOldNode(BIN, 'v20.0.0-nightly20230101')).toMatch(/needs Node\.js 22\.19\.0 /)
  })

  it('lets a version it cannot read start: the face then says what it lacks', () => {
    expect(tooOldNode(BIN, '')).toBeUndefined()
    expect(tooOldNode(BIN, 'nightly')).toBeUndefined()
    expect(tooOldNode(BIN, 'built with v20.0.0')).toBeUndefined()
  })
})
