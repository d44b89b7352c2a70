/**
 * Where the core's words go. The core never writes to a stream itself: the action hands in
 * `@actions/core`, the CLI its own stderr writer, a library caller whatever it likes.
 */
export interface Logger {
  /** A line of the human log. */
  info(message: string): void
  /** Something the user should look at; the run goes on. */
  warning(message: string): void
  /** Detail for troubleshooting, shown only when asked for. */
  debug(message: string): void
  /** True when debug lines are shown, so that none are built for nothing. */
  isDebug(): boolean
  /** Opens a foldable section of the log. */
  startGroup(heading: string): void
  /** Closes the section `startGroup` opened. */
  endGroup(): void
  /** Registers a secret (the key, a URL's signature) before anything could print it. */
  mask(secret: string): void
}

const ignore = (): void => {}

/** A logger that drops everything: the library's default. */
export const SILENT: Logger = {
  info: ignore,
  warning: ignore,
  debug: ignore,
  isDebug: () => false,
  startGroup: ignore,
  endGroup: ignore,
  mask: ignore
}

/**
 * The given methods, with the silent ones for those left out. Each distinct secret reaches the
 * given `mask` once: a runner prints each registration, and one is enough.
 */
export function loggerOf(partial: Partial<Logger> = {}): Logger {
  const logger = { ...SILENT, ...partial }
  if (!partial.mask) return logger
  const masked = new Set<string>()
  const mask = logger.mask
  return {
    ...logger,
    mask: (secret) => {
      if (masked.has(secret)) return
      masked.add(secret)
      mask(secret)
    }
  }
}
