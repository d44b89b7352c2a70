/** The name of one of the vendor's APIs: the seed's Files API, or the Resources API of its current reference. */
export type Api = 'files' | 'resources';
/** What one API is, as the client and its messages need it. */
export interface Dialect {
    /** The collection's path below the base URL: POST creates, GET lists, `/{id}` is one record. */
    path: string;
    /** The envelope key of one record: `{"data":{"file":{…}}}`. */
    one: string;
    /** The envelope key of a page of records: `{"data":{"files":[…]}}`. */
    many: string;
    /**
     * True when the request names the project (`project_id` in the create body and the list's
     * query); false when the key picks it, and the project cannot be named at all.
     */
    projectInRequest: boolean;
    /** The base URL when none is given. */
    defaultBaseUrl: string;
}
/** Every API, by name; `files` first, the default. */
export declare const DIALECTS: Readonly<Record<Api, Dialect>>;
/** The APIs' names, the default first. */
export declare const API_NAMES: Api[];
/**
 * The dialect a collection URL belongs to (the transport's `filesUrl`): the one whose path it
 * ends in, else `files`, as a transport that names none is.
 */
export declare function dialectAt(collectionUrl: string): Dialect;
