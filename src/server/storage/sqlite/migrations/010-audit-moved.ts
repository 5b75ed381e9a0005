/**
 * The audit trail moved to its own file, `<data>/audit.db` (audit-database.ts): its commits no longer
 * change this file, so other processes' caches of secrets stay valid while requests are recorded.
 * A trail written here before is copied to the new file before this migration runs.
 */
export const auditMoved = `
DROP TABLE IF EXISTS audit_records;
DROP TABLE IF EXISTS audit_digests;
DROP TABLE IF EXISTS audit_signing_keys;
DROP TABLE IF EXISTS audit_state;
`
