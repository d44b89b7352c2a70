import { type Step } from '../errors.ts';
import { type Dialect } from './dialect.ts';
/** Masks the upload URL's signature and refuses to send bytes in clear text across a network. */
export declare function checkUploadUrl(raw: string, mask: (secret: string) => void): URL;
/**
 * A signed URL goes to https only (or plain http on this machine): its query is a secret.
 * @param answer the step whose answer held the URL, and the field's name, for the message
 */
export declare function checkSignedUrl(raw: string, answer: {
    step: Step;
    field: string;
}): URL;
/**
 * Masks the secret part of a signed URL: its SigV4 signature, or with another signing scheme the
 * whole query. An unparseable URL is masked whole.
 */
export declare function maskSignature(raw: string, mask: (secret: string) => void): void;
/**
 * Checks a base URL of the API: https anywhere, http only to this machine, so the key never
 * crosses a network in clear; no credentials, query or fragment; no `/api/files` (the dialect's
 * collection) of its own. Returns its origin and path prefix; throws a Problem in words that
 * follow the setting's name.
 * @param caller who calls `<base URL>/api/files`, in the face's words (`the action`)
 * @param dialect the API called (default files): the collection it adds, the URL an example gives
 */
export declare function checkBaseUrl(value: string, caller: string, dialect?: Dialect): string;
/** True for hosts that never leave this machine. */
export declare function isLoopback(hostname: string): boolean;
/** True where a secret may travel: https anywhere, plain http only to this machine. */
export declare function isSecureTransport(url: URL): boolean;
