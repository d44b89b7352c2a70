import { type Step } from '../errors.ts';
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
