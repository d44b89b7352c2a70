import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

/** Query parameters that carry the presigned authentication itself. */
const AUTH_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature'
] as const

/** S3 presigned URLs do not sign the payload; this header carries that choice into the signer. */
const PAYLOAD_HEADER = 'x-amz-content-sha256'
const NOT_HOISTED = new Set([PAYLOAD_HEADER])

/** What to presign: the storage request as the client will send it. */
export interface PresignInput {
  /** 'PUT' for uploads, 'GET' for downloads. */
  method: string
  /** URL path, already percent-encoded, starting with '/'. */
  path: string
  /** Host header value, e.g. '127.0.0.1:41235'. */
  host: string
  /** Headers to sign besides host (lower-case names); x-amz-* ones end up in the query. */
  headers: Record<string, string>
  /** Extra query parameters that are signed too. */
  query: Record<string, string | string[]>
  /** The X-Amz-Date. */
  signingDate: Date
  /** The X-Amz-Expires, in seconds. */
  expiresIn: number
}

/** The authentication parameters of a presigned request, parsed. */
export interface QueryAuth {
  /** When the URL was signed. */
  signingDate: Date
  /** Lifetime in seconds. */
  expiresIn: number
}

/** Presigns and verifies storage URLs with one random credential per emulator instance. */
export interface Presigner {
  /** Returns the query string (without '?') of a presigned URL. */
  presign(input: PresignInput): Promise<string>
  /** True when the request's X-Amz-Signature is what this signer computes for it. */
  verify(request: VerifyInput): Promise<boolean>
}

/** A received storage request to check. */
export interface VerifyInput {
  /** HTTP method. */
  method: string
  /** Canonical (S3-encoded) path. */
  path: string
  /** Headers as received. */
  headers: IncomingHttpHeaders
  /** The query as received. */
  query: URLSearchParams
  /** Parsed X-Amz-Date / X-Amz-Expires. */
  auth: QueryAuth
}

/** Creates a presigner with a fresh random secret (service 's3', region 'auto', like R2). */
export function createPresigner(): Presigner {
  const signer = new SignatureV4({
    service: 's3',
    region: 'auto',
    sha256: Sha256,
    uriEscapePath: false,
    credentials: {
      accessKeyId: `EMU${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(32).toString('base64')
    }
  })
  const sign = async (input: PresignInput): Promise<Record<string, string | string[]>> => {
    const signed = await signer.presign(
      {
        method: input.method,
        protocol: 'http:',
        hostname: input.host,
        path: input.path,
        query: { ...input.query },
        headers: { ...input.headers, host: input.host, [PAYLOAD_HEADER]: 'UNSIGNED-PAYLOAD' }
      },
      {
        signingDate: input.signingDate,
        expiresIn: input.expiresIn,
        unsignableHeaders: NOT_HOISTED,
        unhoistableHeaders: NOT_HOISTED
      }
    )
    const query: Record<string, string | string[]> = {}
    for (const [key, value] of Object.entries(signed.query ?? {}))
      if (value !== null) query[key] = value
    return query
  }
  return {
    presign: async (input) => serializeQuery(await sign(input)),
    verify: async (request) => {
      const input = toPresignInput(request)
      if (!input) return false
      return sameAuth(await sign(input), request.query)
    }
  }
}

/** Rebuilds what must have been presigned from the received request; undefined if a signed header is missing. */
function toPresignInput(request: VerifyInput): PresignInput | undefined {
  const signedNames = (request.query.get('X-Amz-SignedHeaders') ?? '').split(';')
  const host = request.headers.host
  if (host === undefined) return undefined
  const headers: Record<string, string> = {}
  for (const name of signedNames) {
    if (name === 'host') continue
    const value = request.headers[name]
    if (typeof value !== 'string') return undefined
    headers[name] = value
  }
  const query: Record<string, string | string[]> = {}
  for (const key of new Set(request.query.keys())) {
    if (isAuthParam(key)) continue
    const values = request.query.getAll(key)
    query[key] = values.length === 1 ? values[0]! : values
  }
  const { signingDate, expiresIn } = request.auth
  return {
    method: request.method,
    path: request.path,
    host,
    headers,
    query,
    signingDate,
    expiresIn
  }
}

/** Compares every auth parameter; the signature in constant time. */
function sameAuth(expected: Record<string, string | string[]>, got: URLSearchParams): boolean {
  for (const key of AUTH_PARAMS) {
    if (key === 'X-Amz-Signature') continue
    if (expected[key] !== got.get(key)) return false
  }
  const want = Buffer.from(String(expected['X-Amz-Signature']))
  const have = Buffer.from(got.get('X-Amz-Signature') ?? '')
  return want.length === have.length && timingSafeEqual(want, have)
}

function isAuthParam(key: string): boolean {
  return (AUTH_PARAMS as readonly string[]).includes(key)
}

/**
 * Parses X-Amz-Date and X-Amz-Expires; returns an error message when they are missing or malformed.
 */
export function parseQueryAuth(query: URLSearchParams): QueryAuth | string {
  const missing = AUTH_PARAMS.filter((key) => !query.has(key))
  if (missing.length > 0) return `Query-string authentication requires ${missing.join(', ')}`
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '')
  if (!date) return "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
  const [y, mo, d, h, mi, s] = date.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const expires = query.get('X-Amz-Expires') ?? ''
  if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > 604800) {
    return 'X-Amz-Expires must be between 1 and 604800 seconds'
  }
  return { signingDate: new Date(Date.UTC(y, mo - 1, d, h, mi, s)), expiresIn: Number(expires) }
}

/** True when the URL's lifetime is over at `now`. */
export function isExpired(auth: QueryAuth, now = Date.now()): boolean {
  return now > auth.signingDate.getTime() + auth.expiresIn * 1000
}

/** S3 path encoding: RFC 3986 unreserved characters stay, everything else is percent-encoded. */
export function s3Encode(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

/**
 * The canonical form of a received path: decoded and re-encoded per segment, as S3 does, so a client
 * that leaves e.g. '(' unencoded still matches. Undefined when the path is not valid percent-encoding.
 */
export function canonicalPath(rawPath: string): string | undefined {
  try {
    return rawPath
      .split('/')
      .map((segment) => s3Encode(decodeURIComponent(segment)))
      .join('/')
  } catch {
    return undefined
  }
}

/** Serializes a signed query in insertion order, encoded like the signer encodes it. */
function serializeQuery(query: Record<string, string | string[]>): string {
  return Object.entries(query)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => [key, v]))
    .map(([key, value]) => `${s3Encode(key!)}=${s3Encode(value!)}`)
    .join('&')
}
