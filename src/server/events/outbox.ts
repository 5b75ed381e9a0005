/**
 * The transactional outbox (DESIGN §5, CONVENTIONS 6): writers append EventBridge-shaped events in the
 * transaction of the change they describe; the dispatcher and the `/events` stream read them after commit,
 * in `seq` order.
 */

/** `detail-type` of CloudTrail-derived events (reference §3). */
export const API_CALL = 'AWS API Call via CloudTrail'
export const SERVICE_EVENT = 'AWS Service Event via CloudTrail'

/** One outbox row. `detail` is the CloudTrail record; it never holds secret values. */
export interface OutboxEvent {
  /** Position in the outbox: strictly increasing, the `id:` of the stream. */
  readonly seq: number
  /** The envelope's `id` (a UUID), unique. */
  readonly eventId: string
  /** Epoch ms. */
  readonly time: number
  readonly accountId: string
  readonly region: string
  /** `aws.secretsmanager`, `aws.kms`, … */
  readonly source: string
  readonly detailType: string
  readonly resources: readonly string[]
  readonly detail: unknown
  /**
   * The ARN of the resource the event is about, when the producer knows it better than the detail
   * shows (TagResource's record has no ARN in `responseElements`): deliveries are ordered by it.
   * Not part of the envelope.
   */
  readonly subject?: string
}

export type NewOutboxEvent = Omit<OutboxEvent, 'seq'>

/**
 * Appends events. `append` is synchronous so that it runs inside the caller's open transaction on the
 * same connection (SQLite: a better-sqlite3 `db.transaction`), committing or rolling back with it.
 * Appending an `eventId` twice fails (UNIQUE) and, inside a transaction, fails that transaction.
 */
export interface OutboxAppender {
  /** Returns the new event's `seq`. */
  append(event: NewOutboxEvent): number
}

/**
 * The events of API calls (docs/events.md "In the change's transaction"), as the core writes them.
 * - `hold` inserts the event with a provisional `detail`, held until `heldUntil` (epoch ms). It is
 *   synchronous so that it runs inside the caller's open transaction (the change's), committing or
 *   rolling back with it; a second `hold` of the same `eventId` is a no-op. Readers see nothing at or
 *   after a row still held, so events keep the order of the changes' commits.
 * - `complete` replaces a held row's detail with the final one and releases it, in one statement; when
 *   no row is held (no transaction of the request committed one) it appends the event on its own.
 * A hold not completed (its process died) is released by expiry, with its provisional detail.
 */
export interface ApiCallEvents {
  hold(event: NewOutboxEvent, heldUntil: number): void
  complete(event: NewOutboxEvent): void
}

/**
 * Whether the read-only API calls of an account and Region raise events: only when a rule there in
 * state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` has a target (reference §3) — otherwise no rule
 * could receive them, and reads stay free of outbox writes. Asked on every read-only request.
 */
export interface ReadOnlyEventRules {
  wanted(accountId: string, region: string): boolean
}

/** Reads committed events. Missing ranges read as empty; never throws for a `seq` past the end. */
export interface OutboxReader {
  /**
   * Up to `limit` events with `seq > after`, ascending; only those of `scope` when given. Stops before
   * the first event still held (see `ApiCallEvents`).
   */
  readAfter(
    after: number,
    limit: number,
    scope?: { readonly accountId: string; readonly region: string },
  ): Promise<readonly OutboxEvent[]>
  /** The highest `seq` readable so far (0 when none): the last one before the first event still held. */
  lastSeq(): Promise<number>
}

/** The EventBridge envelope (reference §3), as delivered to webhooks and `/events` subscribers. */
export interface EventEnvelope {
  readonly version: '0'
  readonly id: string
  readonly 'detail-type': string
  readonly source: string
  readonly account: string
  /** UTC, seconds precision: `2021-08-13T19:17:16Z`. */
  readonly time: string
  readonly region: string
  readonly resources: readonly string[]
  readonly detail: unknown
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function toEnvelope(event: OutboxEvent | NewOutboxEvent): EventEnvelope {
  return {
    version: '0',
    id: event.eventId,
    'detail-type': event.detailType,
    source: event.source,
    account: event.accountId,
    time: isoSeconds(event.time),
    region: event.region,
    resources: event.resources,
    detail: event.detail,
  }
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/**
 * A read-only API call (`Get*`, `List*`, `Describe*`): it reaches only rules in state
 * `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` (reference §3).
 */
export function isReadOnlyApiCall(event: NewOutboxEvent): boolean {
  return event.detailType === API_CALL && field(event.detail, 'readOnly') === true
}

/**
 * What deliveries of one target are ordered by: the resource the event is about — its `subject`, else the secret's ARN from
 * `responseElements.arn` (legacy `aRN`) or `additionalEventData.SecretId` (reference §3), else the first
 * of `resources`, else '' (events about nothing in particular keep their order among themselves).
 */
export function orderKey(event: NewOutboxEvent): string {
  for (const candidate of [
    event.subject,
    field(event.detail, 'responseElements', 'arn'),
    field(event.detail, 'responseElements', 'aRN'),
    field(event.detail, 'additionalEventData', 'SecretId'),
    event.resources[0],
  ]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate
  }
  return ''
}
