// The library's check of the Node.js version, imported first by index.ts. ES modules evaluate
// their imports in order, and the bundle keeps that order: this module's body runs before any
// module after it, so on a Node.js older than engines the import (or require()) fails here with
// one line, not in undici's set-up further on (on Node 20 a TypeError about zstd).
import { tooOldNode } from '../core/engines.ts'

/** The package as its users import it: what the refusal names. */
export const PACKAGE_NAME = '@empiricalrun/upload-files'

/**
 * Why the library cannot load on this Node.js, in one line. It carries no stack: the frames would
 * show only the import, and Node prints a thrown error's stack in full.
 */
export class NodeVersionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NodeVersionError'
    this.stack = `${this.name}: ${message}`
  }
}

/**
 * Throws NodeVersionError when `version` (such as `process.version`) is older than package.json's
 * engines allow.
 */
export function checkNode(version: string): void {
  const tooOld = tooOldNode(PACKAGE_NAME, version)
  if (tooOld !== undefined) throw new NodeVersionError(tooOld)
}

checkNode(process.version)
