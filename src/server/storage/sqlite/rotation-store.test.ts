import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rotationStoreContract } from '../contract/rotation-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteFreshness } from './freshness.js'
import { SqliteRotationStore } from './rotation-store.js'
import { SqliteSecretStore } from './secret-store.js'

rotationStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-contract-'))
  const db = openSqlite(join(dir, 'coffer.db'))
  const freshness = new SqliteFreshness(db)
  return {
    secrets: new SqliteSecretStore(db, freshness),
    runs: new SqliteRotationStore(db, freshness),
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
