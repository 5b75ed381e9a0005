import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { functionStoreContract } from '../contract/function-store.contract.js'
import { openSqlite, type SqliteDb } from './database.js'
import { SqliteFreshness } from './freshness.js'
import { SqliteFunctionStore } from './function-store.js'

functionStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-functions-contract-'))
  const path = join(dir, 'coffer.db')
  const db = openSqlite(path)
  const others: SqliteDb[] = []
  return {
    store: new SqliteFunctionStore(db, new SqliteFreshness(db)),
    other: () => {
      const second = openSqlite(path)
      others.push(second)
      return new SqliteFunctionStore(second, new SqliteFreshness(second))
    },
    close: async () => {
      for (const second of others) second.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
