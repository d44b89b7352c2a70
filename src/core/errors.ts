/** The three protocol steps, and the two reads: `list` (the project's files) and `get` (one file). */
export type Step = 'create' | 'upload' | 'confirm' | 'list' | 'get' | 'verify'

/** A bad input value, found before any request is made. */
export class InputError extends Error {
  /** The setting (the action input, the CLI flag, or an environment variable) that holds the bad value. */
  readonly input: string
  /** What is wrong and what is allowed, without the setting's name. */
  readonly detail: string
  /** The same setting as the library's option names it (`projectId`, `apiKey`). */
  readonly option: string

  constructor(input: string, detail: string) {
    super(`Input '${input}': ${detail}`)
    this.name = 'InputError'
    this.input = input
    this.detail = detail
    this.option = optionOf(input)
  }
}

/** Library options whose names are not the input's in camelCase. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  'auth-key': 'apiKey',
  EMPIRICALRUN_RETRY_BASE_MS: 'retryBaseMs',
  EMPIRICALRUN_PROGRESS_INTERVAL_MS: 'progressIntervalMs'
}

/** `project-id` → `projectId`: an action input's name as the library's option. */
function optionOf(input: string): string {
  return (
    OPTION_NAMES[input] ?? input.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
  )
}

/** An HTTP answer outside 2xx, or a 2xx whose body is not what the API documents. */
export class HttpError extends Error {
  /** Which protocol step the request belonged to. */
  readonly step: Step
  /** The HTTP status, or 0 when no answer arrived. */
  readonly status: number
  /** The server's own words: `error`/`message` from JSON, `<Code>`/`<Message>` from XML, or a short text slice. */
  readonly serverMessage: string
  /** The storage error code (`ExpiredRequest`, `SignatureDoesNotMatch`, ...) when the body carried one. */
  readonly code: string | undefined
  /** Seconds the server asked us to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    step: Step,
    status: number,
    serverMessage: string,
    extra: { code?: string | undefined; retryAfterSeconds?: number | undefined } = {}
  ) {
    super(`${step} failed: HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`)
    this.name = 'HttpError'
    this.step = step
    this.status = status
    this.serverMessage = serverMessage
    this.code = extra.code
    this.retryAfterSeconds = extra.retryAfterSeconds
  }
}

/** No HTTP answer: connection refused or reset, DNS failure, timeout, a stalled upload. */
export class NetworkError extends Error {
  /** Which protocol step the request belonged to. */
  readonly step: Step

  constructor(step: Step, message: string, options?: { cause?: unknown }) {
    super(`${step} failed: ${message}`, options)
    this.name = 'NetworkError'
    this.step = step
  }
}

/** The file on disk is not what was listed: it vanished, changed size, or cannot be read. */
export class FileChangedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FileChangedError'
  }
}

/**
 * A file that could not be opened or read. One that is gone was there when it was listed, so it
 * is reported as such (README: a file removed while the action ran), not as a bare ENOENT.
 * @param when `after it was listed` or `while it was being uploaded`
 */
export function unreadableFile(error: unknown, when: string): FileChangedError {
  if ((error as { code?: unknown }).code === 'ENOENT') {
    return new FileChangedError(`the file disappeared ${when}`)
  }
  return new FileChangedError(`cannot read the file: ${messageOf(error)}`)
}

/** A confirm failed without a definite answer, and reading the record back failed too. */
export class UnknownStateError extends Error {
  /** The record whose state is unknown. */
  readonly id: number

  constructor(id: number, confirmError: unknown, readError: unknown) {
    super(
      `${messageOf(confirmError)}; reading record ${id} back failed too (${messageOf(readError)}), ` +
        'so its state is unknown: the project may list it as uploaded'
    )
    this.name = 'UnknownStateError'
    this.id = id
  }
}

/** Why a refused key failed, and what to check. */
export const KEY_REFUSED_HINT =
  'the API key was refused: check auth-key / EMPIRICALRUN_KEY and that the key is not revoked'

/**
 * Why the API answered 404 to a request on the project's files, and what to check. Both settings
 * can cause it, so both are named; `filesUrl` shows where the files API was looked for, which
 * makes a base-url with one path segment too many plain to see.
 */
export function notFoundHint(filesUrl: string): string {
  return (
    'no such project, or the key cannot see it: check project-id; ' +
    `or no files API at ${filesUrl}: check base-url`
  )
}

/** The hint for a failure a setting explains (a refused key, a 404 from the API), if any. */
export function settingHint(error: unknown, filesUrl: string): string | undefined {
  if (isAuthFailure(error)) return KEY_REFUSED_HINT
  const onFiles = error instanceof HttpError && (error.step === 'create' || error.step === 'list')
  return onFiles && error.status === 404 ? notFoundHint(filesUrl) : undefined
}

/** Listing the project's files (`skip-existing`) failed for good, so nothing may be uploaded. */
export class ListFailedError extends Error {
  /** @param hint what to check, when a setting explains the failure (see settingHint) */
  constructor(cause: unknown, hint?: string) {
    super(
      "skip-existing: the project's files could not be listed, so nothing was uploaded " +
        `(uploading without the list could make duplicates): ${messageOf(cause)}` +
        (hint ? ` (${hint})` : ''),
      { cause }
    )
    this.name = 'ListFailedError'
  }
}

/** The run was cancelled (SIGINT/SIGTERM) before this work finished. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled')
    this.name = 'CancelledError'
  }
}

/** The server refused the API key: nothing else can succeed, so the whole run stops. */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof HttpError && error.status === 401 && error.step !== 'upload'
}

/** Returns a one-line message for any thrown value, without a stack trace. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
