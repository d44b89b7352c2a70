import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ExistingFiles } from './existing.ts'
import type { LocalFile } from './files.ts'
import type { Outcome } from './upload.ts'

/** One matched file in the manifest, with what became of it. */
export interface ManifestEntry {
  /** Path relative to the workspace. */
  path: string
  /** Name in the project, `name-prefix` included. */
  name: string
  /** Size in bytes. */
  size_bytes: number
  /** MIME type. */
  mime_type: string
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
}

/** The full result of a run, written as JSON where no output size limit applies. */
export interface Manifest {
  /** The project the files went to. */
  project_id: number
  /** The `name-prefix` input. */
  name_prefix: string
  /** True for a dry run: nothing was uploaded. */
  dry_run: boolean
  /** Counts over `files`. */
  totals: { files: number; bytes: number; uploaded: number; existing: number; failed: number }
  /** One entry per matched file, ordered by path. */
  files: ManifestEntry[]
}

/** What a manifest is made from: the run's settings and each file's outcome (none on a dry run). */
export interface ManifestSource {
  projectId: number
  namePrefix: string
  files: readonly LocalFile[]
  outcomes?: readonly Outcome[]
  existing?: ExistingFiles | undefined
}

/** Builds the manifest of a run or a dry run. */
export function buildManifest(source: ManifestSource): Manifest {
  const entries = source.files.map((file, index) =>
    source.outcomes
      ? outcomeEntry(source.outcomes[index] as Outcome)
      : dryRunEntry(file, source.existing)
  )
  const count = (test: (entry: ManifestEntry) => boolean): number => entries.filter(test).length
  return {
    project_id: source.projectId,
    name_prefix: source.namePrefix,
    dry_run: !source.outcomes,
    totals: {
      files: entries.length,
      bytes: source.files.reduce((sum, file) => sum + file.size, 0),
      uploaded: count((entry) => entry.id !== undefined && !entry.existing),
      existing: count((entry) => entry.existing === true),
      failed: count((entry) => entry.id === undefined && entry.error !== undefined)
    },
    files: entries
  }
}

function baseEntry(file: LocalFile): ManifestEntry {
  return { path: file.path, name: file.name, size_bytes: file.size, mime_type: file.mimeType }
}

function outcomeEntry(outcome: Outcome): ManifestEntry {
  const entry = baseEntry(outcome.file)
  if (!outcome.ok) return { ...entry, error: outcome.error }
  const { id, sha256, existing, url } = outcome.uploaded
  const done: ManifestEntry = { ...entry, id, sha256, existing }
  if (url !== undefined) done.url = url
  if (outcome.urlError !== undefined)
    done.error = `the download URL could not be read: ${outcome.urlError}`
  return done
}

function dryRunEntry(file: LocalFile, existing: ExistingFiles | undefined): ManifestEntry {
  const id = existing?.idOf(file)
  return id === undefined ? baseEntry(file) : { ...baseEntry(file), id, existing: true }
}

/** The manifest's own fields of a value that may carry more (a run's result), in their order. */
export function manifestOnly(manifest: Manifest): Manifest {
  const { project_id, name_prefix, dry_run, totals, files } = manifest
  return { project_id, name_prefix, dry_run, totals, files }
}

/** The manifest as JSON text, as it is written to a file or printed. */
export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifestOnly(manifest), null, 2)}\n`
}

/** Writes the manifest to a new folder under `base` (the OS temp dir by default); returns its path. */
export async function writeManifest(manifest: Manifest, base?: string): Promise<string> {
  const dir = await mkdtemp(path.join(base || os.tmpdir(), 'empiricalrun-upload-'))
  const file = path.join(dir, 'manifest.json')
  await writeFile(file, manifestJson(manifest))
  return file
}
