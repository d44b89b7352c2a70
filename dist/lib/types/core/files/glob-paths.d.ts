/** Like @actions/glob, the platform is fixed when the module loads. */
export declare const WINDOWS: boolean;
/**
 * A relative pattern joined to `root` as `path.join` joins it, `..` and `.` resolved; the part
 * that is the root (or the ancestor a `..` climbed to) is escaped so that a folder named
 * `ws[1]` stays literal. Patterns from home or a root are left as they are.
 */
export declare function anchored(body: string, root: string): string;
/** Validates the pattern, then roots it at `root`, home or drive, with normalized separators. */
export declare function absolutePattern(pattern: string, root: string): string;
/** A segment's literal text with escapes resolved, or '' when it holds a wildcard. */
export declare function literalOf(segment: string): string;
/** Path segments, the first being the root when there is one (`/`, `C:\`, `\\host\share`). */
export declare function splitSegments(p: string): string[];
/** The inverse of splitSegments: no separator after a root that ends in one, or after `C:`. */
export declare function joinSegments(segments: readonly string[]): string;
/** Collapses repeated separators (keeping a UNC `\\`); on Windows `/` becomes `\`. */
export declare function normalizeSeparators(p: string): string;
/** Drops a trailing separator unless it is the root's own. */
export declare function trimTrailingSeparator(p: string): string;
/** path.dirname, except that a UNC root (`\\host` or `\\host\share`) is its own parent. */
export declare function dirname(p: string): string;
