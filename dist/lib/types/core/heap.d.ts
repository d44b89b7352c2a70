/**
 * Keeps the heap small under thousands of short HTTP exchanges. By default V8 grows the young
 * generation towards 3 × 32 MB and lets garbage promoted from it pile up in the old generation;
 * with 10,000 files that alone took the process from 120 MB to 270 MB of RSS. Both flags are read
 * at each collection, so setting them at start-up takes effect (an action cannot pass node flags).
 * It keeps undici's HTTP parser (WebAssembly) at its first tier: reading 1 GiB back made V8
 * optimise the parser's loop on a worker thread, whose 15 MB of compiler memory the allocator then
 * kept; the first tier parses as fast here. These two flags are read when the parser is compiled,
 * at the first request.
 * It also makes a minor collection callable (see releaseGarbage), which only the faces that own
 * their process (the action, the CLI) ask for.
 */
export declare function tuneHeap(): void;
/**
 * Frees the chunks a download has hashed. Each is a small object holding a large buffer outside
 * the heap, so V8 collects them only once external memory has grown by tens of MB: reading 1 GiB
 * back took 60 MB above a dry run, and a minor collection every MiB keeps it near the upload's.
 * A no-op unless tuneHeap ran.
 */
export declare function releaseGarbage(): void;
