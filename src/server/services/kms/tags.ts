import { TagException } from '../../../aws-api/kms/errors.js'
import { msg } from './messages.js'
import type { KeyTag } from './store.js'

export const MAX_TAGS = 50

/** Tags a request adds (CreateKey, TagResource): unique keys, none in the reserved `aws:` namespace [LS-snap]. */
export function checkedTags(tags: readonly KeyTag[]): KeyTag[] {
  const keys = new Set<string>()
  for (const tag of tags) {
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw new TagException(msg.tagsReserved)
    if (keys.has(tag.TagKey)) throw new TagException(msg.duplicateTagKeys)
    keys.add(tag.TagKey)
  }
  if (tags.length > MAX_TAGS) throw new TagException(msg.tooManyTags)
  return tags.map((tag) => ({ TagKey: tag.TagKey, TagValue: tag.TagValue }))
}

/** `existing` with `added` merged in: a key already present takes the new value in place. */
export function mergeTags(existing: readonly KeyTag[], added: readonly KeyTag[]): KeyTag[] {
  const merged = new Map(existing.map((tag) => [tag.TagKey, tag.TagValue]))
  for (const tag of added) merged.set(tag.TagKey, tag.TagValue)
  if (merged.size > MAX_TAGS) throw new TagException(msg.tooManyTags)
  return [...merged].map(([TagKey, TagValue]) => ({ TagKey, TagValue }))
}

export function removeTags(existing: readonly KeyTag[], keys: readonly string[]): KeyTag[] {
  const removed = new Set(keys)
  return existing.filter((tag) => !removed.has(tag.TagKey))
}
