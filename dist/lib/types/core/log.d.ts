/**
 * Where the core's words go. The core never writes to a stream itself: the action hands in
 * `@actions/core`, the CLI its own stderr writer, a library caller whatever it likes.
 */
export interface Logger {
    /** A line of the human log. */
    info(message: string): void;
    /** Something the user should look at; the run goes on. */
    warning(message: string): void;
    /** Detail for troubleshooting, shown only when asked for. */
    debug(message: string): void;
    /** True when debug lines are shown, so that none are built for nothing. */
    isDebug(): boolean;
    /** Opens a foldable section of the log. */
    startGroup(heading: string): void;
    /** Closes the section `startGroup` opened. */
    endGroup(): void;
    /** Registers a secret (the key, a URL's signature) before anything could print it. */
    mask(secret: string): void;
}
/** A logger that drops everything: the library's default. */
export declare const SILENT: Logger;
/**
 * The given methods, with the silent ones for those left out. Each distinct secret reaches the
 * given `mask` once: a runner prints each registration, and one is enough.
 */
export declare function loggerOf(partial?: Partial<Logger>): Logger;
