// The Logger seam: the silent default, and a logger made of the methods a caller gives.
import { describe, expect, it } from 'vitest'
import { SILENT, loggerOf } from '../../src/core/log.ts'

describe('SILENT', () => {
  it('drops every line and says debug is off', () => {
    expect(SILENT.isDebug()).toBe(false)
    for (const write of [
      SILENT.info,
      SILENT.warning,
      SILENT.debug,
      SILENT.startGroup,
      SILENT.mask
    ]) {
      expect(write('x')).toBeUndefined()
    }
    expect(SILENT.endGroup()).toBeUndefined()
  })
})

describe('loggerOf', () => {
  it('keeps the given methods and fills the rest with silent ones', () => {
    const lines: string[] = []
    const log = loggerOf({ info: (line) => lines.push(`info ${line}`), isDebug: () => true })
    log.info('a')
    log.warning('b')
    log.mask('c')
    expect(lines).toEqual(['info a'])
    expect(log.isDebug()).toBe(true)
    expect(log.endGroup).toBe(SILENT.endGroup)
  })

  it('is silent when given nothing', () => {
    expect(loggerOf()).toEqual(SILENT)
  })
})
