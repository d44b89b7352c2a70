/**
 * The three protocol steps; the two reads of the API, `list` (the project's files) and `get` (one
 * file); and `verify`, the read of the stored bytes through a signed download URL.
 */
export type Step = 'create' | 'upload' | 'confirm' | 'list' | 'get' | 'verify'

/** The names of the setting a bad value was given for. */
export interface SettingNames {
  /** The library's option name (`projectId`); undefined for a test hook's environment variable. */
  setting: string | undefined
  /** The action's input (`project-id`), or the environment variable of a test hook. */
  input: string
  /** The CLI's flag without its dashes; undefined for the key, which has none. */
  flag: string | undefined
}

/** What is wrong with a value, without the setting's name. */
export class Problem extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'Problem'
  }
}

/** A bad setting, found before any request. Its message names the setting in the words of the face it came through. */
export class InputError extends Error {
  /** The setting as the library's option names it (`projectId`, `apiKey`). */
  readonly option: string
  /** The setting as the action's input names it (`project-id`, `auth-key`). */
  readonly input: string
  /** The CLI's flag without dashes (`project-id`); undefined for the key, which comes from EMPIRICALRUN_KEY. */
  readonly flag: string | undefined
  /** What is wrong and what is allowed, without the setting's name. */
  readonly detail: string

  constructor(names: SettingNames, detail: string, message: string) {
    super(message)
    this.name = 'InputError'
    this.option = names.setting ?? names.input
    this.input = names.input
    this.flag = names.flag
    this.detail = detail
  }
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

/**
 * The file is no longer the size it was listed with.
 * @param when `after it was listed` or `while it was being uploaded`
 */
export function changedSize(listed: number, size: number, when: string): FileChangedError {
  return new FileChangedError(`the file changed size from ${listed} to ${size} bytes ${when}`)
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

/** Listing the project's files (`skip-existing`) failed for good, so nothing may be uploaded. */
export class ListFailedError extends Error {
  /**
   * @param setting how the face names skip-existing
   * @param hint what to check, when a setting explains the failure (see settingHint)
   */
  constructor(setting: string, cause: unknown, hint?: string) {
    super(
      `${setting}: the project's files could not be listed, so nothing was uploaded ` +
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
  // Storage (an upload or a read-back through a signed URL) never sees the key.
  const storage = error instanceof HttpError && (error.step === 'upload' || error.step === 'verify')
  return error instanceof HttpError && error.status === 401 && !storage
}

/** The failures a request gave up with once every retry was spent, with how many that was. */
const retriesSpent = new WeakMap<Error, number>()

/** Marks `error` as the end of a request that spent all its `retries` (one or more). */
export function spentRetries(error: Error, retries: number): void {
  retriesSpent.set(error, retries)
}

/**
 * Returns a one-line message for any thrown value, without a stack trace; for a request that
 * failed after spending its retries, it says so: `create failed: HTTP 503 (after 5 retries)`.
 */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const retries = retriesSpent.get(error)
  if (retries === undefined) return error.message
  return `${error.message} (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`
}

/** A pattern the glob refuses: empty, with a `.` or `..` segment, or a wildcard in its root. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PatternError'
  }
}
