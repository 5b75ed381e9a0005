import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { identityStoreContract } from '../contract/identity-store.contract.js'
import { kmsStoreContract } from '../contract/kms-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteIdentityStore } from './identity-store.js'
import { SqliteKeyringStore } from './keyring-store.js'
import { SqliteKmsStore } from './kms-store.js'

function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-contract-'))
  const db = openSqlite(join(dir, 'coffer.db'))
  return {
    db,
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

kmsStoreContract('SQLite', async () => {
  const { db, close } = freshDb()
  return { store: new SqliteKmsStore(db), close }
})

identityStoreContract('SQLite', async () => {
  const { db, close } = freshDb()
  return { identity: new SqliteIdentityStore(db), keyring: new SqliteKeyringStore(db), close }
})
