import { type Face, type SettingKey } from './settings.ts';
/** `set 'x' to a or b` (action), `give --x a or b` / `add --x` (CLI), `set x to 'a' or 'b'` (library). */
export declare function setTo(face: Face, key: SettingKey, values: readonly (string | boolean)[]): string;
/** `check project-id`, in the face's words; the action names the key's input and its variable. */
export declare function check(face: Face, key: SettingKey): string;
/** Why a refused key failed, and what to check. */
export declare function keyRefusedHint(face: Face): string;
/**
 * Why the API answered 404 to a request on the project's files, and what to check. Both settings
 * can cause it, so both are named; `filesUrl` shows where the API was looked for, which makes a
 * base URL with one path segment too many plain to see, and which API it was: where the request
 * names the project (files) that is project-id; where the key picks it (resources), the key.
 */
export declare function notFoundHint(face: Face, filesUrl: string): string;
/** The hint for a failure a setting explains (a refused key, a 404 from the API), if any. */
export declare function settingHint(error: unknown, filesUrl: string, face: Face): string | undefined;
