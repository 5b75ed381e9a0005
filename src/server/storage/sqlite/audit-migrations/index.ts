import { audit } from '../migrations/008-audit.js'

/**
 * The audit database's migrations (`<data>/audit.db`, docs/audit.md). Ordered, append-only, like the
 * main database's. The first is the schema the trail had while it lived in `coffer.db` (migration 008
 * there), so a trail moved across keeps its rows, triggers and invariants unchanged.
 */
export const auditMigrations: readonly { readonly name: string; readonly sql: string }[] = [
  { name: '001-audit', sql: audit },
]
