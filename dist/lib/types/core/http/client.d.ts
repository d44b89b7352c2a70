import { type Step } from '../errors.ts';
import { type Api } from './dialect.ts';
import { type SentListener, type UploadSource } from './body.ts';
import { type FilePage, type FileRecord } from './responses.ts';
import type { CreatedFile, CreateRequest, PutResult, StoredContent, Transport } from './transport.ts';
export type { CreatedFile, CreateRequest, PutResult, SentListener, StoredContent, Transport, UploadSource } from './transport.ts';
/** What the client needs; nothing here is read from the environment. */
export interface ClientOptions {
    /** The API's base URL, without a trailing slash. */
    baseUrl: string;
    /** The Bearer key; sent to the API origin only, never to storage. */
    authKey: string;
    /** Which of the vendor's APIs to call (default `files`): its paths and its answers' keys. */
    api?: Api | undefined;
    /** Most connections kept to each origin. */
    connections: number;
    /** Milliseconds a request may go without progress before it is abandoned. */
    requestTimeoutMs: number;
    /** The User-Agent header of every request. */
    userAgent: string;
    /** Called when each request is answered (status 0 when no answer came), for debug logging. */
    onRequest?: (event: RequestEvent) => void;
    /** Called with each secret (a URL's signature) before anything could print it. */
    mask?: (secret: string) => void;
}
/** One request, as debug logging sees it. */
export interface RequestEvent {
    /** The protocol step. */
    step: Step;
    /** The HTTP method. */
    method: string;
    /** Origin and path, never the query: the query of an upload URL holds its signature. */
    url: string;
    /** The answer's status, or 0 when none came. */
    status: number;
    /** Milliseconds until the answer's headers (or the failure). */
    ms: number;
}
/** Every HTTP call of the action: create, upload, confirm, list, get. Holds only the connection pool. */
export declare class FilesClient implements Transport {
    #private;
    constructor(options: ClientOptions);
    /** Where the API's collection is called: the base URL and `/api/files` (or `/api/resources`), for messages. */
    get filesUrl(): string;
    /** Step 1: creates the record and returns its presigned upload URL. */
    create(request: CreateRequest, signal: AbortSignal): Promise<CreatedFile>;
    /**
     * Step 2: streams the file to the presigned URL, hashing it in the same read. No Authorization
     * header, ever. A SendWatch, not undici's headersTimeout, decides when it stopped moving.
     */
    put(url: URL, source: UploadSource, signal: AbortSignal, onSent?: SentListener): Promise<PutResult>;
    /** Step 3: marks the record uploaded. Confirming twice is harmless, so retries are safe. */
    confirm(id: number, signal: AbortSignal): Promise<void>;
    /** Reads one page of the project's uploaded files (`page` from 1); the key's project where it picks one. */
    list(projectId: number | undefined, page: number, perPage: number, signal: AbortSignal): Promise<FilePage>;
    /** Reads one file record; its download URL's signature is masked before it is returned. */
    get(id: number, signal: AbortSignal): Promise<FileRecord>;
    /**
     * Reads what storage holds for a record: gets the record, then streams its signed download URL,
     * hashing and counting the bytes as they come and keeping none of them, so memory stays flat at
     * any size. Fails as `get` for the record, as `verify` for the download.
     */
    readStored(id: number, signal: AbortSignal): Promise<StoredContent>;
    /** Closes every pooled connection. */
    close(): Promise<void>;
}
