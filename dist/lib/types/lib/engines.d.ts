/** The package as its users import it: what the refusal names. */
export declare const PACKAGE_NAME = "@empiricalrun/upload-files";
/**
 * Why the library cannot load on this Node.js, in one line. It carries no stack: the frames would
 * show only the import, and Node prints a thrown error's stack in full.
 */
export declare class NodeVersionError extends Error {
    constructor(message: string);
}
/**
 * Throws NodeVersionError when `version` (such as `process.version`) is older than package.json's
 * engines allow.
 */
export declare function checkNode(version: string): void;
