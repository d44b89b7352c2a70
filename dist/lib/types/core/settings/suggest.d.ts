/** The name within a small edit distance of `typed`, if one is clearly nearest. */
export declare function nearest(typed: string, names: readonly string[]): string | undefined;
/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
export declare function editDistance(a: string, b: string): number;
