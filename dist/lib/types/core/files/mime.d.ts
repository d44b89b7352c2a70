/**
 * Types for mobile builds and test artifacts that `mime` gets wrong or lacks, keyed by lower-case
 * extension without the dot. Only rows that differ from `mime` belong here (a test checks it);
 * `.apk`, `.zip` (Playwright traces, `.app.zip`, `.dSYM.zip`), `.xml` (JUnit), `.webm`, `.mp4`,
 * `.png` and `.json` are already right in `mime`.
 */
export declare const FIELD_TYPES: Readonly<Record<string, string>>;
/** The MIME type for a file name or path: {@link FIELD_TYPES}, then `mime`, then octet-stream. */
export declare function mimeTypeOf(fileName: string): string;
