/** Derivation and caching of SigV4 signing keys (the HMAC chain is 4 HMACs; a request needs 1). */
import { createHmac } from 'node:crypto'

/** `HMAC("AWS4" + secret, date) → region → service → "aws4_request"`. */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey)
    .update(date)
    .digest()
  const kRegion = createHmac('sha256', kDate).update(region).digest()
  const kService = createHmac('sha256', kRegion).update(service).digest()
  return createHmac('sha256', kService).update('aws4_request').digest()
}

interface Entry {
  slot: string
  /** The secret the key was derived from; a different secret for the same slot re-derives. */
  secret: string
  key: Buffer
}

/**
 * Bounded LRU of derived keys, indexed by (access key id, date, region, service). Each entry
 * remembers the secret it was derived from, so a rotated secret can never verify with a key
 * derived from the previous one. The cache holds only what the caller already holds in memory.
 */
export class SigningKeyCache {
  readonly #max: number
  readonly #entries = new Map<string, Entry>()
  /** The most recently used entry (always present in `#entries` while set). */
  #last: Entry | undefined

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be a positive integer')
    this.#max = maxEntries
  }

  get size(): number {
    return this.#entries.size
  }

  /** The signing key for this scope, derived at most once per (slot, secret) while cached. */
  get(accessKeyId: string, secretAccessKey: string, date: string, region: string, service: string): Buffer {
    // '/' cannot occur inside scope components (they are '/'-separated on the wire).
    const slot = accessKeyId + '/' + date + '/' + region + '/' + service
    // Repeated use of the most recent slot (the common case) needs no reordering.
    const last = this.#last
    if (last !== undefined && last.slot === slot && last.secret === secretAccessKey) return last.key
    const entry = this.#entries.get(slot)
    if (entry !== undefined) {
      this.#entries.delete(slot)
      if (entry.secret === secretAccessKey) {
        this.#entries.set(slot, entry) // most recently used goes last
        this.#last = entry
        return entry.key
      }
    }
    const key = deriveSigningKey(secretAccessKey, date, region, service)
    const fresh = { slot, secret: secretAccessKey, key }
    this.#entries.set(slot, fresh)
    this.#last = fresh
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    return key
  }

  /** Drops every key derived for `accessKeyId` (e.g. when the access key is deleted). */
  forget(accessKeyId: string): void {
    const prefix = accessKeyId + '/'
    for (const slot of this.#entries.keys()) if (slot.startsWith(prefix)) this.#entries.delete(slot)
    if (this.#last !== undefined && this.#last.slot.startsWith(prefix)) this.#last = undefined
  }

  clear(): void {
    this.#entries.clear()
    this.#last = undefined
  }
}
