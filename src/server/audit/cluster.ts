import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'
import {
  prepareRecord,
  type AuditLog,
  type AuditTrail,
  type PreparedRecord,
  type ServiceEvent,
} from './audit-log.js'
import type { CloudTrailRecord, LookupResource } from './record.js'

/**
 * With `workers > 1` the primary process is the trail's only writer: workers build and serialise their
 * requests' records and send them over the cluster channel; the primary appends them to its
 * `AuditTrail` and answers once they are durable. One writer means no lock contention between
 * processes on the audit database (SQLite's busy handler would sleep, holding up a worker's event
 * loop for a millisecond or more) and lets the file device serve a cluster too.
 */

const APPEND = 'coffer:audit-append'
const ACK = 'coffer:audit-ack'

interface AppendMessage {
  readonly type: typeof APPEND
  readonly id: number
  readonly records: readonly PreparedRecord[]
  readonly events: readonly ServiceEvent[]
}

interface AckMessage {
  readonly type: typeof ACK
  readonly id: number
  readonly error?: string
}

/** The primary's side: appends what workers send, answers each message once it is durable (or failed). */
export function serveWorkerAudit(trail: AuditTrail, logger: Logger): void {
  cluster.on('message', (worker: Worker, message: Partial<AppendMessage>) => {
    if (message.type !== APPEND || message.id === undefined) return
    const { id } = message
    const writes = [
      trail.appendPrepared(message.records ?? []),
      ...(message.events ?? []).map((event) => trail.appendServiceEvent(event)),
    ]
    Promise.all(writes).then(
      () => reply(worker, { type: ACK, id }),
      (error: unknown) => reply(worker, { type: ACK, id, error: (error as Error).message }),
    )
  })

  function reply(worker: Worker, ack: AckMessage): void {
    if (!worker.isConnected()) return
    worker.send(ack, (error: Error | null) => {
      if (error !== null) logger.warn({ err: error, pid: worker.process.pid }, 'audit answer not delivered')
    })
  }
}

interface Waiting {
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/**
 * A worker's audit log: records queue up while the event loop handles the I/O at hand and go to the
 * primary as one message; each caller's promise settles with the primary's answer. Rejects when the
 * primary is gone (the request then fails closed, as with a broken database device).
 */
export class WorkerAuditLog implements AuditLog {
  private records: PreparedRecord[] = []
  private events: ServiceEvent[] = []
  private waiting: Waiting[] = []
  private scheduled = false
  private nextId = 1
  private readonly sent = new Map<number, Waiting[]>()
  private readonly inflight = new Set<Promise<void>>()

  constructor(private readonly channel: NodeJS.Process = process) {
    channel.on('message', (message: Partial<AckMessage>) => {
      if (message.type !== ACK || message.id === undefined) return
      const waiters = this.sent.get(message.id)
      this.sent.delete(message.id)
      for (const w of waiters ?? []) {
        if (message.error === undefined) w.resolve()
        else w.reject(new Error(`audit trail: ${message.error}`))
      }
    })
    channel.on('disconnect', () => {
      for (const [id, waiters] of this.sent) {
        this.sent.delete(id)
        for (const w of waiters) w.reject(new Error('audit trail: the primary process is gone'))
      }
    })
  }

  recordApiCall(record: CloudTrailRecord, resources: readonly LookupResource[]): Promise<void> {
    const prepared = prepareRecord(record, resources)
    return this.enqueue(() => this.records.push(prepared))
  }

  appendServiceEvent(event: ServiceEvent): Promise<void> {
    return this.enqueue(() => this.events.push(event))
  }

  /** Resolves once every record queued so far is answered (written or refused). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inflight])
  }

  private enqueue(add: () => void): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      add()
      this.waiting.push({ resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
    this.inflight.add(written)
    const forget = () => this.inflight.delete(written)
    written.then(forget, forget)
    return written
  }

  private flush(): void {
    this.scheduled = false
    const message: AppendMessage = {
      type: APPEND,
      id: this.nextId++,
      records: this.records,
      events: this.events,
    }
    const waiters = this.waiting
    this.records = []
    this.events = []
    this.waiting = []
    if (this.channel.send === undefined || !this.channel.connected) {
      for (const w of waiters) w.reject(new Error('audit trail: the primary process is gone'))
      return
    }
    this.sent.set(message.id, waiters)
    this.channel.send(message, undefined, {}, (error: Error | null) => {
      if (error === null || !this.sent.delete(message.id)) return
      for (const w of waiters) w.reject(error)
    })
  }
}
