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

  it('hands each distinct secret to the given mask once', () => {
    const masked: string[] = []
    const log = loggerOf({ mask: (secret) => masked.push(secret) })
    for (const secret of ['key', 'sig-1', 'key', 'sig-2', 'sig-1', 'key']) log.mask(secret)
    expect(masked).toEqual(['key', 'sig-1', 'sig-2'])
    // Each logger keeps its own: a second run's logger registers the key again.
    loggerOf({ mask: (secret) => masked.push(`again ${secret}`) }).mask('key')
    expect(masked).toEqual(['key', 'sig-1', 'sig-2', 'again key'])
  })

  it('is silent when given nothing', () => {
    expect(loggerOf()).toEqual(SILENT)
  })
})
