import type { Tag } from './store.js'

/** Most resources, parameters included, carry at most 50 tags [M AddTagsToResource]. */
export const MAX_TAGS = 50

/** `current` with `added` applied: new keys appended, existing keys (case-sensitive) get the new value. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map<string, string>(current.map((tag) => [tag.Key, tag.Value]))
  for (const tag of added) merged.set(tag.Key, tag.Value)
  return [...merged].map(([Key, Value]) => ({ Key, Value }))
}

export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys)
  return current.filter((tag) => !removed.has(tag.Key))
}

export function assertTagCount(tags: readonly Tag[], error: () => Error): void {
  if (tags.length > MAX_TAGS) throw error()
}
