import type { StsStore } from './store.js'

/**
 * Expired sessions are kept a day, so that a client still using them hears `ExpiredToken` (and
 * refreshes) rather than `InvalidClientTokenId`; then they are deleted.
 */
export const EXPIRED_SESSION_RETENTION_MS = 24 * 60 * 60_000

/** For the purge job: deletes sessions that expired more than a day before `now`. */
export function purgeExpiredSessions(store: StsStore, now: number): Promise<number> {
  return store.purgeSessions(now - EXPIRED_SESSION_RETENTION_MS)
}
