import { type Step } from '../errors.ts';
import { type Dialect } from './dialect.ts';
/** The parts of a file record the action relies on. */
export interface FileEnvelope {
    /** The record's ID, a positive integer. */
    id: number;
    /** The presigned upload URL (create only). */
    uploadUrl: string | undefined;
}
/** A file record as list and get answer it, reduced to what the action reads. */
export interface FileRecord {
    /** The record's ID. */
    id: number;
    /** The project it belongs to, when the answer says. */
    projectId: number | undefined;
    /** Its name, '' when the answer has none. */
    name: string;
    /** Its size, when the answer says. */
    sizeBytes: number | undefined;
    /** `pending` or `uploaded`, when the answer says. */
    status: string | undefined;
    /** The signed download URL (get only). */
    url: string | undefined;
}
/** One page of the project's file list. */
export interface FilePage {
    /** The records on this page. */
    files: FileRecord[];
    /** How many pages the list has in all. */
    totalPages: number;
}
/**
 * Reads `{"data":{"file":{...}}}` (`data.resource` in the Resources API) from a 2xx body. Anything
 * else (an HTML page from a proxy, truncated JSON, a missing ID) is a clear HttpError rather than
 * a crash later on. Only the ID, and the upload URL when wanted, are required: a Resources create
 * answer has no status and no project_id.
 */
export declare function parseFileEnvelope(step: Step, text: string, want: {
    uploadUrl: boolean;
}, dialect?: Dialect): FileEnvelope;
/**
 * Reads `{"data":{"file":{...}}}` (`data.resource`) from a get answer, keeping the fields a record
 * check needs.
 */
export declare function parseFileRecord(step: Step, text: string, dialect?: Dialect): FileRecord;
/**
 * Reads `{"data":{"files":[...]},"pagination":{"total_pages":N}}` (`data.resources`). The
 * pagination may stand beside `data` (as the Files API has it) or inside it (as the Resources
 * reference has it): either is read, beside first. A page that is not that shape, or holds a
 * record without an ID, is an error: guessing could upload duplicates.
 */
export declare function parseFilePage(text: string, dialect?: Dialect): FilePage;
/** The server's own words from an error body: JSON `error`/`message`, S3 XML `<Code>`/`<Message>`, or text. */
export declare function parseServerWords(text: string, contentType?: string): {
    message: string;
    code?: string;
};
