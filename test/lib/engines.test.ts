// The library's check of the Node.js version, which src/lib/index.ts imports before anything else.
// test/bundle/library.test.ts runs the built dist/lib/ on Node 20 itself.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { MIN_NODE } from '../../src/core/engines.ts'
import { checkNode, NodeVersionError, PACKAGE_NAME } from '../../src/lib/engines.ts'

describe("the library's check of the Node.js version", () => {
  it('names the package as its users import it', async () => {
    const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8')
    expect(PACKAGE_NAME).toBe((JSON.parse(text) as { name: string }).name)
  })

  it('refuses an older Node.js with a NodeVersionError of one line and no stack frames', () => {
    let thrown: unknown
    try {
      checkNode('v20.20.2')
    } catch (error) {
      thrown = error
    }
    const line = `@empiricalrun/upload-files needs Node.js ${MIN_NODE} or later; this is Node.js v20.20.2`
    expect(thrown).toBeInstanceOf(NodeVersionError)
    expect(thrown).toBeInstanceOf(Error)
    expect(thrown).toMatchObject({
      name: 'NodeVersionError',
      message: line,
      stack: `NodeVersionError: ${line}`
    })
  })

  it.each(['v22.18.9', 'v18.20.8'])('refuses %s', (version) => {
    expect(() => checkNode(version)).toThrow(
      new NodeVersionError(
        `@empiricalrun/upload-files needs Node.js ${MIN_NODE} or later; this is Node.js ${version}`
      )
    )
  })

  it.each([`v${MIN_NODE}`, 'v24.21.0', process.version, 'nightly'])('lets %s load', (version) => {
    expect(() => checkNode(version)).not.toThrow()
  })

  it("is the entry point's first import, so that it runs before undici's set-up", async () => {
    const text = await readFile(new URL('../../src/lib/index.ts', import.meta.url), 'utf8')
    const imports = [...text.matchAll(/^(?:import|export)\s.*?'([^']+)'$/gm)].map((m) => m[1])
    expect(imports[0]).toBe('./engines.ts')
    expect(text).toMatch(/^import '\.\/engines\.ts'$/m)
  })
})
