import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HttpError, type Step } from '../src/core/errors.ts'
import { parseFilePage, parseFileRecord, type FileRecord } from '../src/core/responses.ts'
import { httpError } from './support.ts'

/** Fixed seed: a failure reproduces. */
const RUN = { seed: 20_250_317, numRuns: 300 } as const

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

const PROXY_PAGE = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center></body>
</html>`

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
        files: [
          {
            id: 9,
            projectId: undefined,
            name: '',
            sizeBytes: undefined,
            status: undefined,
            url: undefined
          }
        ],
        totalPages: 1
      }
    },
    {
      name: 'optional fields of the wrong type are dropped',
      text: page([{ id: 9, project_id: '7', name: 5, size_bytes: '12', status: 1, url: {} }], 1),
      want: {
        files: [
          {
            id: 9,
            projectId: undefined,
            name: '',
            sizeBytes: undefined,
            status: undefined,
            url: undefined
          }
        ],
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
  const envelope = (file: unknown): string => JSON.stringify({ data: { file } })

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
      want: {
        id: 3,
        projectId: undefined,
        name: '',
        sizeBytes: undefined,
        status: undefined,
        url: undefined
      }
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
