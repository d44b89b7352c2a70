import type { Dialect } from '../http/dialect.ts';
import { type PatternLine } from './patterns.ts';
/** The face a setting was given through; each names settings in its own words. */
export type Face = 'action' | 'cli' | 'library';
/** How a setting's value is read, checked and described. */
export interface Kind<In, Out> {
    /** Reads text as a workflow or a shell gives it; undefined when blank (the default applies). */
    fromText(raw: string, face: Face): Out | undefined;
    /** Checks a program's value; undefined when absent (the default applies). */
    fromValue(value: unknown, face: Face): Out | undefined;
    /** What is allowed, for an error: `an integer from 1 to 64`. */
    allowed(face: Face): string;
    /** The bounds --help shows (`1 to 64`); none for an unbounded kind. */
    range?: string;
    /** True for a yes-or-no setting: a CLI switch. */
    switch?: boolean;
    /** Only for the type of a program's value; never set. */
    readonly in?: In;
}
/** A whole number within bounds. */
export declare function integer(min: number, max: number): Kind<number, number>;
/** The YAML 1.2 core booleans, as `core.getBooleanInput` reads them. */
export declare function boolean(): Kind<boolean, boolean>;
/** One of a few words, read without regard to case. */
export declare function choice<T extends string>(values: readonly T[]): Kind<T, T>;
/** Text, trimmed as `core.getInput` trims it, then checked by `refine` (which may rewrite it). */
export declare function text(refine?: (value: string, face: Face) => string): Kind<string, string>;
/** Pattern lines: at least one that includes files. */
export declare function patterns(): Kind<string | readonly string[], PatternLine[]>;
/** Checks the key: fit for an HTTP header. */
export declare function parseKey(key: string): string;
/**
 * Checks `name-prefix`, kept verbatim (inner spaces included) so that `nightly-` and `builds/v1/`
 * both work. What could climb out of the project's folder, or mean another thing on Windows, is
 * refused.
 */
export declare function parseNamePrefix(raw: string): string;
/**
 * Checks `base-url`: https anywhere, http only to this machine, so the key never crosses a network
 * in clear; without the path the API's `dialect` adds itself (default the Files API's).
 */
export declare function parseBaseUrl(value: string, face: Face, dialect?: Dialect): string;
