import { HttpError, type Step } from './errors.ts'

/** The parts of a file record the action relies on. */
export interface FileEnvelope {
  /** The record's ID, a positive integer. */
  id: number
  /** The presigned upload URL (create only). */
  uploadUrl: string | undefined
}

/** Longest slice of a body quoted in an error message. */
const QUOTE_CHARS = 200

/**
 * Reads `{"data":{"file":{...}}}` from a 2xx body. Anything else (an HTML page from a proxy,
 * truncated JSON, a missing ID) is a clear HttpError rather than a crash later on.
 */
export function parseFileEnvelope(
  step: Step,
  text: string,
  want: { uploadUrl: boolean }
): FileEnvelope {
  const file = dig(tryJson(text), 'data', 'file')
  const id = dig(file, 'id')
  const uploadUrl = dig(file, 'upload_url')
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw unexpected(step, text, 'no file id')
  }
  if (want.uploadUrl && (typeof uploadUrl !== 'string' || !uploadUrl)) {
    throw unexpected(step, text, 'no upload_url')
  }
  return { id, uploadUrl: typeof uploadUrl === 'string' ? uploadUrl : undefined }
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
