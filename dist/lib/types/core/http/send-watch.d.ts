/**
 * The stall detector of one upload (PUT).
 *
 * undici's own headersTimeout cannot serve here: it runs from the last write into the socket, and
 * after the last write several MiB of the body may still sit in the socket's send buffer and the
 * storage's receive buffer. On a slow link they need seconds to drain, and nothing on this side
 * shows that they move, so a moving upload would be cut off. The watch counts the body's progress
 * itself: while the body is being sent, each part the connection takes is progress; once all of
 * it is handed over, the answer may take `timeoutMs` plus the time the bytes still buffered need
 * at the rate the body moved. A storage that stops reading mid-body still stops the connection
 * taking bytes, and is cut off `timeoutMs` after the last part was taken.
 */
export declare class SendWatch {
    #private;
    /** Aborts the request: when the run is cancelled, or when the upload stopped moving. */
    readonly signal: AbortSignal;
    constructor(timeoutMs: number, cancel: AbortSignal);
    /** The connection took `bytes` more of the body (0 when it asks for the first part). */
    progress(bytes: number): void;
    /** The whole body is handed over; from now on only the answer counts, after the drain allowance. */
    finished(): void;
    /** The answer has begun, or the request is over: nothing more to watch. */
    stop(): void;
    /** True when the watch abandoned the request because it stopped moving. */
    get stalled(): boolean;
    /** Why the request was abandoned, in the words the README documents. */
    describe(): string;
}
/** One moment of a body's progress: a `performance.now()` time, and the bytes taken by then. */
export interface Sample {
    ms: number;
    bytes: number;
}
/**
 * Most bytes taken to be buffered on the way: Linux lets a socket's send buffer grow to 4 MiB and
 * the receiver's to 6 MiB by default; 16 MiB bounds that with room for other systems, and keeps a
 * slow rate from stretching the wait after a stall without end.
 */
export declare const MAX_BUFFERED_BYTES: number;
/**
 * The bytes still buffered when the body was handed over (`end`), and the time they need to reach
 * storage. The rate is the body's over the later half of the time it took: by then the buffers are
 * full and the connection takes bytes only as fast as storage reads them. Read at that rate from
 * the first byte, storage would have `end.bytes - rate * elapsed` left; that is the part the
 * buffers took at once before storage's pace set in. A body taken all at once gives no rate (the
 * later half holds no bytes), so nothing is allowed: such a body must reach storage within the
 * timeout.
 */
export declare function bufferedTail(samples: readonly Sample[], end: Sample): {
    bytes: number;
    ms: number;
};
