/**
 * Contract of the events storage ports (outbox, deliveries), run against every adapter: dispatch plans
 * each event once and moves the cursor with it, deliveries of one (rule, target, resource) come one at a
 * time in order, leases hide taken deliveries, retries and dead letters keep what they must.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { DeliveryStore, PlannedDelivery } from '../../events/delivery-store.js'
import type {
  ApiCallEvents,
  NewOutboxEvent,
  OutboxAppender,
  OutboxEvent,
  OutboxReader,
} from '../../events/outbox.js'

export interface DeliveryFixture {
  readonly outbox: OutboxAppender & OutboxReader & ApiCallEvents
  readonly deliveries: DeliveryStore
  /** Sets the time the outbox's readers compare holds with (epoch ms). */
  readonly setNow: (ms: number) => void
}

function event(resource: string, accountId = '111111111111'): NewOutboxEvent {
  return {
    eventId: randomUUID(),
    time: 1_000,
    accountId,
    region: 'us-east-1',
    source: 'aws.secretsmanager',
    detailType: 'AWS API Call via CloudTrail',
    resources: [],
    detail: { responseElements: { arn: resource } },
  }
}

const toTarget =
  (targetIds: readonly string[]) =>
  (e: OutboxEvent): PlannedDelivery[] =>
    targetIds.map((targetId) => ({
      ruleArn: 'arn:aws:events:us-east-1:111111111111:rule/r',
      targetId,
      destinationArn: 'arn:aws:events:us-east-1:111111111111:api-destination/d',
      orderKey: (e.detail as { responseElements: { arn: string } }).responseElements.arn,
    }))

