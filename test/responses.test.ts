import { describe, expect, it } from 'vitest'
import { parseFileEnvelope, parseServerWords } from '../src/core/responses.ts'
import { httpError } from './support.ts'

const UPLOAD_URL =
  'https://acc.r2.cloudflarestorage.com/project-resources/1/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc'

function envelope(file: Record<string, unknown>): string {
  return JSON.stringify({ data: { file } })
}

const GOOD = envelope({
  id: 101,
  project_id: 7,
  name: 'a.txt',
  upload_url: UPLOAD_URL,
  status: 'pending',
  description: null,
  mime_type: 'text/plain',
  size_bytes: 5,
  created_by: 'x',
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z'
})

const PROXY_PAGE = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>`

describe('parseFileEnvelope', () => {
  it('reads the id and upload_url of a create answer', () => {
    expect(parseFileEnvelope('create', GOOD, { uploadUrl: true })).toEqual({
      id: 101,
      uploadUrl: UPLOAD_URL
    })
  })

  it('needs no upload_url for a confirm answer', () => {
    const body = envelope({ id: 5, status: 'uploaded' })
    expect(parseFileEnvelope('confirm', body, { uploadUrl: false })).toEqual({
      id: 5,
      uploadUrl: undefined
    })
  })

  it('ignores unknown fields and surrounding whitespace', () => {
    const body = `\n  ${JSON.stringify({ extra: 1, data: { other: [], file: { id: 9, upload_url: 'https://x/y', more: {} } } })}  \n`
    expect(parseFileEnvelope('create', body, { uploadUrl: true })).toEqual({
      id: 9,
      uploadUrl: 'https://x/y'
    })
  })

  it('accepts the largest safe integer id', () => {
    const body = envelope({ id: Number.MAX_SAFE_INTEGER, upload_url: UPLOAD_URL })
    expect(parseFileEnvelope('create', body, { uploadUrl: true }).id).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('describes an HTML page from a proxy by its title', () => {
    const error = httpError(() => parseFileEnvelope('create', PROXY_PAGE, { uploadUrl: true }))
    expect(error.step).toBe('create')
    expect(error.status).toBe(200)
    expect(error.serverMessage).toContain('HTML page')
    expect(error.serverMessage).toContain('502 Bad Gateway')
    expect(error.message).toContain('create failed')
    expect(error.message).not.toContain('\n')
  })

  it('describes an HTML page without a title by its text', () => {
    const page = '<html><body><p>Access   denied</p>\n<p>by policy</p></body></html>'
    const error = httpError(() => parseFileEnvelope('confirm', page, { uploadUrl: false }))
    expect(error.step).toBe('confirm')
    expect(error.serverMessage).toContain('HTML page')
    expect(error.serverMessage).toContain('Access denied by policy')
    expect(error.serverMessage).not.toMatch(/<p>|\n/)
  })

  it.each([
    ['truncated JSON', GOOD.slice(0, GOOD.length / 2)],
    ['an empty body', ''],
    ['whitespace', '  \n '],
    ['JSON null', 'null'],
    ['a JSON array', '[{"data":{"file":{"id":1}}}]'],
    ['a JSON string', '"ok"'],
    ['no data', JSON.stringify({ file: { id: 1, upload_url: UPLOAD_URL } })],
    ['data is an array', JSON.stringify({ data: [{ file: { id: 1 } }] })],
    ['file is null', JSON.stringify({ data: { file: null } })],
    ['missing id', envelope({ upload_url: UPLOAD_URL })],
    ['id 0', envelope({ id: 0, upload_url: UPLOAD_URL })],
    ['id -3', envelope({ id: -3, upload_url: UPLOAD_URL })],
    ['id 1.5', envelope({ id: 1.5, upload_url: UPLOAD_URL })],
    ['id "12"', envelope({ id: '12', upload_url: UPLOAD_URL })],
    ['id null', envelope({ id: null, upload_url: UPLOAD_URL })],
    ['id true', envelope({ id: true, upload_url: UPLOAD_URL })],
    ['id beyond safe integers', '{"data":{"file":{"id":9007199254740993,"upload_url":"x"}}}'],
    ['id 1e400 (Infinity)', '{"data":{"file":{"id":1e400,"upload_url":"x"}}}']
  ])('refuses %s as "no file id"', (_label, body) => {
    const error = httpError(() => parseFileEnvelope('create', body, { uploadUrl: true }))
    expect(error.step).toBe('create')
    expect(error.status).toBe(200)
    expect(error.serverMessage).toContain('not the documented JSON (no file id)')
  })

  it.each([
    ['missing', envelope({ id: 3 })],
    ['empty', envelope({ id: 3, upload_url: '' })],
    ['null', envelope({ id: 3, upload_url: null })],
    ['a number', envelope({ id: 3, upload_url: 42 })],
    ['an object', envelope({ id: 3, upload_url: { href: UPLOAD_URL } })]
  ])('refuses a create answer whose upload_url is %s', (_label, body) => {
    const error = httpError(() => parseFileEnvelope('create', body, { uploadUrl: true }))
    expect(error.serverMessage).toContain('no upload_url')
  })

  it('quotes the body it could not read, shortened and on one line', () => {
    const body = `{"data": "${'x'.repeat(1000)}\n"`
    const error = httpError(() => parseFileEnvelope('create', body, { uploadUrl: true }))
    expect(error.message).not.toContain('\n')
    expect(error.serverMessage).toContain('{"data": "xxx')
    expect(error.serverMessage.length).toBeLessThan(300)
    expect(error.serverMessage.endsWith('…')).toBe(true)
  })

  it('says the body was empty', () => {
    const error = httpError(() => parseFileEnvelope('confirm', '', { uploadUrl: false }))
    expect(error.serverMessage).toContain('empty body')
  })
})

describe('parseServerWords', () => {
  it('reads the code and message of an S3 XML error', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><RequestId>x</RequestId></Error>`
    expect(parseServerWords(body, 'application/xml')).toEqual({
      code: 'SignatureDoesNotMatch',
      message:
        'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your key and signing method.'
    })
  })

  it.each([
    ['ExpiredRequest', 'Request has expired'],
    ['ClientDisconnect', 'Client disconnected'],
    ['EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.'],
    ['InternalError', 'We encountered an internal error. Please try again.']
  ])('reads R2 error %s', (code, message) => {
    const body = `<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n</Error>`
    expect(parseServerWords(body)).toEqual({ code, message: `${code}: ${message}` })
  })

  it('uses the code alone when the XML has no message', () => {
    expect(parseServerWords('<Error><Code>AccessDenied</Code></Error>')).toEqual({
      code: 'AccessDenied',
      message: 'AccessDenied'
    })
  })

  it('reads JSON {error}', () => {
    expect(parseServerWords('{"error":"Invalid API key"}', 'application/json')).toEqual({
      message: 'Invalid API key'
    })
  })

  it('reads JSON {message}', () => {
    expect(parseServerWords('{"message":"Project not found"}')).toEqual({
      message: 'Project not found'
    })
  })

  it('reads JSON {error: {message}}', () => {
    expect(parseServerWords('{"error":{"message":"Rate limited","code":429}}')).toEqual({
      message: 'Rate limited'
    })
  })

  it('prefers error over message, and skips blank strings', () => {
    expect(parseServerWords('{"error":"first","message":"second"}').message).toBe('first')
    expect(parseServerWords('{"error":"  ","message":"second"}').message).toBe('second')
  })

  it('puts a multi-line JSON message on one line', () => {
    expect(parseServerWords('{"error":"line one\\n  line two\\tend"}').message).toBe(
      'line one line two end'
    )
  })

  it('falls back to the text of a JSON body without error or message', () => {
    const words = parseServerWords('{"detail":"nope"}')
    expect(words.message).toBe('{"detail":"nope"}')
    expect(words.code).toBeUndefined()
  })

  it('names an HTML page and its title', () => {
    const words = parseServerWords(PROXY_PAGE, 'text/html; charset=utf-8')
    expect(words.message).toBe('an HTML page: 502 Bad Gateway')
    expect(words.code).toBeUndefined()
  })

  it('recognises HTML by its content type even without a doctype', () => {
    const words = parseServerWords('<h1>Forbidden</h1><p>go away</p>', 'text/html')
    expect(words.message).toBe('an HTML page: Forbidden go away')
  })

  // An HTML error page is not S3 XML just because it contains a <code> element.
  it('does not mistake an HTML <code> element for an S3 error code', () => {
    const page = `<!DOCTYPE html><html><head><title>Access denied | Error 1020</title></head>
<body><p>Ray ID: <code>8a1b2c3d4e5f</code></p></body></html>`
    const words = parseServerWords(page, 'text/html')
    expect(words.code).toBeUndefined()
    expect(words.message).toContain('HTML page')
    expect(words.message).toContain('Error 1020')
  })

  it('quotes plain text', () => {
    expect(parseServerWords('Service Unavailable', 'text/plain')).toEqual({
      message: 'Service Unavailable'
    })
  })

  it('says when the body is empty', () => {
    expect(parseServerWords('').message).toBe('empty body')
    expect(parseServerWords(' \n\t ').message).toBe('empty body')
  })

  it('cuts a long text body to about 200 characters on one line', () => {
    const body = `${'word '.repeat(100)}\n${'more\r\n'.repeat(100)}`
    const { message } = parseServerWords(body)
    expect(message).not.toMatch(/[\r\n\t]/)
    expect(message.length).toBeLessThanOrEqual(201)
    expect(message.length).toBeGreaterThanOrEqual(190)
    expect(message.endsWith('…')).toBe(true)
    expect(message.startsWith('word word')).toBe(true)
  })

  it('cuts a long JSON error to about 200 characters', () => {
    const { message } = parseServerWords(JSON.stringify({ error: 'e'.repeat(5000) }))
    expect(message).toBe(`${'e'.repeat(200)}…`)
  })

  it('cuts a long HTML title to about 200 characters', () => {
    const page = `<html><head><title>${'t'.repeat(500)}</title></head></html>`
    const { message } = parseServerWords(page)
    expect(message.length).toBeLessThanOrEqual(220)
    expect(message.startsWith('an HTML page: ttt')).toBe(true)
  })

  // The same rule as for every other body: the words go into a one-line error message.
  it('cuts a long or multi-line S3 message to about 200 characters on one line', () => {
    const body = `<Error><Code>InvalidArgument</Code><Message>first line
second line ${'x'.repeat(1000)}</Message></Error>`
    const words = parseServerWords(body)
    expect(words.code).toBe('InvalidArgument')
    expect(words.message).not.toContain('\n')
    expect(words.message.length).toBeLessThanOrEqual(220)
  })
})
