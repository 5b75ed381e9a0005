import type { ContextValue } from '../../../../policy/evaluation-types.js'
import type { PrincipalSession } from '../../iam/principal.js'
import { InvalidParameterValue, msg } from '../messages.js'
import type { TagRecord } from '../store.js'

/** A session's tags and which of them pass on to chained sessions. */
export interface SessionTags {
  readonly tags: readonly TagRecord[]
  readonly transitiveTagKeys: readonly string[]
}

const lower = (s: string) => s.toLowerCase()

/**
 * The request's own tag rules (spec §6.2, InvalidParameterValue): keys are unique ignoring case, and
 * every transitive key names a requested tag.
 */
export function checkRequestedTags(tags: readonly TagRecord[], transitiveKeys: readonly string[]): void {
  const keys = new Set<string>()
  for (const tag of tags) {
    const key = lower(tag.Key)
    if (keys.has(key)) throw new InvalidParameterValue(msg.duplicateTagKeys)
    keys.add(key)
  }
  for (const key of transitiveKeys) {
    if (!keys.has(lower(key))) throw new InvalidParameterValue(msg.transitiveNotInTags)
  }
}

/** The calling session's transitive tags, which a chained session inherits. */
export function inheritedTags(caller: PrincipalSession | undefined): SessionTags {
  if (caller === undefined || caller.transitiveTagKeys.length === 0)
    return { tags: [], transitiveTagKeys: [] }
  const transitive = new Set(caller.transitiveTagKeys.map(lower))
  const tags = Object.entries(caller.tags)
    .filter(([key]) => transitive.has(lower(key)))
    .map(([Key, Value]) => ({ Key, Value }))
  return { tags, transitiveTagKeys: caller.transitiveTagKeys }
}

/**
 * The new session's tags: the role's tags, overridden by inherited transitive tags and then by the
 * requested ones (keys compared ignoring case). A requested tag may not redefine an inherited one
 * ("If you pass a session tag with the same key as an inherited tag, the operation fails" [M]).
 */
export function sessionTags(
  roleTags: readonly TagRecord[],
  inherited: SessionTags,
  requested: readonly TagRecord[],
  requestedTransitive: readonly string[],
): SessionTags {
  const inheritedKeys = new Set(inherited.tags.map((t) => lower(t.Key)))
  for (const tag of requested) {
    if (inheritedKeys.has(lower(tag.Key))) throw new InvalidParameterValue(msg.transitiveConflict)
  }
  const merged = new Map<string, TagRecord>()
  for (const tag of [...roleTags, ...inherited.tags, ...requested]) merged.set(lower(tag.Key), tag)
  const transitive = new Map<string, string>()
  for (const key of [...inherited.transitiveTagKeys, ...requestedTransitive]) transitive.set(lower(key), key)
  return { tags: [...merged.values()], transitiveTagKeys: [...transitive.values()] }
}

/** Condition keys of the request's tags: `aws:RequestTag/<key>`, `aws:TagKeys`, `sts:TransitiveTagKeys`. */
export function tagContext(
  requested: readonly TagRecord[],
  requestedTransitive: readonly string[],
): [string, ContextValue][] {
  const entries: [string, ContextValue][] = requested.map((t) => [`aws:requesttag/${lower(t.Key)}`, t.Value])
  if (requested.length > 0) entries.push(['aws:tagkeys', requested.map((t) => t.Key)])
  if (requestedTransitive.length > 0) entries.push(['sts:transitivetagkeys', [...requestedTransitive]])
  return entries
}

export function tagsAsRecord(tags: readonly TagRecord[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]))
}
