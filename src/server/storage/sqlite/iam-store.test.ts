import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { iamStoreContract } from '../contract/iam-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteFreshness } from './freshness.js'
import { createSqliteIamStore } from './iam-store.js'

iamStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-contract-'))
  const db = openSqlite(join(dir, 'coffer.db'))
  db.prepare("INSERT INTO accounts (account_id, created_at) VALUES ('111122223333', 0)").run()
  const freshness = new SqliteFreshness(db)
  let signals = 0
  freshness.subscribe(() => signals++)
  return {
    store: createSqliteIamStore(db, freshness),
    signals: () => signals,
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
