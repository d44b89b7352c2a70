// Outcomes of the upload pool as unit tests of what reports them (summary, manifest, outputs) need.
import type { LocalFile } from '../../src/core/files/files.ts'
import type { Arrival, Outcome } from '../../src/core/transfer/outcome.ts'

/** The sha256 every built outcome carries. */
export const FAKE_SHA = 'ab'.repeat(32)

/** An outcome of a file that is in the project, and of one that is not. */
export type OkOutcome = Extract<Outcome, { ok: true }>
export type FailedOutcome = Extract<Outcome, { ok: false }>

/** The outcome of a file that is in the project, with its download URL or why it is missing. */
export function okOutcome(
  file: LocalFile,
  id: number,
  arrival: Arrival = 'uploaded',
  extra: { url?: string; urlError?: string } = {}
): OkOutcome {
  return {
    ok: true,
    file,
    uploaded: {
      id,
      name: file.name,
      path: file.path,
      sizeBytes: file.size,
      mimeType: file.mimeType,
      sha256: FAKE_SHA,
      existing: arrival === 'existing',
      ...(extra.url === undefined ? {} : { url: extra.url })
    },
    arrival,
    ...(extra.urlError === undefined ? {} : { urlError: extra.urlError }),
    durationMs: 5
  }
}

/** The outcome of a file that failed. */
export function failedOutcome(file: LocalFile, error = 'create failed: HTTP 500'): FailedOutcome {
  return { ok: false, file, error, durationMs: 5 }
}
