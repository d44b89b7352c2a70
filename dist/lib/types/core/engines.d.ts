/**
 * The oldest Node.js the CLI and the library run on: package.json's `engines.node` without its
 * `>=` (test/core/engines.test.ts checks that the two agree). On an older one their bundles fail
 * while they load (undici's set-up on Node 20 throws), so each face checks before it loads them.
 */
export declare const MIN_NODE = "22.19.0";
/**
 * The one line a face gives instead of starting when `version` (such as `process.version`) is
 * older than `needed`, naming `product` as the user knows it (`empiricalrun-upload`, or the
 * package `@empiricalrun/upload-files`); undefined when it is not older, or not a version at all.
 */
export declare function tooOldNode(product: string, version: string, needed?: string): string | undefined;
