// Stage results/: owns what a run leaves: the manifest, the checksums file, the report's words and
// the paths they are written to; may import transfer/, files/, settings/, http/ and the core's
// shared modules.
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { LocalFile } from '../files/files.ts'
import type { ProjectListing } from '../transfer/listing.ts'
import type { Outcome } from '../transfer/upload.ts'

/** One matched file in the manifest, with what became of it. */
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

/** The full result of a run; written as JSON (snake_case, see ManifestJson) where no output size limit applies. */
export interface Manifest {
  /** The project the files went to. */
  projectId: number
  /** The name prefix. */
  namePrefix: string
  /** True for a dry run: nothing was uploaded. */
  dryRun: boolean
  /** Counts over `files`; `failed` leaves out the files a cancel stopped, which `cancelled` counts. */
  totals: {
    files: number
    bytes: number
    uploaded: number
    existing: number
    failed: number
    cancelled: number
  }
  /** One entry per matched file, ordered by path. */
  files: ManifestEntry[]
}

/** What a manifest is made from: the run's settings and each file's outcome (none on a dry run). */
export interface ManifestSource {
  projectId: number
  namePrefix: string
  files: readonly LocalFile[]
  outcomes?: readonly Outcome[]
  /** The project's listing (`skip-existing`), for a dry run's entries. */
  listing?: ProjectListing | undefined
}

/** Builds the manifest of a run or a dry run. */
export function buildManifest(source: ManifestSource): Manifest {
  const entries = source.files.map((file, index) =>
    source.outcomes
      ? outcomeEntry(source.outcomes[index] as Outcome)
      : dryRunEntry(file, source.listing)
  )
  const count = (test: (entry: ManifestEntry) => boolean): number => entries.filter(test).length
  return {
    projectId: source.projectId,
    namePrefix: source.namePrefix,
    dryRun: !source.outcomes,
    totals: {
      files: entries.length,
      bytes: source.files.reduce((sum, file) => sum + file.size, 0),
      uploaded: count((entry) => entry.id !== undefined && !entry.existing),
      existing: count((entry) => entry.existing === true),
      failed: count(
        (entry) => entry.id === undefined && entry.error !== undefined && !entry.cancelled
      ),
      cancelled: count((entry) => entry.cancelled === true)
    },
    files: entries
  }
}

function baseEntry(file: LocalFile): ManifestEntry {
  return { path: file.path, name: file.name, sizeBytes: file.size, mimeType: file.mimeType }
}

function outcomeEntry(outcome: Outcome): ManifestEntry {
  const entry = baseEntry(outcome.file)
  if (!outcome.ok)
    return { ...entry, error: outcome.error, ...(outcome.cancelled ? { cancelled: true } : {}) }
  const { id, sha256, existing, url } = outcome.uploaded
  const done: ManifestEntry = { ...entry, id, sha256, existing }
  if (url !== undefined) done.url = url
  if (outcome.urlError !== undefined)
    done.error = `the download URL could not be read: ${outcome.urlError}`
  return done
}

function dryRunEntry(file: LocalFile, listing: ProjectListing | undefined): ManifestEntry {
  const id = listing?.idOf(file)
  return id === undefined ? baseEntry(file) : { ...baseEntry(file), id, existing: true }
}

/** One file as the manifest file and `--json` write it. */
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
  project_id: number
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
    project_id: projectId,
    name_prefix: namePrefix,
    dry_run: dryRun,
    totals: {
      files: totals.files,
      bytes: totals.bytes,
      uploaded: totals.uploaded,
      existing: totals.existing,
      failed: totals.failed + totals.cancelled
    },
    files: files.map(entryJson)
  }
}

function entryJson(entry: ManifestEntry): ManifestJsonEntry {
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
