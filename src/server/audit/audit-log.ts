import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import { chainHash, GENESIS_HASH, signDigest, type Digest } from './chain.js'
import { digestLine, recordLine, type AuditFile } from './file-device.js'
import {
  eventSeconds,
  lookupUsername,
  serviceEventRecord,
  serviceEventResources,
  type CloudTrailRecord,
  type LookupResource,
} from './record.js'
import type { DigestSigner } from './signing-key.js'
import type { AppendPlan, Appended, AuditChainStore, AuditIndex, ChainTail, IndexedRecord } from './store.js'

/** A Secrets Manager service event (reference §2): something the service did, no API call behind it. */
export interface ServiceEvent {
  /** `RotationStarted`, `RotationSucceeded`, `RotationFailed`, `EndSecretVersionDelete`, … */
  readonly eventName: string
  readonly accountId: string
  readonly region: string
  /** Epoch ms. */
  readonly time: number
  /** Default `secretsmanager.amazonaws.com`. */
  readonly eventSource?: string
  /** Default a fresh uuid; rotation uses `Rotation-<secret ARN>-<uuid>`. */
  readonly requestId?: string
  /** Default a fresh uuid; an event also in the outbox passes the outbox event's id (the same record). */
  readonly eventId?: string
  /** E.g. `{ SecretId: <secret ARN> }` (PascalCase, as AWS writes it). */
  readonly additionalEventData?: Readonly<Record<string, unknown>>
  /** Failures carry a message and no code. */
  readonly errorMessage?: string
}

/**
 * The audit trail as the rest of the server sees it. Both methods resolve once the record is durable on
 * every configured device, and reject when it could not be written (the caller decides what that means;
 * the core fails the request when the trail fails closed).
 */
export interface AuditLog {
  /** One API call's record, built by the core; `resources` are what LookupEvents lists and filters on. */
  recordApiCall(record: CloudTrailRecord, resources: readonly LookupResource[]): Promise<void>
  appendServiceEvent(event: ServiceEvent): Promise<void>
}

export interface AuditTrailDeps {
  /** The database device, or the file-only chain (`FileChain`). */
  readonly chain: AuditChainStore
  readonly file?: AuditFile
  readonly stdout?: (text: string) => void
  readonly signer: DigestSigner
  readonly clock: Clock
  readonly random: Pick<Random, 'uuid'>
  readonly logger: Logger
}

export interface AuditTrailOptions {
  /** Most records committed in one transaction. */
  readonly maxBatch: number
  /** A digest once this many records are not yet covered by one… */
  readonly digestEveryRecords: number
  /** …and at least this often while records arrive (and on close). */
  readonly digestEveryMs: number
}

/** A record as the chain stores it: its JSON text (what is hashed) and what LookupEvents filters on. */
export interface PreparedRecord {
  readonly text: string
  readonly index: AuditIndex
}

interface Pending extends PreparedRecord {
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

function prepareRecord(record: CloudTrailRecord, resources: readonly LookupResource[]): PreparedRecord {
  const accessKeyId = record.userIdentity.accessKeyId
  return {
    text: JSON.stringify(record),
    index: {
      eventId: record.eventID,
      eventTime: eventSeconds(record.eventTime),
      accountId: record.recipientAccountId,
      eventSource: record.eventSource,
      eventName: record.eventName,
      readOnly: record.readOnly,
      username: lookupUsername(record.userIdentity),
      accessKeyId: accessKeyId === undefined || accessKeyId === '' ? undefined : accessKeyId,
      resources,
    },
  }
}

const DURABLE = { durable: Promise.resolve() }

/**
 * The audit writer: records queue up and are committed together, one transaction per batch (group
 * commit). A batch starts as soon as the event loop has handled the I/O at hand, so every request
 * that completed meanwhile joins it; each caller's promise resolves when its batch is durable.
 * Appends are serialised within the process (and, by the store, between processes).
 */
export class AuditTrail implements AuditLog {
  private queue: Pending[] = []
  private scheduled = false
  private running: Promise<unknown> = Promise.resolve()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly deps: AuditTrailDeps,
    private readonly options: AuditTrailOptions,
  ) {
    this.timer = setInterval(() => {
      this.digestNow().catch((error: unknown) => deps.logger.error({ err: error }, 'audit digest failed'))
    }, options.digestEveryMs)
    this.timer.unref()
  }

  recordApiCall(record: CloudTrailRecord, resources: readonly LookupResource[]): Promise<void> {
    return this.enqueue(record, resources)
  }

  appendServiceEvent(event: ServiceEvent): Promise<void> {
    const record = serviceEventRecord({
      ...event,
      requestId: event.requestId ?? this.deps.random.uuid(),
      eventId: event.eventId ?? this.deps.random.uuid(),
    })
    return this.enqueue(record, serviceEventResources(record))
  }

