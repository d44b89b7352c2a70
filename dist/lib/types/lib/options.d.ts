/**
 * Refuses an option no one knows, with the nearest known one when one is close: a misspelt
 * `skipExisting` would otherwise be dropped without a word and every file uploaded again.
 */
export declare function refuseUnknownOptions(options: object, known: readonly string[]): void;
/** The folder `cwd` names, taken from the current directory when relative. */
export declare function workspaceOf(cwd: unknown): string;
/** Refuses a `cwd` that is not a folder, before any request: patterns would match nothing in it. */
export declare function requireFolder(folder: string): Promise<void>;
/** `apiKey`, or the EMPIRICALRUN_KEY environment variable when it is left out or blank, as the action does. */
export declare function keyOf(apiKey: unknown, env: NodeJS.ProcessEnv): unknown;
