import { HttpError, type Step } from '../errors.ts'
import { DIALECTS, type Dialect } from './dialect.ts'

/** The parts of a file record the action relies on. */
export interface FileEnvelope {
  /** The record's ID, a positive integer. */
  id: number
  /** The presigned upload URL (create only). */
  uploadUrl: string | undefined
}

/** A file record as list and get answer it, reduced to what the action reads. */
export interface FileRecord {
  /** The record's ID. */
  id: number
  /** The project it belongs to, when the answer says. */
  projectId: number | undefined
  /** Its name, '' when the answer has none. */
  name: string
  /** Its size, when the answer says. */
  sizeBytes: number | undefined
  /** `pending` or `uploaded`, when the answer says. */
  status: string | undefined
  /** The signed download URL (get only). */
  url: string | undefined
}

/** One page of the project's file list. */
export interface FilePage {
  /** The records on this page. */
  files: FileRecord[]
  /** How many pages the list has in all. */
  totalPages: number
}

/** Longest slice of a body quoted in an error message. */
const QUOTE_CHARS = 200

/**
 * Reads `{"data":{"file":{...}}}` (`data.resource` in the Resources API) from a 2xx body. Anything
 * else (an HTML page from a proxy, truncated JSON, a missing ID) is a clear HttpError rather than
 * a crash later on. Only the ID, and the upload URL when wanted, are required: a Resources create
 * answer has no status and no project_id.
 */
export function parseFileEnvelope(
  step: Step,
  text: string,
  want: { uploadUrl: boolean },
  dialect: Dialect = DIALECTS.files
): FileEnvelope {
  const file = dig(tryJson(text), 'data', dialect.one)
  const id = dig(file, 'id')
  const uploadUrl = dig(file, 'upload_url')
  if (!isId(id)) throw unexpected(step, text, `no ${dialect.one} id`)
  if (want.uploadUrl && (typeof uploadUrl !== 'string' || !uploadUrl)) {
    throw unexpected(step, text, 'no upload_url')
  }
  return { id, uploadUrl: typeof uploadUrl === 'string' ? uploadUrl : undefined }
}

/**
 * Reads `{"data":{"file":{...}}}` (`data.resource`) from a get answer, keeping the fields a record
 * check needs.
 */
export function parseFileRecord(
  step: Step,
  text: string,
  dialect: Dialect = DIALECTS.files
): FileRecord {
  const record = toRecord(dig(tryJson(text), 'data', dialect.one))
  if (!record) throw unexpected(step, text, `no ${dialect.one} id`)
  return record
}

/**
 * Reads `{"data":{"files":[...]},"pagination":{"total_pages":N}}` (`data.resources`). The
 * pagination may stand beside `data` (as the Files API has it) or inside it (as the Resources
 * reference has it): either is read, beside first. A page that is not that shape, or holds a
 * record without an ID, is an error: guessing could upload duplicates.
 */
export function parseFilePage(text: string, dialect: Dialect = DIALECTS.files): FilePage {
  const json = tryJson(text)
  const files = dig(json, 'data', dialect.many)
  const totalPages =
    dig(json, 'pagination', 'total_pages') ?? dig(json, 'data', 'pagination', 'total_pages')
  if (!Array.isArray(files)) throw unexpected('list', text, `no data.${dialect.many} array`)
  if (typeof totalPages !== 'number' || !Number.isSafeInteger(totalPages) || totalPages < 0) {
    throw unexpected('list', text, 'no pagination.total_pages')
  }
  const records = files.map(toRecord)
  if (records.some((record) => record === undefined)) {
    throw unexpected('list', text, `a ${dialect.one} without an id`)
  }
  return { files: records as FileRecord[], totalPages }
}

/** A record from an unknown value; undefined without a positive integer ID. */
function toRecord(value: unknown): FileRecord | undefined {
  const id = dig(value, 'id')
  if (!isId(id)) return undefined
  const optional = <T>(key: string, type: 'string' | 'number'): T | undefined => {
    const field = dig(value, key)
    return typeof field === type ? (field as T) : undefined
  }
  return {
    id,
    projectId: optional<number>('project_id', 'number'),
    name: optional<string>('name', 'string') ?? '',
    sizeBytes: optional<number>('size_bytes', 'number'),
    status: optional<string>('status', 'string'),
    url: optional<string>('url', 'string')
  }
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
}

/** The server's own words from an error body: JSON `error`/`message`, S3 XML `<Code>`/`<Message>`, or text. */
export function parseServerWords(
  text: string,
  contentType = ''
): { message: string; code?: string } {
  const json = tryJson(text)
  const fromJson = firstString(
    dig(json, 'error'),
    dig(json, 'message'),
    dig(json, 'error', 'message')
  )
  if (fromJson !== undefined) return { message: oneLine(fromJson) }
  const code = isHtml(text, contentType) ? undefined : xmlTag(text, 'Code')
  if (code === undefined) return { message: describeBody(text, contentType) }
  const message = xmlTag(text, 'Message')
  return { message: oneLine(message ? `${code}: ${message}` : code), code: oneLine(code) }
}

function unexpected(step: Step, text: string, missing: string): HttpError {
  return new HttpError(
    step,
    200,
    `the answer is not the documented JSON (${missing}): ${describeBody(text, '')}`
  )
}

/** A short, single-line rendering of an unknown body; an HTML page is reduced to its title or text. */
function describeBody(text: string, contentType: string): string {
  if (!text.trim()) return 'empty body'
  const html = isHtml(text, contentType)
  const title = html ? xmlTag(text, 'title') : undefined
  const plain = html ? (title ?? text.replace(/<[^>]*>/g, ' ')) : text
  const line = oneLine(plain)
  return html ? `an HTML page: ${line}` : line
}

function isHtml(text: string, contentType: string): boolean {
  return /html/i.test(contentType) || /^\s*<(!doctype|html|head|body|!--)/i.test(text)
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > QUOTE_CHARS ? `${line.slice(0, QUOTE_CHARS)}…` : line
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Follows object keys; undefined as soon as a step is not a plain object. */
function dig(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '')
}

function xmlTag(text: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'i').exec(text)
  return match?.[1]?.trim() || undefined
}
