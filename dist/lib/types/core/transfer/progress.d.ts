/** What a progress line reports. */
export interface ProgressState {
    /** Bytes that have left for storage. */
    sentBytes: number;
    /** Bytes to send in all. */
    totalBytes: number;
    /** Files finished, whichever way. */
    doneFiles: number;
    /** Files in all. */
    totalFiles: number;
    /** Bytes per second over the last interval. */
    bytesPerSecond: number;
}
/** One progress line: `… 1.20 GiB of 3.40 GiB sent (35%), 3 of 120 files done, 45.8 MiB/s`. */
export declare function progressLine(state: ProgressState): string;
/**
 * Counts bytes as they leave and files as they finish, and reports them every `intervalMs`
 * while uploads run. A run shorter than one interval reports nothing.
 */
export declare class Progress {
    #private;
    constructor(totals: {
        bytes: number;
        files: number;
    }, intervalMs: number, report: (state: Readonly<ProgressState>) => void);
    /** Bytes that left (or, negative, a failed attempt's bytes that must be sent again). */
    sent(bytes: number): void;
    /** One more file finished. */
    fileDone(): void;
    /** Stops the timer; nothing is reported after this. */
    stop(): void;
}
