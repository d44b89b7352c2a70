/**
 * The run's one result, built in one place (buildResult) for every way a run ends: its files
 * sent, a dry run, a listing that failed or was cancelled, no file matched. Each file becomes one
 * entry (ManifestEntry), counted once (totalsOf); every face presents what is here.
 */
import type { ListFailedError } from '../errors.ts';
import type { LocalFile } from '../files/files.ts';
import type { ProjectListing } from '../transfer/listing.ts';
import type { Outcome } from '../transfer/outcome.ts';
import { type Manifest, type ManifestEntry } from './manifest.ts';
/** The result of a run: the manifest's data, and whether the run did all it was asked to. */
export interface UploadResult extends Manifest {
    /**
     * Why the run did not do all it was asked to, naming each file that failed; undefined when it
     * did (every file is in the project, a dry run, or no match allowed by `ifNoFilesFound`).
     */
    failure: string | undefined;
    /** True when the signal stopped the run before every file was done. */
    cancelled: boolean;
    /** The including patterns that matched no file, as given (every one when nothing matched). */
    unmatchedPatterns: string[];
    /**
     * Records this run left in the project holding other bytes than their files (`verify` found
     * them and uploaded the file again); the API cannot delete them. They are in no other field.
     */
    badRecords: number[];
}
/** How a run ended once its files were found. */
export type Ending = 
/** The files were sent, each to its outcome (in the order of the files); the signal may have stopped them. */
{
    how: 'sent';
    outcomes: readonly Outcome[];
    cancelled: boolean;
}
/** A dry run went through: with `skip-existing`, the files the listing holds would be skipped. */
 | {
    how: 'dry-run';
    listing: ProjectListing | undefined;
}
/** `skip-existing`'s listing failed: no file was started. */
 | {
    how: 'not-listed';
    error: ListFailedError;
}
/** The signal stopped the run while `skip-existing`'s listing ran: no file was started. */
 | {
    how: 'cancelled-listing';
}
/** No file matched; `failure` is set under `if-no-files-found: error`. */
 | {
    how: 'no-match';
    failure: string | undefined;
};
/** What a run's result is built from. */
export interface RunEnd {
    /** The project the files went to; undefined where the key picked it (the Resources API). */
    projectId: number | undefined;
    /** The name prefix. */
    namePrefix: string;
    /** True for a dry run: nothing is uploaded, however the run ends. */
    dryRun: boolean;
    /** The matched files, in path order. */
    files: readonly LocalFile[];
    /** The including patterns that matched no file, as given. */
    unmatched: readonly string[];
    /** How the run ended. */
    ending: Ending;
}
/** A file's entry and the records `verify` left with other bytes on its way. */
export interface FileEnd {
    /** The file's entry in the result. */
    entry: ManifestEntry;
    /** Records left holding other bytes than the file, which no entry names. */
    badRecords: readonly number[];
}
/** The run's result, however it ended: the one place it is built. */
export declare function buildResult(run: RunEnd): UploadResult;
/** The one reading of a file's Outcome: its entry, and the records `verify` left on its way. */
export declare function outcomeEnd(outcome: Outcome): FileEnd;
