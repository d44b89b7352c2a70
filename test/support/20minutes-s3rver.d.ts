// The parts of @20minutes/s3rver 5 (a CommonJS package that ships no types) the interop suite uses.
declare module '@20minutes/s3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface S3rverOptions {
    silent?: boolean
    directory?: string
    /** false (the default) refuses a request whose signature does not match with 403. */
    allowMismatchedSignatures?: boolean
    /** Created by configureBuckets(). */
    configureBuckets?: { name: string }[]
  }

  /** A Koa application; the interop suite serves it from its own HTTP server. */
  export default class S3rver {
    constructor(options: S3rverOptions)
    /** Creates the buckets given as `configureBuckets` in the store's directory. */
    configureBuckets(): Promise<void>
    /** The request handler, for a server of one's own. */
    getMiddleware(): (request: IncomingMessage, response: ServerResponse) => void
  }
}
