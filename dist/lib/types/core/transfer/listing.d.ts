import type { LocalFile } from '../files/files.ts';
import type { Transport } from '../http/transport.ts';
import type { FileRecord } from '../http/responses.ts';
/** The most records the API serves on one page. */
export declare const PAGE_SIZE = 100;
/** What listing the project needs. */
export interface ListOptions {
    /** The HTTP client. */
    client: Transport;
    /** The project whose files are listed; undefined lists the key's (the Resources API). */
    projectId: number | undefined;
    /** Pages fetched at once after the first. */
    concurrency: number;
    /** Runs one request with the retry policy. */
    retry: <T>(operation: () => Promise<T>) => Promise<T>;
    /** Cancels the listing. */
    signal: AbortSignal;
}
/**
 * The project's uploaded files, by name and size. A local file of the same name and size is
 * taken as already there; where several records match, the newest (highest ID) wins. Without a
 * project ID (the key's project), an uploaded record naming no project is the key's, and of those
 * naming one, only the project the first of them names counts.
 */
export declare class ProjectListing {
    #private;
    /** How many uploaded records of this project the list held. */
    readonly count: number;
    constructor(records: Iterable<FileRecord>, projectId: number | undefined);
    /** The ID of the record this file matches, if any. */
    idOf(file: Pick<LocalFile, 'name' | 'size'>): number | undefined;
}
/** Lists every page: the first to learn how many there are, then the rest concurrently. */
export declare function listProject(options: ListOptions): Promise<ProjectListing>;
