import type { ContextValue } from '../../policy/evaluation-types.js'
import type { AuthorizationTarget } from './authorize.js'
import type { RequestContext } from './context.js'

type Tags = NonNullable<AuthorizationTarget['resourceTags']>

const NO_KEYS: ReadonlyMap<string, ContextValue> = new Map()
const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i

/**
 * A resource's tags as condition keys, `aws:resourcetag/<key>` and `<service>:resourcetag/<key>`
 * (tag keys lower-cased: IAM compares them ignoring case; the first of two keys differing only in case
 * wins). Remembered per tag list — the lists come from cached resource records — and service.
 */
const tagKeys = new WeakMap<
  Tags,
  { readonly service: string; readonly keys: ReadonlyMap<string, ContextValue> }
>()

const services = new Map<string, string>()

/** `secretsmanager` for `secretsmanager:GetSecretValue`, lower-cased, memoised (actions are few). */
function serviceOf(action: string): string {
  let service = services.get(action)
  if (service === undefined) {
    service = action.slice(0, action.indexOf(':')).toLowerCase()
    if (services.size < 1024) services.set(action, service)
  }
  return service
}

function resourceTagKeys(tags: Tags | undefined, action: string): ReadonlyMap<string, ContextValue> {
  if (tags === undefined || tags.length === 0) return NO_KEYS
  const service = serviceOf(action)
  const cached = tagKeys.get(tags)
  if (cached?.service === service) return cached.keys
  const keys = new Map<string, ContextValue>()
  for (const tag of tags) {
    const key = tag.Key.toLowerCase()
    if (!keys.has(`aws:resourcetag/${key}`)) {
      keys.set(`aws:resourcetag/${key}`, tag.Value)
      keys.set(`${service}:resourcetag/${key}`, tag.Value)
    }
  }
  tagKeys.set(tags, { service, keys })
  return keys
}

// One clock reading and one peer per request, but many requests share them: remember the last.
let lastSecond = NaN
let lastIso = ''
let lastEpoch = ''
let lastPeer = ''
let lastIp = ''

/**
 * `aws:CurrentTime` to the second (`2030-01-02T03:04:05Z`, as policies write dates): one string per
 * second, so the evaluator parses it once per second, not once per request.
 */
function isoTime(now: number): string {
  const second = Math.floor(now / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    lastIso = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`
    lastEpoch = String(second)
  }
  return lastIso
}

/** Node reports IPv4 peers of a dual-stack socket as `::ffff:a.b.c.d`; policies name `a.b.c.d`. */
function sourceIp(peer: string): string {
  if (peer !== lastPeer) {
    lastPeer = peer
    lastIp = IPV4_MAPPED.exec(peer)?.[1] ?? peer
  }
  return lastIp
}

/**
 * The condition context of one authorization check (keys lower-cased), read lazily from where the
 * values already are instead of copied into a map per request, in this order:
 * 1. the caller's keys, computed once per principal (`aws:PrincipalArn`, `aws:userid`,
 *    `aws:PrincipalTag/*`, … and the constant ones);
 * 2. the resource's tags, `aws:ResourceTag/<key>` and `<service>:ResourceTag/<key>`;
 * 3. the target's own keys (service keys, `aws:RequestTag/*`, `aws:TagKeys`);
 * 4. the request's: `aws:SourceIp`, `aws:CurrentTime`, `aws:EpochTime`, `aws:RequestedRegion`,
 *    `aws:ResourceAccount`.
 * The evaluator only calls `get`; iteration materialises the whole map (diagnostics, tests).
 */
export class AuthorizationContext implements ReadonlyMap<string, ContextValue> {
  private readonly tags: ReadonlyMap<string, ContextValue>
  private readonly own: ReadonlyMap<string, ContextValue>

  constructor(
    private readonly principal: ReadonlyMap<string, ContextValue>,
    private readonly request: Pick<RequestContext, 'now' | 'sourceIp' | 'region'>,
    target: AuthorizationTarget,
    private readonly resourceAccountId: string,
    action: string,
  ) {
    this.tags = resourceTagKeys(target.resourceTags, action)
    this.own = target.context ?? NO_KEYS
  }

  get(key: string): ContextValue | undefined {
    return this.principal.get(key) ?? this.tags.get(key) ?? this.own.get(key) ?? this.requestKey(key)
  }

  has(key: string): boolean {
    return this.get(key) !== undefined
  }

  private requestKey(key: string): string | undefined {
    switch (key) {
      case 'aws:sourceip':
        return sourceIp(this.request.sourceIp)
      case 'aws:currenttime':
        return isoTime(this.request.now)
      case 'aws:epochtime':
        isoTime(this.request.now)
        return lastEpoch
      case 'aws:requestedregion':
        return this.request.region
      case 'aws:resourceaccount':
        return this.resourceAccountId
      default:
        return undefined
    }
  }

  /** Everything, as one map (lowest layer first, so earlier layers win as in `get`). */
  toMap(): Map<string, ContextValue> {
    const all = new Map<string, ContextValue>()
    for (const key of [
      'aws:sourceip',
      'aws:currenttime',
      'aws:epochtime',
      'aws:requestedregion',
      'aws:resourceaccount',
    ]) {
      const value = this.requestKey(key)
      if (value !== undefined) all.set(key, value)
    }
    for (const layer of [this.own, this.tags, this.principal])
      for (const [key, value] of layer) all.set(key, value)
    return all
  }

  get size(): number {
    return this.toMap().size
  }
  forEach(fn: (value: ContextValue, key: string, map: ReadonlyMap<string, ContextValue>) => void): void {
    for (const [key, value] of this.toMap()) fn(value, key, this)
  }
  entries(): MapIterator<[string, ContextValue]> {
    return this.toMap().entries()
  }
  keys(): MapIterator<string> {
    return this.toMap().keys()
  }
  values(): MapIterator<ContextValue> {
    return this.toMap().values()
  }
  [Symbol.iterator](): MapIterator<[string, ContextValue]> {
    return this.entries()
  }
}
