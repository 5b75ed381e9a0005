/**
 * How caches derived from storage learn that the data may have changed. Every cache of stored data
 * (remembered rows, access keys, compiled policies) subscribes and drops its entries on a change, so
 * no request is ever answered from data older than the last commit it could have observed — across
 * processes too (a key deactivated through one worker is refused at once by every other).
 *
 * Adapters decide how changes are detected: SQLite compares `PRAGMA data_version` once at the start
 * of every request and signals its own writes; a PostgreSQL adapter would use LISTEN/NOTIFY.
 */
export interface Freshness {
  subscribe(onChange: () => void): void
}
