/** A size and a sha256: of the bytes read from disk, or of those a download served. */
export interface Digest {
    /** Bytes. */
    size: number;
    /** Hex sha256 of them. */
    sha256: string;
}
/** Storage held other bytes than the file. */
export interface Mismatch {
    /** The record whose stored bytes differ. */
    id: number;
    /** What its download served. */
    stored: Digest;
    /** What was read from disk (while the file was sent, or hashed for `skip-existing`). */
    local: Digest;
    /** True for a record the project already held (`skip-existing`); false for one this run sent. */
    existing: boolean;
}
/** True when storage holds exactly the bytes read from disk. */
export declare function sameBytes(stored: Digest, local: Digest): boolean;
/** `sha256 <stored> in the project, <local> on disk`, with both sizes when they differ too. */
export declare function describeDifference(stored: Digest, local: Digest): string;
/** The stored bytes of a file still differed from it after every upload the retries allow. */
export declare class StoredBytesError extends Error {
    /** The records this run left holding other bytes than the file, in the order they were sent. */
    readonly badRecords: readonly number[];
    constructor(last: Mismatch, badRecords: readonly number[]);
}
/** A record's stored bytes could not be read back, so nothing is proven about them. */
export declare class ReadBackError extends Error {
    /** The record that could not be read. */
    readonly id: number;
    /** @param existing true for a record the project already held, false for one this run sent */
    constructor(id: number, existing: boolean, cause: unknown);
}
