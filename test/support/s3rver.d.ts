// The parts of s3rver 3.7 (a CommonJS package without types) that the interop suite uses.
declare module 's3rver' {
  import type { Server } from 'node:http'
  import type { AddressInfo } from 'node:net'

  export interface S3rverOptions {
    address?: string
    port?: number
    silent?: boolean
    directory?: string
    resetOnClose?: boolean
    vhostBuckets?: boolean
    allowMismatchedSignatures?: boolean
    configureBuckets?: { name: string }[]
  }

  export default class S3rver {
    constructor(options: S3rverOptions)
    /** Creates the configured buckets and listens; resolves with the bound address. */
    run(): Promise<AddressInfo>
    close(): Promise<void>
    /** Set once run() has resolved. */
    httpServer?: Server
  }
}
