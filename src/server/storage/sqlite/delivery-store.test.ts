import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OutboxSignal } from '../../events/outbox-signal.js'
import { deliveryStoreContract } from '../contract/delivery-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteDeliveryStore } from './delivery-store.js'
import { SqliteOutbox } from './outbox-store.js'

deliveryStoreContract('SQLite', async () => {
  const db = openSqlite(join(mkdtempSync(join(tmpdir(), 'coffer-events-contract-')), 'coffer.db'))
  let now = Date.now()
  return {
    outbox: new SqliteOutbox(db, new OutboxSignal(), { now: () => now }),
    deliveries: new SqliteDeliveryStore(db),
    setNow: (ms) => (now = ms),
  }
})
