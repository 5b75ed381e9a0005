import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** Events (docs/events.md): webhook destinations, rules applied at start, delivery tuning. */
export interface EventsConfig {
  /** API destinations: where webhook targets POST, each with its signing key. */
  readonly destinations: readonly EventDestinationConfig[]
  /** Rules (and their targets) created or updated at every start, idempotently. */
  readonly rules: readonly EventRuleConfig[]
  readonly delivery: {
    /** Attempts before a delivery is dead-lettered. */
    readonly maxAttempts: number
    /** Age (from the event's dispatch) after which a failing delivery is dead-lettered. */
    readonly maxAgeSeconds: number
    /** One webhook request's timeout. */
    readonly timeoutSeconds: number
    /** Backoff after the first failure; doubles per attempt up to `backoffMaxSeconds`, with jitter. */
    readonly backoffBaseSeconds: number
    readonly backoffMaxSeconds: number
    /** Webhook requests in flight at once. */
    readonly concurrency: number
  }
  /** How often readers look for events appended by other processes. */
  readonly pollIntervalMs: number
  /** Comment lines sent to idle `/events` subscribers, so proxies keep the connection. */
  readonly heartbeatSeconds: number
  /**
   * How long an API call's event, committed held with its change, blocks readers if its request never
   * completes it (the process died): then it is delivered with its provisional detail.
   */
  readonly holdSeconds: number
  /**
   * How long delivered events stay in the outbox: an `/events` subscriber can resume (Last-Event-ID)
   * within it. Events with a pending delivery or a dead letter stay until those are gone.
   */
  readonly retentionDays: number
}

export interface EventDestinationConfig {
  readonly name: string
  readonly url: string
  /** Absolute once loaded. The file holds the HMAC key (surrounding whitespace ignored). */
  readonly signingKeyFile: string
}

export interface EventRuleConfig {
  readonly name: string
  /** Pattern JSON text (a mapping in the file is serialised). */
  readonly eventPattern: string
  readonly state?: string
  readonly description?: string
  /** Defaults: the deployment's account and region. */
  readonly account?: string
  readonly region?: string
  readonly targets: readonly EventTargetConfig[]
}

export interface EventTargetConfig {
  readonly id: string
  /** An API destination ARN, or the name of a destination in `destinations`. */
  readonly destination: string
  readonly input?: string
}

export const eventsDefaults: EventsConfig = {
  destinations: [],
  rules: [],
  delivery: {
    maxAttempts: 10,
    maxAgeSeconds: 24 * 3600,
    timeoutSeconds: 10,
    backoffBaseSeconds: 1,
    backoffMaxSeconds: 300,
    concurrency: 16,
  },
  pollIntervalMs: 500,
  heartbeatSeconds: 15,
  holdSeconds: 30,
  retentionDays: 7,
}

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/

/**
 * Checks the `events` section after the file was merged in: shapes, names, URLs, readable key files,
 * numbers in range. Returns it with key file paths made absolute and patterns as JSON text. Rule
 * contents (pattern syntax, states) are checked when they are applied at start, by the API's own code.
 */
