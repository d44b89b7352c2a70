/** The S3 errors the storage server answers with: default status and message, as R2/S3 word them. */
export const S3_ERRORS = {
  AccessDenied: [403, 'Access Denied'],
  AuthorizationQueryParametersError: [400, 'Query-string authentication parameters are invalid.'],
  BadDigest: [400, 'The CRC32 you specified did not match the calculated checksum.'],
  BadGateway: [502, 'Bad gateway.'],
  ClientDisconnect: [400, 'Client disconnected before the request completed.'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed object size.'],
  ExpiredRequest: [403, 'Request has expired'],
  GatewayTimeout: [504, 'Gateway timeout.'],
  IncompleteBody: [
    400,
    'You did not provide the number of bytes specified by the Content-Length HTTP header.'
  ],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  InvalidArgument: [
    400,
    'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query ' +
      'string parameter or the Authorization header should be specified'
  ],
  InvalidURI: [400, "Couldn't parse the specified URI."],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MissingContentLength: [411, 'You must provide the Content-Length HTTP header.'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented.'],
  OperationAborted: [409, 'A conflicting conditional operation is in progress on this resource.'],
  RequestTimeout: [408, 'Your socket connection to the server was not read from or written to.'],
  ServiceUnavailable: [503, 'Please reduce your request rate.'],
  SignatureDoesNotMatch: [
    403,
    'The request signature we calculated does not match the signature you provided. ' +
      'Check your secret access key and signing method.'
  ],
  TooManyRequests: [429, 'Reduce your concurrent request rate for the same object.']
} as const satisfies Record<string, readonly [number, string]>

/** An S3 error code the emulator knows. */
export type S3Code = keyof typeof S3_ERRORS

/** S3-style XML error document. */
export function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
}

/** Several codes share 400; a bare 400 fault means the retryable one. */
const PREFERRED: Partial<Record<number, S3Code>> = { 400: 'ClientDisconnect' }

/** The code a storage status fault answers with when it brings no body of its own. */
export function s3CodeFor(status: number): S3Code {
  const preferred = PREFERRED[status]
  if (preferred) return preferred
  const match = Object.entries(S3_ERRORS).find(([, [known]]) => known === status)
  return match ? (match[0] as S3Code) : 'InternalError'
}
