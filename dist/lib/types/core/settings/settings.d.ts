/**
 * The contract, written once: a row per setting with its action input, CLI flag, library option,
 * kind, default and help. The action's input reading, the CLI's parser and --help, the library's
 * types and every InputError derive from this table.
 */
import { InputError } from '../errors.ts';
import { type Api } from '../http/dialect.ts';
import { type Face, type Kind } from './kinds.ts';
import type { PatternLine } from './patterns.ts';
export type { Face } from './kinds.ts';
/** The environment variable that holds the API key, in every face. */
export declare const KEY_ENV = "EMPIRICALRUN_KEY";
/** Test hook: the first retry delay in milliseconds (default 1000). */
export declare const RETRY_BASE_ENV = "EMPIRICALRUN_RETRY_BASE_MS";
/** Test hook: milliseconds between progress lines (default 10000). */
export declare const PROGRESS_INTERVAL_ENV = "EMPIRICALRUN_PROGRESS_INTERVAL_MS";
/** What to do when the patterns match nothing. */
export type NoFilesBehaviour = 'error' | 'warn' | 'ignore';
/** One setting of the contract. */
export interface Setting<In = unknown, Out = unknown> {
    /** The action's input in action.yml. */
    input: string;
    /** The CLI's flag without its dashes; none for the key, which comes from the environment only. */
    flag: string | undefined;
    /** What --help shows after a flag that takes a value (`<n>`); none for a switch. */
    value: string | undefined;
    /** How the value is read, checked and described. */
    kind: Kind<In, Out>;
    /** The value when none is given; a setting without one is required. */
    default: Out | undefined;
    /** One line of help, as --help shows it. */
    help: string;
}
/** Every setting, in action.yml's order; the keys are the library's option names. */
export declare const SETTINGS: {
    /** The API key; needed unless `dryRun` is set without `skipExisting`. */
    readonly apiKey: Setting<string, string>;
    /**
     * The project that receives the files: an integer from 1. Required with the Files API; refused
     * with the Resources API, where the key picks the project (resolve.ts decides).
     */
    readonly projectId: Setting<number, number>;
    /** Glob patterns, one per entry or line: globs, directories, `!` exclusions, `#` comments. */
    readonly files: Setting<string | readonly string[], PatternLine[]>;
    /** Description set on every file (default none). */
    readonly description: Setting<string, string>;
    /**
     * The API's base URL: an origin, optionally with a path prefix; http only to a loopback host.
     * Blank is the API's own (resolve.ts): https://dash.empirical.run for files,
     * https://api.empirical.run for resources.
     */
    readonly baseUrl: Setting<string, string>;
    /** Which of the vendor's APIs to call: `files` (default, the project named by projectId) or `resources` (the key's project). */
    readonly api: Setting<Api, Api>;
    /** What to do when nothing matches: `error` (default), `warn` or `ignore`. */
    readonly ifNoFilesFound: Setting<NoFilesBehaviour, NoFilesBehaviour>;
    /** Upload dot-files and files under dot-directories too (default false). */
    readonly includeHiddenFiles: Setting<boolean, boolean>;
    /** Files in flight at once, 1 to 64 (default 8). */
    readonly concurrency: Setting<number, number>;
    /** Retries of a transient failure per request, 0 to 10 (default 5). */
    readonly retries: Setting<number, number>;
    /** Seconds a request may go without progress, 1 to 3600 (default 60). */
    readonly requestTimeout: Setting<number, number>;
    /** List the files and upload nothing (default false). */
    readonly dryRun: Setting<boolean, boolean>;
    /** Put verbatim before every name, such as `builds/v1.2.3/` (default none). */
    readonly namePrefix: Setting<string, string>;
    /** Leave out files the project already holds under the same name and size (default false). */
    readonly skipExisting: Setting<boolean, boolean>;
    /** Read each file's signed download URL once it is in the project (default false). */
    readonly downloadUrl: Setting<boolean, boolean>;
    /** Read each file back from storage and compare its sha256; upload it again when they differ (default false). */
    readonly verify: Setting<boolean, boolean>;
};
/** A setting's key: the library's option name. */
export type SettingKey = keyof typeof SETTINGS;
/** The keys in the table's order. */
export declare const SETTING_KEYS: SettingKey[];
type InOf<S> = S extends Setting<infer In, unknown> ? In : never;
type OutOf<S> = S extends Setting<unknown, infer Out> ? Out : never;
type RequiredKey = 'files';
/** A setting's value as a program gives it. */
export type OptionValue<K extends SettingKey> = InOf<(typeof SETTINGS)[K]>;
/** What an upload is asked to do, as a program gives it: one option per setting, typed as values. */
export type SettingOptions = {
    [K in RequiredKey]: OptionValue<K>;
} & {
    [K in Exclude<SettingKey, RequiredKey>]?: OptionValue<K> | undefined;
};
/** Every setting, parsed and validated once, with what the faces add. */
export type Settings = {
    [K in Exclude<SettingKey, 'projectId'>]: OutOf<(typeof SETTINGS)[K]>;
} & {
    /** The project that receives the files; undefined with the Resources API, where the key picks it. */
    projectId: number | undefined;
    /** The directory patterns are relative to and output paths are relative to. */
    workspace: string;
    /** First retry delay in milliseconds; doubles each time. */
    retryBaseMs: number;
    /** Milliseconds between progress lines while uploads run. */
    progressIntervalMs: number;
};
/** The patterns of `files`, parsed. */
export type Patterns = PatternLine[];
/** How a face names a setting: `auth-key` in the action, `--project-id` on a command line, `apiKey` in code. */
export declare function nameOf(key: SettingKey, face: Face): string;
/**
 * An InputError for `key`, in the words of `face`. On a command line, a detail that names its
 * own subject (a pattern, the missing key) stands alone.
 */
export declare function inputError(key: SettingKey, detail: string, face: Face, bare?: boolean): InputError;
