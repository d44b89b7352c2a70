/**
 * The library: `uploadFiles(options)` puts the files that glob patterns match into an
 * empirical.run project and resolves with what became of each one.
 */
// First, so that it runs before the modules below: on a Node.js older than engines, the import
// fails with one line naming the Node.js needed.
import './engines.ts'
export { uploadFiles } from './upload-files.ts'
export type { UploadHooks, UploadOptions } from './upload-files.ts'
export type { UploadResult } from '../core/results/result.ts'
export type { NoFilesBehaviour } from '../core/settings/settings.ts'
export type {
  Manifest,
  ManifestEntry,
  ManifestJson,
  ManifestJsonEntry
} from '../core/results/manifest.ts'
export { toManifestJson } from '../core/results/manifest.ts'
export { checksumsOf, formatChecksums } from '../core/results/checksums.ts'
export type { ChecksumEntry } from '../core/results/checksums.ts'
export type { Logger } from '../core/log.ts'
export type { ProgressState } from '../core/transfer/progress.ts'
export { InputError } from '../core/errors.ts'
export { VERSION } from '../core/version.ts'