  /** Signs a digest over the records not yet covered by one (none when there are none). */
  async digestNow(): Promise<void> {
    await (
      await this.serialised(() => this.commit([], true))
    ).durable
  }

  /** Commits what is queued and signs a final digest (clean shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer)
    while (this.queue.length > 0) await (await this.serialised(() => this.commit(this.take(), false))).durable
    await this.digestNow()
    this.deps.file?.close()
    await this.deps.chain.close?.()
  }

  private enqueue(record: CloudTrailRecord, resources: readonly LookupResource[]): Promise<void> {
    const prepared = prepareRecord(record, resources)
    return new Promise((resolve, reject) => {
      this.queue.push({ ...prepared, resolve, reject })
      this.schedule()
    })
  }

  /** The next batch starts once the event loop has handled the I/O at hand (the requests finishing now). */
  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.serialised(() => this.commit(this.take(), false))
    })
  }

  private take(): Pending[] {
    return this.queue.splice(0, this.options.maxBatch)
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.running.then(run)
    this.running = next.then(
      () => undefined,
      () => undefined,
    )
    return next
  }

  /**
   * Commits a batch, serialised with the other commits (the chain's order), and resolves with the
   * batch's durability, which is awaited outside the serialisation: the next batch commits while this
   * one's fsync runs, and a shared fsync makes both durable (group commit). Waiters are answered once
   * their batch is durable; the stdout device gets the lines at commit, in chain order.
   */
  private async commit(batch: Pending[], forceDigest: boolean): Promise<{ durable: Promise<void> }> {
    if (batch.length === 0 && !forceDigest) return DURABLE
    if (this.queue.length > 0) this.schedule()
    let appended: { records: readonly IndexedRecord[]; digest: Digest | undefined } | undefined
    let durable: Promise<void>
    try {
      ;({ durable } = await this.deps.chain.append((tail) => {
        const plan = this.plan(tail, batch, forceDigest)
        appended = { records: plan.records, digest: plan.digest }
        return plan
      }))
    } catch (error) {
      this.failed(batch, error)
      if (batch.length === 0) throw error
      return DURABLE
    }
    if (this.deps.stdout !== undefined && appended !== undefined) {
      let text = ''
      for (const r of appended.records) text += recordLine(r)
      if (appended.digest !== undefined) text += digestLine(appended.digest)
      if (text !== '') this.deps.stdout(text)
    }
    return {
      durable: durable.then(
        () => {
          for (const pending of batch) pending.resolve()
        },
        (error: unknown) => {
          this.failed(batch, error)
          if (batch.length === 0) throw error
        },
      ),
    }
  }

  private failed(batch: readonly Pending[], error: unknown): void {
    this.deps.logger.error({ err: error, records: batch.length }, 'audit trail write failed')
    for (const pending of batch) pending.reject(error)
  }

  private plan(tail: ChainTail, batch: readonly Pending[], forceDigest: boolean): AppendPlan {
    let seq = tail.seq
    let prevHash = tail.hash
    const records = batch.map((pending): IndexedRecord => {
      seq++
      const hash = chainHash(prevHash, pending.text)
      const record = { seq, prevHash, hash, text: pending.text, index: pending.index }
      prevHash = hash
      return record
    })
    const covered = tail.lastDigest?.lastSeq ?? 0
    const uncovered = seq - covered
    const digest =
      uncovered > 0 && (forceDigest || uncovered >= this.options.digestEveryRecords)
        ? signDigest(
            {
              digestSeq: (tail.lastDigest?.digestSeq ?? 0) + 1,
              firstSeq: covered + 1,
              lastSeq: seq,
              lastHash: prevHash,
              createdAt: this.deps.clock.now(),
              previousSignature: tail.lastDigest?.signature ?? null,
              keyId: this.deps.signer.keyId,
            },
            this.deps.signer.privateKey,
          )
        : undefined
    const written = this.deps.file?.append(records, digest)
    return { records, ...(digest !== undefined && { digest }), ...written }
  }
}

/**
 * The chain kept without the database device: its tail is read once from the file device (or starts
 * afresh for stdout only) and then followed in memory. One process only.
 */
export class FileChain implements AuditChainStore {
  private tail: ChainTail | undefined

  constructor(private readonly file: Pick<AuditFile, 'tail'> | undefined) {}

  async append(plan: (tail: ChainTail) => AppendPlan): Promise<Appended> {
    const tail = (this.tail ??= this.file?.tail() ?? { seq: 0, hash: GENESIS_HASH, lastDigest: undefined })
    const planned = plan(tail)
    const last = planned.records.at(-1)
    this.tail = {
      seq: last?.seq ?? tail.seq,
      hash: last?.hash ?? tail.hash,
      lastDigest: planned.digest ?? tail.lastDigest,
    }
    return { durable: planned.sync?.() ?? Promise.resolve() }
  }
}
