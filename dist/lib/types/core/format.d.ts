/** Human-readable byte count: 0 B, 512 B, 1.50 KiB, 10.0 MiB, 4.00 GiB. */
export declare function formatBytes(bytes: number): string;
/** Human-readable duration: 850 ms, 1.2 s, 3 min 5 s. */
export declare function formatDuration(ms: number): string;
/** `2 s` for whole seconds, `300 ms` otherwise. */
export declare function formatSpan(ms: number): string;
/** `1 file`, `2 files`: a count with its noun, plural unless the count is one. */
export declare function plural(count: number, noun: string): string;
/** `the file`, `both files`, `all 3 files`: every one of `count` (one or more) things. */
export declare function allOf(count: number, noun: string): string;
/** The text with its first letter upper-case, to start a sentence. */
export declare function capitalized(text: string): string;
