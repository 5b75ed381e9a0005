import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { secretStoreContract } from '../contract/secret-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteFreshness } from './freshness.js'
import { SqliteSecretStore } from './secret-store.js'

secretStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-contract-'))
  const db = openSqlite(join(dir, 'coffer.db'))
  return {
    store: new SqliteSecretStore(db, new SqliteFreshness(db)),
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
