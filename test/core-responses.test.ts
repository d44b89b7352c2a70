// How the core reads what a server says when it is not the documented JSON: HTML from a proxy
// or a captive portal, S3's XML errors, and text, each reduced to one line of the server's words.
import { describe, expect, it } from 'vitest'
import { parseFileEnvelope, parseServerWords } from '../src/core/responses.ts'

describe('an HTML page is recognised by its start, whatever its case or leading space', () => {
  it.each([
    ['upper-case tags', '<HTML><HEAD><TITLE>Gateway Timeout</TITLE></HEAD></HTML>'],
    ['a lower-case doctype', '<!doctype html><html><title>Gateway Timeout</title></html>'],
    ['leading blank lines and spaces', '\n\n   <html><title>Gateway Timeout</title></html>'],
    ['a leading comment', '<!-- proxy --><title>Gateway Timeout</title>'],
    ['a body without html', ' <body><title>Gateway Timeout</title></body>'],
    ['a head without html', '<head><title>Gateway Timeout</title></head>']
  ])('%s', (_label, page) => {
    expect(parseServerWords(page, 'application/octet-stream')).toEqual({
      message: 'an HTML page: Gateway Timeout'
    })
  })

  it('a text that mentions a tag later on is text, not a page', () => {
    const text = 'Bad value <html> in field name'
    expect(parseServerWords(text, 'text/plain')).toEqual({ message: text })
    expect(parseServerWords('oops <!doctype html>', '')).toEqual({
      message: 'oops <!doctype html>'
    })
  })

  it('a page without a title is its text, tags removed', () => {
    expect(parseServerWords('  <BODY><H1>Blocked</H1><P>by policy</P></BODY>', '')).toEqual({
      message: 'an HTML page: Blocked by policy'
    })
  })

  it('an HTML page never yields an S3 error code, even with a Code element in it', () => {
    const page = '<html><body><Code>ExpiredRequest</Code></body></html>'
    expect(parseServerWords(page, '')).toEqual({ message: 'an HTML page: ExpiredRequest' })
  })
})

describe('S3 XML errors', () => {
  it('reads the code and message whatever the case of their tags, trimmed', () => {
    const xml = '<Error><CODE> SlowDown </CODE><message>  Reduce your rate </message></Error>'
    expect(parseServerWords(xml, 'application/xml')).toEqual({
      message: 'SlowDown: Reduce your rate',
      code: 'SlowDown'
    })
  })

  it('an empty Code element is no code', () => {
    expect(parseServerWords('<Error><Code>  </Code></Error>', 'application/xml')).toEqual({
      message: '<Error><Code> </Code></Error>'
    })
  })
})

describe('quoting a body', () => {
  it('keeps a line of exactly 200 characters whole, and cuts one longer', () => {
    const exact = 'x'.repeat(200)
    expect(parseServerWords(exact, 'text/plain').message).toBe(exact)
    expect(parseServerWords(`${exact}y`, 'text/plain').message).toBe(`${exact}…`)
  })

  it('a confirm answer whose upload_url is not text has none', () => {
    expect(
      parseFileEnvelope('confirm', '{"data":{"file":{"id":3,"upload_url":7}}}', {
        uploadUrl: false
      })
    ).toEqual({
      id: 3,
      uploadUrl: undefined
    })
  })
})