export function deliveryStoreContract(name: string, open: () => Promise<DeliveryFixture>): void {
  describe(`events storage contract (${name})`, () => {
    it('stops readers before an event still held, until it is completed in place', async () => {
      const { outbox, deliveries, setNow } = await open()
      setNow(5_000)
      const a = outbox.append(event('s1'))
      const held = event('s1')
      outbox.hold(held, 10_000)
      outbox.hold({ ...held, detail: { provisional: 2 } }, 10_000) // a second transaction: no new row
      outbox.append(event('s2'))
      expect((await outbox.readAfter(0, 10)).map((e) => e.seq)).toEqual([a])
      expect(await outbox.lastSeq()).toBe(a)
      expect(await deliveries.dispatch(10, toTarget(['t']), 5_000)).toBe(1)
      outbox.complete({ ...held, detail: { responseElements: { arn: 's1' }, final: true } })
      const all = await outbox.readAfter(0, 10)
      expect(all.map((e) => e.eventId)).toHaveLength(3)
      expect(all[1]).toMatchObject({ eventId: held.eventId, detail: { final: true } })
      expect(await deliveries.dispatch(10, toTarget(['t']), 5_000)).toBe(2)
    })

    it('releases an expired hold with its provisional detail; completing without a hold appends', async () => {
      const { outbox, setNow } = await open()
      setNow(5_000)
      const held = event('s1')
      outbox.hold(held, 6_000)
      expect(await outbox.readAfter(0, 10)).toEqual([])
      setNow(6_001)
      expect((await outbox.readAfter(0, 10)).map((e) => e.detail)).toEqual([held.detail])
      const alone = event('s2')
      outbox.complete(alone)
      expect((await outbox.readAfter(0, 10)).map((e) => e.eventId)).toEqual([held.eventId, alone.eventId])
      // A released event is never changed again.
      expect(() => outbox.hold({ ...alone, detail: {} }, 9_000)).not.toThrow()
      expect((await outbox.readAfter(0, 10))[1]?.detail).toEqual(alone.detail)
    })

    it('appends in seq order and reads after a position, per account and region', async () => {
      const { outbox } = await open()
      const a = outbox.append(event('s1'))
      const b = outbox.append(event('s2', '222222222222'))
      const c = outbox.append(event('s3'))
      expect(a < b && b < c).toBe(true)
      expect((await outbox.readAfter(a, 10)).map((e) => e.seq)).toEqual([b, c])
      const scoped = await outbox.readAfter(0, 10, { accountId: '111111111111', region: 'us-east-1' })
      expect(scoped.map((e) => e.seq)).toEqual([a, c])
      expect(await outbox.lastSeq()).toBe(c)
      expect(() => outbox.append({ ...event('x'), eventId: scoped[0]?.eventId ?? '' })).toThrow()
    })

    it('plans each event once and keeps the cursor with the deliveries', async () => {
      const { outbox, deliveries } = await open()
      outbox.append(event('s1'))
      outbox.append(event('s2'))
      expect(await deliveries.dispatch(1, toTarget(['t']), 10)).toBe(1)
      expect(await deliveries.dispatch(10, toTarget(['t']), 10)).toBe(1)
      expect(await deliveries.dispatch(10, toTarget(['t']), 10)).toBe(0)
      expect(await deliveries.stats()).toMatchObject({ undispatched: 0, pending: 2, deadLetters: 0 })
    })

    it('hands out only the first pending delivery per (rule, target, resource), and hides leased ones', async () => {
      const { outbox, deliveries } = await open()
      outbox.append(event('s1'))
      outbox.append(event('s1'))
      outbox.append(event('s2'))
      await deliveries.dispatch(10, toTarget(['t1', 't2']), 0)
      const first = await deliveries.takeDue(0, 10, 1000)
      expect(first.map((d) => [d.orderKey, d.targetId])).toEqual([
        ['s1', 't1'],
        ['s1', 't2'],
        ['s2', 't1'],
        ['s2', 't2'],
      ])
      expect(await deliveries.takeDue(0, 10, 1000)).toEqual([])
      const s1t1 = first[0] as (typeof first)[0]
      await deliveries.delivered(s1t1.id)
      const next = await deliveries.takeDue(0, 10, 1000)
      expect(next.map((d) => [d.orderKey, d.targetId, d.event.seq > s1t1.event.seq])).toEqual([
        ['s1', 't1', true],
      ])
      // A lease that ran out makes a delivery due again (a crashed attempt).
      expect((await deliveries.takeDue(2000, 10, 1000)).length).toBe(4)
    })

    it('walks long queues in order, one delivery at a time per resource', async () => {
      const { outbox, deliveries } = await open()
      const appended = Array.from({ length: 60 }, (_, i) => outbox.append(event(i % 3 === 0 ? 's2' : 's1')))
      await deliveries.dispatch(100, toTarget(['t']), 0)
      const seen: number[] = []
      for (;;) {
        const due = await deliveries.takeDue(0, 10, 60_000)
        if (due.length === 0) break
        expect(new Set(due.map((d) => d.orderKey)).size).toBe(due.length)
        for (const d of due) {
          seen.push(d.event.seq)
          if (d.event.seq % 2 === 0) await deliveries.delivered(d.id)
          else await deliveries.deadLetter(d.id, 1, 0, 'HTTP 500')
        }
      }
      const of = (key: string) => seen.filter((seq) => (appended.indexOf(seq) % 3 === 0) === (key === 's2'))
      expect(of('s1')).toEqual(appended.filter((_, i) => i % 3 !== 0))
      expect(of('s2')).toEqual(appended.filter((_, i) => i % 3 === 0))
      expect(await deliveries.stats()).toMatchObject({ pending: 0 })
    })

    it('retries later, dead-letters with its reason, and releases leases', async () => {
      const { outbox, deliveries } = await open()
      outbox.append(event('s1'))
      outbox.append(event('s1'))
      await deliveries.dispatch(10, toTarget(['t']), 0)
      const [d] = await deliveries.takeDue(0, 10, 60_000)
      if (d === undefined) throw new Error('no delivery')
      await deliveries.retryLater(d.id, 1, 500, 'HTTP 500')
      expect(await deliveries.takeDue(100, 10, 60_000)).toEqual([])
      const again = await deliveries.takeDue(500, 10, 60_000)
      expect(again.map((x) => [x.id, x.attempts])).toEqual([[d.id, 1]])
      await deliveries.deadLetter(d.id, 2, 600, 'timeout after 10 ms')
      const [letter] = await deliveries.listDeadLetters(10)
      expect(letter).toMatchObject({
        seq: d.event.seq,
        attempts: 2,
        failedAt: 600,
        reason: 'timeout after 10 ms',
        resource: 's1',
      })
      // The next event of the resource is no longer held back.
      const after = await deliveries.takeDue(600, 10, 60_000)
      expect(after).toHaveLength(1)
      expect(await deliveries.takeDue(600, 10, 60_000)).toEqual([])
      await deliveries.releaseLeases()
      expect(await deliveries.takeDue(600, 10, 60_000)).toHaveLength(1)
      expect(await deliveries.stats()).toMatchObject({
        pending: 1,
        deadLetters: 1,
        oldestUndeliveredAt: 1000,
      })
    })

    it('purges only old events that are done with, and never reuses their seq', async () => {
      const { outbox, deliveries, setNow } = await open()
      setNow(1_000)
      const at = (time: number, resource: string) => ({ ...event(resource), time })
      const delivered = outbox.append(at(100, 's1'))
      const pending = outbox.append(at(100, 's2'))
      const dead = outbox.append(at(100, 's3'))
      const unplanned = outbox.append(at(100, 's4')) // dispatched, no rule wanted it
      const recent = outbox.append(at(900, 's5'))
      await deliveries.dispatch(10, (e) => (e.seq === unplanned ? [] : toTarget(['t'])(e)), 1_000)
      const undispatched = outbox.append(at(100, 's6'))
      const held = at(100, 's7')
      outbox.hold(held, 5_000)
      const due = await deliveries.takeDue(1_000, 10, 60_000)
      const of = (seq: number) => due.find((d) => d.event.seq === seq)?.id ?? -1
      await deliveries.delivered(of(delivered))
      await deliveries.deadLetter(of(dead), 1, 1_000, 'HTTP 500')

      expect(await deliveries.purgeEvents(500, 1)).toBe(1)
      expect(await deliveries.purgeEvents(500, 10)).toBe(1)
      expect(await deliveries.purgeEvents(500, 10)).toBe(0)
      const left = (await outbox.readAfter(0, 10)).map((e) => e.seq)
      expect(left).toEqual([pending, dead, recent, undispatched])
      expect((await deliveries.listDeadLetters(10)).map((l) => l.seq)).toEqual([dead])
      outbox.complete(held)
      const next = outbox.append(at(1_000, 's8'))
      expect(next).toBeGreaterThan(Math.max(recent, undispatched))
    })
  })
}
