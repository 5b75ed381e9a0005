import { InvalidParameterException, InvalidRequestException } from '../../../aws-api/secretsmanager/errors.js'
import type { SecretValue } from './envelope.js'
import { msg } from './messages.js'
import type { Tag } from './store.js'

/** SecretString or SecretBinary from a request; both → InvalidParameterException; neither → undefined. */
export function valueOf(input: {
  SecretString?: string
  SecretBinary?: Uint8Array
}): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw new InvalidParameterException(msg.bothValues)
  }
  if (input.SecretString !== undefined) {
    // A lone surrogate (from a `\ud800` escape) has no UTF-8 form: storing it would alter the value.
    if (!input.SecretString.isWellFormed()) throw new InvalidParameterException(msg.malformedSecretString)
    return { type: 'string', bytes: Buffer.from(input.SecretString, 'utf8') }
  }
  if (input.SecretBinary !== undefined) return { type: 'binary', bytes: Buffer.from(input.SecretBinary) }
  return undefined
}

/**
 * SDKs fill ClientRequestToken automatically; a raw request without one is refused before any lookup
 * (spec §3.4).
 */
export function requireToken(token: string | undefined): string {
  if (token === undefined) throw new InvalidRequestException(msg.tokenRequired)
  return token
}

export const MAX_TAGS = 50

/**
 * Tags a request adds, checked before they are merged: keys present (the model leaves them optional),
 * case-sensitive, unique, not in the reserved `aws:` namespace. A missing value is an empty one.
 */
export function newTags(tags: readonly { Key?: string; Value?: string }[]): Tag[] {
  const checked: Tag[] = []
  const keys = new Set<string>()
  for (const { Key, Value } of tags) {
    if (Key === undefined) throw new InvalidParameterException(msg.missingTagKey)
    if (Key.toLowerCase().startsWith('aws:')) throw new InvalidParameterException(msg.reservedTagKey)
    if (keys.has(Key)) throw new InvalidParameterException(msg.duplicateTagKeys)
    keys.add(Key)
    checked.push({ Key, Value: Value ?? '' })
  }
  if (checked.length > MAX_TAGS) throw new InvalidParameterException(msg.tooManyTags)
  return checked
}

/** Existing tags with `added` merged in: a key already present takes the new value in place. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.Key, tag.Value]))
  for (const tag of added) merged.set(tag.Key, tag.Value)
  if (merged.size > MAX_TAGS) throw new InvalidParameterException(msg.tooManyTags)
  return [...merged].map(([Key, Value]) => ({ Key, Value }))
}
