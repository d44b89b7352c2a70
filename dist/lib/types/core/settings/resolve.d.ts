import { type Face, type Kind } from './kinds.ts';
import { type SettingKey, type Settings } from './settings.ts';
/** Where a value comes from: text that a workflow or a shell typed, or a program's value. */
export type Source = 'text' | 'value';
/**
 * Reads one setting: its default when absent or blank; throws InputError in the face's words.
 * `kind` stands in for the row's where the API changes the check (the base URL).
 */
export declare function readSetting<K extends SettingKey>(key: K, given: unknown, source: Source, face: Face, kind?: Kind<unknown, Settings[K]>): Settings[K];
/** What the faces add to the settings. */
export interface FaceContext {
    /** The face whose words errors use. */
    face: Face;
    /** Whether the values are text (the action, the CLI) or a program's values (the library). */
    source: Source;
    /** The directory patterns start from. */
    workspace: string;
    /** First retry delay in milliseconds (a test hook; default 1000). */
    retryBaseMs?: string | number | undefined;
    /** Milliseconds between progress lines (a test hook; default 10000). */
    progressIntervalMs?: string | number | undefined;
}
/**
 * Validates every setting; throws InputError naming the first bad one, before any request. The
 * API is read first: whether a project ID is wanted, the base URL's default and the path it must
 * not hold depend on it.
 */
export declare function resolveSettings(given: Partial<Record<SettingKey, unknown>>, ctx: FaceContext): Settings;
