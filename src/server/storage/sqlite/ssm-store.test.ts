import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ssmStoreContract } from '../contract/ssm-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteFreshness } from './freshness.js'
import { SqliteSsmStore } from './ssm-store.js'

ssmStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-contract-'))
  const db = openSqlite(join(dir, 'coffer.db'))
  return {
    store: new SqliteSsmStore(db, new SqliteFreshness(db)),
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
