import { HttpError, Problem, type Step } from '../errors.ts'
import { DIALECTS, type Dialect } from './dialect.ts'

/** Masks the upload URL's signature and refuses to send bytes in clear text across a network. */
export function checkUploadUrl(raw: string, mask: (secret: string) => void): URL {
  maskSignature(raw, mask)
  return checkSignedUrl(raw, { step: 'create', field: 'upload_url' })
}

/**
 * A signed URL goes to https only (or plain http on this machine): its query is a secret.
 * @param answer the step whose answer held the URL, and the field's name, for the message
 */
export function checkSignedUrl(raw: string, answer: { step: Step; field: string }): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new HttpError(answer.step, 200, `the answer has no valid ${answer.field}`)
  }
  if (!isSecureTransport(url)) {
    throw new HttpError(
      answer.step,
      200,
      `the ${answer.field} uses ${url.protocol} to ${url.host}; only https is accepted`
    )
  }
  return url
}

/**
 * Masks the secret part of a signed URL: its SigV4 signature, or with another signing scheme the
 * whole query. An unparseable URL is masked whole.
 */
export function maskSignature(raw: string, mask: (secret: string) => void): void {
  let secret: string
  try {
    const url = new URL(raw)
    secret = url.searchParams.get('X-Amz-Signature') || url.search.slice(1)
  } catch {
    secret = raw
  }
  if (secret) mask(secret)
}

/**
 * Checks a base URL of the API: https anywhere, http only to this machine, so the key never
 * crosses a network in clear; no credentials, query or fragment; no `/api/files` (the dialect's
 * collection) of its own. Returns its origin and path prefix; throws a Problem in words that
 * follow the setting's name.
 * @param caller who calls `<base URL>/api/files`, in the face's words (`the action`)
 * @param dialect the API called (default files): the collection it adds, the URL an example gives
 */
export function checkBaseUrl(
  value: string,
  caller: string,
  dialect: Dialect = DIALECTS.files
): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Problem(`'${value}' is not a URL: give one like ${dialect.defaultBaseUrl}`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Problem('must not contain credentials, a query or a fragment')
  }
  if (!isSecureTransport(url)) {
    throw new Problem(
      `'${url.protocol}//${url.host}' is not allowed: give an https:// URL (http:// only to a loopback host such as 127.0.0.1)`
    )
  }
  const prefix = url.pathname.replace(/\/+$/, '')
  refuseApiPath(value, url.origin, prefix, { caller, collection: dialect.path })
  return `${url.origin}${prefix}`
}

/**
 * A path prefix is kept, for an API served under one (behind a reverse proxy). But the client
 * adds `/api/files` (the collection) itself, so a prefix that already holds it would call
 * `/api/api/files`, and the 404 that comes back reads like a wrong project ID. Refused before any
 * request instead.
 */
function refuseApiPath(
  value: string,
  origin: string,
  prefix: string,
  { caller, collection }: { caller: string; collection: string }
): void {
  const files = new RegExp(`${collection}(/|$)`).exec(prefix)
  const at = files ? files.index : /\/api$/.test(prefix) ? prefix.length - '/api'.length : -1
  if (at < 0) return
  throw new Problem(
    `'${value}' ${files ? `contains ${collection}` : 'ends in /api'}, which ${caller} adds itself ` +
      `(it calls <base URL>${collection}): give ${origin}${prefix.slice(0, at)} instead (the base ` +
      'URL is an origin, optionally with a path prefix the API is served under)'
  )
}

/** True for hosts that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** True where a secret may travel: https anywhere, plain http only to this machine. */
export function isSecureTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))
}
