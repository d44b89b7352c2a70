import type { Transport } from '../http/transport.ts';
/**
 * The run's transport with at most `limit` API calls (create, confirm, list, get, read-back) in
 * flight at once. A freed slot goes to a waiting create before any other call: the next file's
 * PUT waits for its create, while a confirm or a read-back only trails behind.
 */
export declare function boundedApi(transport: Transport, limit: number): Transport;
