import { InvalidInputException, LimitExceededException } from '../../../../aws-api/iam/errors.js'
import type { Tag } from '../iam-store.js'
import { msg } from '../messages.js'

export const MAX_TAGS = 50

/** A request's tags: keys unique ignoring case (InvalidInput), at most 50 (the validator checks the count). */
export function requireUniqueTagKeys(tags: readonly Tag[]): Tag[] {
  const seen = new Set<string>()
  for (const tag of tags) {
    const key = tag.Key.toLowerCase()
    if (seen.has(key)) throw new InvalidInputException(msg.duplicateTagKeys)
    seen.add(key)
  }
  return tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }))
}

/**
 * Adds or overwrites tags; a key that differs only in case replaces the existing one (keys are case
 * insensitive; the request's spelling wins — unverified). More than 50 → LimitExceeded.
 */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.Key.toLowerCase(), tag] as const))
  for (const tag of added) {
    const key = tag.Key.toLowerCase()
    byKey.set(key, tag)
  }
  const merged = [...byKey.values()]
  if (merged.length > MAX_TAGS) throw new LimitExceededException(msg.tooManyTags)
  return merged
}

/** Removes the keys given, ignoring case; unknown keys are ignored. */
export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys.map((key) => key.toLowerCase()))
  return current.filter((tag) => !removed.has(tag.Key.toLowerCase()))
}
