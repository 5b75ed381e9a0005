import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OutboxSignal } from '../../events/outbox-signal.js'
import { deliveryStoreContract } from '../contract/delivery-store.contract.js'
import { defaultSqliteOptions, openSqlite } from './database.js'
import { migrations } from './migrations/index.js'
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

describe('migration 012-delivery-heads', () => {
  it('marks the first pending delivery of each queue of a database from before it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'coffer-heads-')), 'coffer.db')
    const before = migrations.slice(
      0,
      migrations.findIndex((m) => m.name === '012-delivery-heads'),
    )
    const old = openSqlite(path, defaultSqliteOptions, before)
    const outbox = new SqliteOutbox(old, new OutboxSignal())
    const seqs = ['a', 'b', 'a', 'a', 'b'].map((key) =>
      outbox.append({
        eventId: `${key}-${Math.random()}`,
        time: 1,
        accountId: '111111111111',
        region: 'us-east-1',
        source: 'aws.secretsmanager',
        detailType: 'AWS API Call via CloudTrail',
        resources: [],
        detail: { key },
      }),
    )
    await new SqliteDeliveryStore(old).dispatch(
      10,
      (e) => [
        { ruleArn: 'r', targetId: 't', destinationArn: 'd', orderKey: (e.detail as { key: string }).key },
      ],
      0,
    )
    old.close()

    const db = openSqlite(path)
    const heads = db.prepare('SELECT seq FROM events_deliveries WHERE head = 1 ORDER BY seq').pluck().all()
    expect(heads).toEqual([seqs[0], seqs[1]])
    const store = new SqliteDeliveryStore(db)
    const due = await store.takeDue(0, 10, 1000)
    expect(due.map((d) => d.event.seq)).toEqual([seqs[0], seqs[1]])
    await store.delivered(due[0]?.id ?? 0)
    expect((await store.takeDue(0, 10, 1000)).map((d) => d.event.seq)).toEqual([seqs[2]])
    expect(() => db.prepare("UPDATE events_deliveries SET order_key = 'c'").run()).toThrow(/keeps its place/)
    db.close()
  })
})