export function checkEventsConfig(events: EventsConfig, fail: (message: string) => never): EventsConfig {
  const where = 'events'
  const destinations = list(events.destinations, `${where}.destinations`, fail).map((raw, i) => {
    const at = `${where}.destinations[${i}]`
    const entry = mapping(raw, at, fail, ['name', 'url', 'signingKeyFile'])
    const name = text(entry['name'], `${at}.name`, fail)
    if (!NAME.test(name)) fail(`${at}.name must be 1-64 of A-Z a-z 0-9 . - _`)
    const url = text(entry['url'], `${at}.url`, fail)
    if (!isHttpUrl(url)) fail(`${at}.url must be an http(s) URL`)
    const keyFile = resolve(text(entry['signingKeyFile'], `${at}.signingKeyFile`, fail))
    let key = ''
    try {
      key = readFileSync(keyFile, 'utf8').trim()
    } catch (error) {
      fail(`${at}.signingKeyFile: cannot read ${keyFile}: ${(error as Error).message}`)
    }
    if (key.length < 16) fail(`${at}.signingKeyFile: ${keyFile} must hold a key of at least 16 characters`)
    return { name, url, signingKeyFile: keyFile }
  })
  const names = destinations.map((d) => d.name)
  const duplicate = names.find((n, i) => names.indexOf(n) !== i)
  if (duplicate !== undefined) fail(`${where}.destinations: '${duplicate}' is declared twice`)
  const rules = list(events.rules, `${where}.rules`, fail).map((raw, i) => {
    const at = `${where}.rules[${i}]`
    const entry = mapping(raw, at, fail, [
      'name',
      'eventPattern',
      'state',
      'description',
      'account',
      'region',
      'targets',
    ])
    const pattern = entry['eventPattern']
    const targets = list(entry['targets'] ?? [], `${at}.targets`, fail).map((t, j) => {
      const tat = `${at}.targets[${j}]`
      const target = mapping(t, tat, fail, ['id', 'destination', 'input'])
      const input = target['input']
      return {
        id: text(target['id'], `${tat}.id`, fail),
        destination: text(target['destination'], `${tat}.destination`, fail),
        ...(input !== undefined && { input: typeof input === 'string' ? input : JSON.stringify(input) }),
      }
    })
    return {
      name: text(entry['name'], `${at}.name`, fail),
      eventPattern:
        typeof pattern === 'string' ? pattern : JSON.stringify(mapping(pattern, `${at}.eventPattern`, fail)),
      ...optionalText(entry, 'state', at, fail),
      ...optionalText(entry, 'description', at, fail),
      ...optionalText(entry, 'account', at, fail),
      ...optionalText(entry, 'region', at, fail),
      targets,
    }
  })
  const d = events.delivery
  range(d.maxAttempts, 1, 1000, `${where}.delivery.maxAttempts`, fail)
  range(d.maxAgeSeconds, 1, 30 * 86400, `${where}.delivery.maxAgeSeconds`, fail)
  range(d.timeoutSeconds, 0.1, 300, `${where}.delivery.timeoutSeconds`, fail)
  range(d.backoffBaseSeconds, 0.01, 3600, `${where}.delivery.backoffBaseSeconds`, fail)
  range(d.backoffMaxSeconds, d.backoffBaseSeconds, 86400, `${where}.delivery.backoffMaxSeconds`, fail)
  range(d.concurrency, 1, 1000, `${where}.delivery.concurrency`, fail)
  range(events.pollIntervalMs, 10, 60_000, `${where}.pollIntervalMs`, fail)
  range(events.heartbeatSeconds, 1, 3600, `${where}.heartbeatSeconds`, fail)
  range(events.holdSeconds, 1, 3600, `${where}.holdSeconds`, fail)
  range(events.retentionDays, 1, 3650, `${where}.retentionDays`, fail)
  return { ...events, destinations, rules }
}

/** The HMAC key of a destination, read from its file (checked at load). */
export function readSigningKey(destination: EventDestinationConfig): Buffer {
  return Buffer.from(readFileSync(destination.signingKeyFile, 'utf8').trim(), 'utf8')
}

function list(value: unknown, where: string, fail: (m: string) => never): unknown[] {
  if (!Array.isArray(value)) fail(`${where} must be a list`)
  return value
}

function mapping(
  value: unknown,
  where: string,
  fail: (m: string) => never,
  keys?: readonly string[],
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where} must be a mapping`)
  const entry = value as Record<string, unknown>
  const unknown = keys === undefined ? undefined : Object.keys(entry).find((k) => !keys.includes(k))
  if (unknown !== undefined) fail(`unknown setting '${unknown}' in ${where}`)
  return entry
}

function text(value: unknown, where: string, fail: (m: string) => never): string {
  if (typeof value !== 'string' || value === '') fail(`${where} must be a non-empty string`)
  return value
}

function optionalText(
  entry: Record<string, unknown>,
  key: string,
  where: string,
  fail: (m: string) => never,
): Record<string, string> {
  const value = entry[key]
  return value === undefined ? {} : { [key]: text(value, `${where}.${key}`, fail) }
}

function range(value: number, min: number, max: number, where: string, fail: (m: string) => never): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    fail(`${where} must be a number ${min}-${max}`)
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
