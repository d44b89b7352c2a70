// Stage results/: owns what a run leaves: its one result (built in result.ts), the manifest, the
// checksums file, the words of results and the paths they are written to; may import transfer/,
// files/, settings/, http/ and the core's shared modules.
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/**
 * One matched file and what became of it: the one record of a file that every output is derived
 * from (the manifest and its JSON, `--json`, the action's outputs and summary, the checksums file).
 */
export interface ManifestEntry {
  /** Path relative to the workspace. */
  path: string
  /** Name in the project, `name-prefix` included. */
  name: string
  /** Size in bytes. */
  sizeBytes: number
  /** MIME type. */
  mimeType: string
  /** The record's ID, once the file is in the project (or, on a dry run, already was). */
  id?: number
  /** Hex sha256 of the bytes sent, or of the file on disk when it was already there. */
  sha256?: string
  /** True when the project already held the file (`skip-existing`). */
  existing?: boolean
  /** The signed download URL (`download-url`). */
  url?: string
  /** Why the file failed, or why its download URL is missing. */
  error?: string
  /** True when the file was not uploaded because the run was cancelled (not written to JSON). */
  cancelled?: boolean
}

/** What became of a run's files, counted once (see totalsOf). */
export interface Totals {
  /** Every matched file. */
  files: number
  /** Their bytes. */
  bytes: number
  /** Put in the project by this run, confirmed or settled by reading the record back. */
  uploaded: number
  /** Already in the project (`skip-existing`), so not uploaded again. */
  existing: number
  /** Not in the project, for another reason than a cancel. */
  failed: number
  /** Not in the project because the run was cancelled. */
  cancelled: number
}

/** The full result of a run; written as JSON (snake_case, see ManifestJson) where no output size limit applies. */
export interface Manifest {
  /** The project the files went to; undefined where the key picked it (the Resources API). */
  projectId: number | undefined
  /** The name prefix. */
  namePrefix: string
  /** True for a dry run: nothing was uploaded. */
  dryRun: boolean
  /** Counts over `files`; `failed` leaves out the files a cancel stopped, which `cancelled` counts. */
  totals: Totals
  /** One entry per matched file, ordered by path. */
  files: ManifestEntry[]
}

/** The one count of a run's files, which the manifest, the log, the failure and the summary say. */
export function totalsOf(entries: readonly ManifestEntry[]): Totals {
  const count = (test: (entry: ManifestEntry) => boolean): number => entries.filter(test).length
  return {
    files: entries.length,
    bytes: entries.reduce((sum, entry) => sum + entry.sizeBytes, 0),
    uploaded: count((entry) => entry.id !== undefined && !entry.existing),
    existing: count((entry) => entry.existing === true),
    failed: count(
      (entry) => entry.id === undefined && entry.error !== undefined && !entry.cancelled
    ),
    cancelled: count((entry) => entry.cancelled === true)
  }
}

/**
 * One file in snake_case, as JSON carries it: the entries of the manifest file and of `--json`
 * (every field the entry has, in this order), and of the action's `files` output (a file in the
 * project, in the output's own order).
 */
export interface ManifestJsonEntry {
  path: string
  name: string
  size_bytes: number
  mime_type: string
  id?: number
  sha256?: string
  existing?: boolean
  url?: string
  error?: string
}

/** The manifest as JSON carries it, in snake_case: the shape of the manifest file and of `--json`. */
export interface ManifestJson {
  /** null where the key picked the project (the Resources API). */
  project_id: number | null
  name_prefix: string
  dry_run: boolean
  /** `failed` counts every file not in the project with an error, cancelled ones included. */
  totals: { files: number; bytes: number; uploaded: number; existing: number; failed: number }
  files: ManifestJsonEntry[]
}

/** The JSON shape of a manifest (or of a run's result, whose other fields are left out), in its order. */
export function toManifestJson(manifest: Manifest): ManifestJson {
  const { projectId, namePrefix, dryRun, totals, files } = manifest
  return {
    project_id: projectId ?? null,
    name_prefix: namePrefix,
    dry_run: dryRun,
    totals: {
      files: totals.files,
      bytes: totals.bytes,
      uploaded: totals.uploaded,
      existing: totals.existing,
      failed: totals.failed + totals.cancelled
    },
    files: files.map(fileJson)
  }
}

/** A file's entry in snake_case, with the fields it has (`cancelled` is counted, never written). */
export function fileJson(entry: ManifestEntry): ManifestJsonEntry {
  const { path, name, sizeBytes, mimeType, id, sha256, existing, url, error } = entry
  const json: ManifestJsonEntry = { path, name, size_bytes: sizeBytes, mime_type: mimeType }
  if (id !== undefined) json.id = id
  if (sha256 !== undefined) json.sha256 = sha256
  if (existing !== undefined) json.existing = existing
  if (url !== undefined) json.url = url
  if (error !== undefined) json.error = error
  return json
}

/** The manifest as JSON text, as it is written to a file or printed. */
export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(toManifestJson(manifest), null, 2)}\n`
}

/** Writes the manifest to a new folder under `base` (the OS temp dir by default); returns its path. */
export async function writeManifest(manifest: Manifest, base?: string): Promise<string> {
  const dir = await mkdtemp(path.join(base || os.tmpdir(), 'empiricalrun-upload-'))
  const file = path.join(dir, 'manifest.json')
  await writeFile(file, manifestJson(manifest))
  return file
}
