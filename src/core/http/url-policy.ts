import { HttpError, type Step } from '../errors.ts'
import { isSecureTransport } from '../settings/kinds.ts'

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
