// How the core reads what the API and storage answer: the file envelope of a create or confirm
// answer, a page of the file list and a single record, and the server's words when an answer is
// not the documented JSON (JSON errors, S3 XML, HTML pages from a proxy, text), each reduced to
// one line.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HttpError, type Step } from '../../../src/core/errors.ts'
import {
  parseFileEnvelope,
  parseFilePage,
  parseFileRecord,
  parseServerWords,
  type FileRecord
} from '../../../src/core/http/responses.ts'
import { DIALECTS } from '../../../src/core/http/dialect.ts'
import { httpError } from '../../support/harness.ts'

/** Fixed seed: a failure reproduces. */
const RUN = { seed: 20_250_317, numRuns: 300 } as const

const UPLOAD_URL =
  'https://acc.r2.cloudflarestorage.com/project-resources/1/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc'

function envelope(file: unknown): string {
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

/** What a record holding only its id reads as. */
const bare = (id: number): FileRecord => ({
  id,
  projectId: undefined,
  name: '',
  sizeBytes: undefined,
  status: undefined,
  url: undefined
})

const PROXY_PAGE = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>`

function page(files: unknown, totalPages: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ data: { files }, pagination: { total_pages: totalPages }, ...extra })
}

const RECORD = {
  id: 41,
  project_id: 7,
  name: 'dist/app.js',
  size_bytes: 1832,
  status: 'uploaded',
  mime_type: 'text/javascript',
  description: null,
  created_by: 'ci@example.com',
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:05Z'
}

const PARSED: FileRecord = {
  id: 41,
  projectId: 7,
  name: 'dist/app.js',
  sizeBytes: 1832,
  status: 'uploaded',
  url: undefined
}

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

  it.each<[string, string, string | undefined, { message: string; code?: string }]>([
    [
      'uses the code alone when the XML has no message',
      '<Error><Code>AccessDenied</Code></Error>',
      undefined,
      { code: 'AccessDenied', message: 'AccessDenied' }
    ],
    [
      'reads the code and message of S3 XML whatever the case of their tags, trimmed',
      '<Error><CODE> SlowDown </CODE><message>  Reduce your rate </message></Error>',
      'application/xml',
      { message: 'SlowDown: Reduce your rate', code: 'SlowDown' }
    ],
    [
      'takes an empty Code element for no code',
      '<Error><Code>  </Code></Error>',
      'application/xml',
      { message: '<Error><Code> </Code></Error>' }
    ],
    [
      'reads JSON {error}',
      '{"error":"Invalid API key"}',
      'application/json',
      { message: 'Invalid API key' }
    ],
    [
      'reads JSON {message}',
      '{"message":"Project not found"}',
      undefined,
      { message: 'Project not found' }
    ],
    [
      'reads JSON {error: {message}}',
      '{"error":{"message":"Rate limited","code":429}}',
      undefined,
      { message: 'Rate limited' }
    ],
    ['quotes plain text', 'Service Unavailable', 'text/plain', { message: 'Service Unavailable' }]
  ])('%s', (_label, body, type, words) => {
    expect(parseServerWords(body, type)).toEqual(words)
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

  it('keeps a line of exactly 200 characters whole, and cuts one longer', () => {
    const exact = 'x'.repeat(200)
    expect(parseServerWords(exact, 'text/plain').message).toBe(exact)
    expect(parseServerWords(`${exact}y`, 'text/plain').message).toBe(`${exact}…`)
  })

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
})

describe('parseFilePage', () => {
  it.each<{ name: string; text: string; want: { files: FileRecord[]; totalPages: number } }>([
    {
      name: 'a page of one full record',
      text: page([RECORD], 1),
      want: { files: [PARSED], totalPages: 1 }
    },
    {
      name: 'an empty project (total_pages 0)',
      text: page([], 0),
      want: { files: [], totalPages: 0 }
    },
    {
      name: 'unknown fields at every level',
      text: JSON.stringify({
        data: { files: [{ ...RECORD, checksum: 'abc', tags: ['x'] }], cursor: 'n' },
        pagination: { total_pages: 3, page: 1, per_page: 100, total: 201 },
        meta: { took_ms: 4 }
      }),
      want: { files: [PARSED], totalPages: 3 }
    },
    {
      name: 'a null size_bytes (size not declared at create)',
      text: page([{ ...RECORD, size_bytes: null }], 1),
      want: { files: [{ ...PARSED, sizeBytes: undefined }], totalPages: 1 }
    },
    {
      name: 'a record with only an id',
      text: page([{ id: 9 }], 1),
      want: {
        files: [bare(9)],
        totalPages: 1
      }
    },
    {
      name: 'optional fields of the wrong type are dropped',
      text: page([{ id: 9, project_id: '7', name: 5, size_bytes: '12', status: 1, url: {} }], 1),
      want: {
        files: [bare(9)],
        totalPages: 1
      }
    },
    {
      name: 'several records in the order given, with a url',
      text: page(
        [
          { ...RECORD, id: 2 },
          { ...RECORD, id: 1, url: 'https://x/y' }
        ],
        12
      ),
      want: {
        files: [
          { ...PARSED, id: 2 },
          { ...PARSED, id: 1, url: 'https://x/y' }
        ],
        totalPages: 12
      }
    }
  ])('reads $name', ({ text, want }) => {
    expect(parseFilePage(text)).toEqual(want)
  })

  it.each<{ name: string; text: string; missing: string }>([
    {
      name: 'a body that is not JSON',
      text: '{"data": {"files": [',
      missing: 'no data.files array'
    },
    { name: 'an empty body', text: '', missing: 'no data.files array' },
    { name: 'an HTML page from a proxy', text: PROXY_PAGE, missing: 'no data.files array' },
    { name: 'a JSON array', text: '[]', missing: 'no data.files array' },
    { name: 'JSON null', text: 'null', missing: 'no data.files array' },
    {
      name: 'no data.files',
      text: JSON.stringify({ data: {}, pagination: { total_pages: 1 } }),
      missing: 'no data.files array'
    },
    {
      name: 'no data at all',
      text: JSON.stringify({ files: [], pagination: { total_pages: 1 } }),
      missing: 'no data.files array'
    },
    { name: 'data.files an object', text: page({ 0: RECORD }, 1), missing: 'no data.files array' },
    { name: 'data.files a string', text: page('[]', 1), missing: 'no data.files array' },
    { name: 'data.files null', text: page(null, 1), missing: 'no data.files array' },
    {
      name: 'no pagination',
      text: JSON.stringify({ data: { files: [] } }),
      missing: 'no pagination.total_pages'
    },
    {
      name: 'no total_pages',
      text: JSON.stringify({ data: { files: [] }, pagination: {} }),
      missing: 'no pagination.total_pages'
    },
    { name: 'negative total_pages', text: page([], -1), missing: 'no pagination.total_pages' },
    { name: 'fractional total_pages', text: page([], 1.5), missing: 'no pagination.total_pages' },
    { name: 'total_pages as a string', text: page([], '2'), missing: 'no pagination.total_pages' },
    { name: 'total_pages null', text: page([], null), missing: 'no pagination.total_pages' },
    {
      name: 'total_pages beyond a safe integer',
      text: page([], 2 ** 53),
      missing: 'no pagination.total_pages'
    },
    {
      name: 'a record without an id',
      text: page([RECORD, { name: 'x' }], 1),
      missing: 'a file without an id'
    },
    { name: 'a record with id 0', text: page([{ id: 0 }], 1), missing: 'a file without an id' },
    {
      name: 'a record with a negative id',
      text: page([{ id: -3 }], 1),
      missing: 'a file without an id'
    },
    {
      name: 'a record with a fractional id',
      text: page([{ id: 1.5 }], 1),
      missing: 'a file without an id'
    },
    {
      name: 'a record with a string id',
      text: page([{ id: '41' }], 1),
      missing: 'a file without an id'
    },
    { name: 'a record that is null', text: page([null], 1), missing: 'a file without an id' },
    { name: 'a record that is a number', text: page([41], 1), missing: 'a file without an id' },
    {
      name: 'a record that is an array',
      text: page([[{ id: 41 }]], 1),
      missing: 'a file without an id'
    }
  ])('rejects $name', ({ text, missing }) => {
    const error = httpError(() => parseFilePage(text))
    expect(error.step).toBe('list')
    expect(error.status).toBe(200)
    expect(error.serverMessage).toContain(`the answer is not the documented JSON (${missing})`)
    expect(error.message).toContain('list failed: HTTP 200')
  })

  it('quotes an HTML page by its title, on one line', () => {
    const error = httpError(() => parseFilePage(PROXY_PAGE))
    expect(error.serverMessage).toBe(
      'the answer is not the documented JSON (no data.files array): an HTML page: 502 Bad Gateway'
    )
  })

  it('says an empty body is empty', () => {
    expect(httpError(() => parseFilePage('  ')).serverMessage).toMatch(/: empty body$/)
  })

  it('for arbitrary JSON returns a page or throws an HttpError of step list, nothing else', () => {
    const value = fc.jsonValue({ maxDepth: 3 })
    const check = (text: string): void => {
      let result: ReturnType<typeof parseFilePage> | undefined
      try {
        result = parseFilePage(text)
      } catch (error) {
        expect(error).toBeInstanceOf(HttpError)
        expect((error as HttpError).step).toBe('list')
        expect((error as HttpError).status).toBe(200)
        expect((error as HttpError).message).not.toContain('\n')
        return
      }
      expect(Number.isSafeInteger(result.totalPages)).toBe(true)
      expect(result.totalPages).toBeGreaterThanOrEqual(0)
      for (const record of result.files) {
        expect(Number.isSafeInteger(record.id)).toBe(true)
        expect(record.id).toBeGreaterThan(0)
        expect(typeof record.name).toBe('string')
      }
    }
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        const bodies = [
          a,
          { data: a, pagination: b },
          { data: { files: a }, pagination: { total_pages: b } },
          { data: { files: [a, { id: b, size_bytes: c }] }, pagination: { total_pages: 1 } },
          { data: { files: [{ ...RECORD, id: a }] }, pagination: { total_pages: c } }
        ]
        for (const body of bodies) check(JSON.stringify(body) ?? '')
      }),
      RUN
    )
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), check), RUN)
  })
})

describe('parseFileRecord', () => {
  it.each<{ name: string; text: string; want: FileRecord }>([
    {
      name: 'a full record with a url and unknown fields',
      text: envelope({ ...RECORD, url: 'https://cdn/x?sig=***', extra: true }),
      want: { ...PARSED, url: 'https://cdn/x?sig=***' }
    },
    {
      name: 'a pending record with null size_bytes',
      text: envelope({ ...RECORD, size_bytes: null, status: 'pending' }),
      want: { ...PARSED, sizeBytes: undefined, status: 'pending' }
    },
    {
      name: 'a record with only an id',
      text: envelope({ id: 3 }),
      want: bare(3)
    }
  ])('reads $name', ({ text, want }) => {
    expect(parseFileRecord('get', text)).toEqual(want)
  })

  it.each<{ name: string; step: Step; text: string }>([
    { name: 'a body that is not JSON', step: 'get', text: 'not json' },
    { name: 'an HTML page', step: 'get', text: PROXY_PAGE },
    { name: 'no data.file', step: 'confirm', text: JSON.stringify({ data: {} }) },
    { name: 'data.file null', step: 'get', text: envelope(null) },
    { name: 'a record without an id', step: 'get', text: envelope({ name: 'a' }) },
    { name: 'a record with id 0', step: 'confirm', text: envelope({ id: 0 }) },
    { name: 'a record with a fractional id', step: 'get', text: envelope({ id: 2.5 }) },
    { name: 'a record with a string id', step: 'get', text: envelope({ id: '2' }) }
  ])('rejects $name with an HttpError of the given step', ({ step, text }) => {
    const error = httpError(() => parseFileRecord(step, text))
    expect(error.step).toBe(step)
    expect(error.status).toBe(200)
    expect(error.serverMessage).toContain('the answer is not the documented JSON (no file id)')
  })
})

describe('the Resources API: data.resource and data.resources', () => {
  const resources = DIALECTS.resources

  it('reads one resource from create, confirm and get answers', () => {
    const created = { id: 5, name: 'a', access_level: 'private', upload_url: UPLOAD_URL }
    expect(
      parseFileEnvelope(
        'create',
        JSON.stringify({ data: { resource: created } }),
        { uploadUrl: true },
        resources
      )
    ).toEqual({ id: 5, uploadUrl: UPLOAD_URL })
    const text = JSON.stringify({ data: { resource: RECORD } })
    expect(parseFileRecord('get', text, resources)).toEqual(PARSED)
    // The Files envelope is not a Resources one, nor the other way round.
    const asFile = JSON.stringify({ data: { file: { id: 41 } } })
    expect(httpError(() => parseFileRecord('get', asFile, resources)).message).toBe(
      `get failed: HTTP 200: the answer is not the documented JSON (no resource id): ${asFile}`
    )
    expect(httpError(() => parseFileRecord('get', text)).message).toMatch(/\(no file id\)/)
  })

  it('reads a page with its pagination inside data, or beside it, beside first', () => {
    const inside = JSON.stringify({ data: { resources: [RECORD], pagination: { total_pages: 4 } } })
    expect(parseFilePage(inside, resources)).toEqual({ files: [PARSED], totalPages: 4 })
    const beside = JSON.stringify({ data: { resources: [] }, pagination: { total_pages: 2 } })
    expect(parseFilePage(beside, resources)).toEqual({ files: [], totalPages: 2 })
    const both = JSON.stringify({
      data: { resources: [], pagination: { total_pages: 9 } },
      pagination: { total_pages: 3 }
    })
    expect(parseFilePage(both, resources).totalPages).toBe(3)
    // The Files API's page may carry it inside data too.
    expect(
      parseFilePage(JSON.stringify({ data: { files: [], pagination: { total_pages: 1 } } }))
        .totalPages
    ).toBe(1)
  })

  it('names what a page lacks in the words of the Resources API', () => {
    const noArray = JSON.stringify({ data: { files: [] }, pagination: { total_pages: 1 } })
    expect(httpError(() => parseFilePage(noArray, resources)).message).toBe(
      `list failed: HTTP 200: the answer is not the documented JSON (no data.resources array): ${noArray}`
    )
    const noId = JSON.stringify({
      data: { resources: [{ name: 'x' }], pagination: { total_pages: 1 } }
    })
    expect(httpError(() => parseFilePage(noId, resources)).message).toBe(
      `list failed: HTTP 200: the answer is not the documented JSON (a resource without an id): ${noId}`
    )
    const noPages = JSON.stringify({ data: { resources: [] } })
    expect(httpError(() => parseFilePage(noPages, resources)).message).toBe(
      `list failed: HTTP 200: the answer is not the documented JSON (no pagination.total_pages): ${noPages}`
    )
  })
})
