import type { VersionRecord } from '../store.js'

export const AWSCURRENT = 'AWSCURRENT'
export const AWSPREVIOUS = 'AWSPREVIOUS'
export const AWSPENDING = 'AWSPENDING'

/** A label change: attach `stage` to `versionId`, or detach it when `versionId` is null. */
export interface StageMove {
  readonly stage: string
  readonly versionId: string | null
}

/** stage → version id holding it. */
export function holders(versions: readonly VersionRecord[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const version of versions) for (const stage of version.stages) map.set(stage, version.versionId)
  return map
}

/**
 * Labels for a new version (PutSecretValue / UpdateSecret with a value; spec §3.3):
 * - no list → AWSCURRENT;
 * - each listed label leaves its holder for the new version; unlisted labels stay where they are;
 * - AWSCURRENT moving leaves AWSPREVIOUS on the version it left (unless AWSPREVIOUS is itself listed);
 * - the secret's first version always gets AWSCURRENT.
 */
export function stagesForNewVersion(
  current: ReadonlyMap<string, string>,
  newVersionId: string,
  requested: readonly string[] | undefined,
): StageMove[] {
  const labels = new Set(requested ?? [AWSCURRENT])
  if (!current.has(AWSCURRENT)) labels.add(AWSCURRENT)
  const moves: StageMove[] = []
  const oldCurrent = current.get(AWSCURRENT)
  if (
    labels.has(AWSCURRENT) &&
    oldCurrent !== undefined &&
    oldCurrent !== newVersionId &&
    !labels.has(AWSPREVIOUS)
  ) {
    moves.push({ stage: AWSPREVIOUS, versionId: oldCurrent })
  }
  for (const stage of labels) moves.push({ stage, versionId: newVersionId })
  return moves
}

/** The labels each version would carry after `moves`. */
export function applyMoves(
  versions: readonly VersionRecord[],
  moves: readonly StageMove[],
  newVersionId?: string,
): Map<string, Set<string>> {
  const byVersion = new Map<string, Set<string>>()
  for (const version of versions) byVersion.set(version.versionId, new Set(version.stages))
  if (newVersionId !== undefined && !byVersion.has(newVersionId)) byVersion.set(newVersionId, new Set())
  const holder = holders(versions)
  for (const { stage, versionId } of moves) {
    const from = holder.get(stage)
    if (from !== undefined) byVersion.get(from)?.delete(stage)
    if (versionId === null) holder.delete(stage)
    else {
      byVersion.get(versionId)?.add(stage)
      holder.set(stage, versionId)
    }
  }
  return byVersion
}

/** Distinct labels on the secret after `moves`; AWS allows at most 20 per secret. */
export function labelCount(after: ReadonlyMap<string, ReadonlySet<string>>): number {
  let count = 0
  for (const stages of after.values()) count += stages.size
  return count
}

export const MAX_LABELS_PER_SECRET = 20
export const MAX_DEPRECATED_VERSIONS = 100
export const DEPRECATED_MIN_AGE_MS = 24 * 3_600_000

/**
 * Deprecated versions to purge once more than 100 exist: oldest first, never one younger than 24 h
 * (spec §3.3). Returns the ids to drop and whether the quota would still be exceeded afterwards.
 */
export function pruneDeprecated(
  versions: readonly VersionRecord[],
  after: ReadonlyMap<string, ReadonlySet<string>>,
  now: number,
): { drop: string[]; overQuota: boolean } {
  const deprecated = versions
    .filter((version) => (after.get(version.versionId)?.size ?? 0) === 0)
    .sort((a, b) => a.createdAt - b.createdAt)
  const drop: string[] = []
  let excess = deprecated.length - MAX_DEPRECATED_VERSIONS
  for (const version of deprecated) {
    if (excess <= 0) break
    if (now - version.createdAt < DEPRECATED_MIN_AGE_MS) break
    drop.push(version.versionId)
    excess--
  }
  return { drop, overQuota: excess > 0 }
}

export type StageMoveError =
  | { readonly kind: 'no-target' }
  | { readonly kind: 'unknown-version'; readonly versionId: string }
  | { readonly kind: 'remove-from-required'; readonly holder: string }
  | { readonly kind: 'remove-from-mismatch'; readonly versionId: string }
  | { readonly kind: 'cannot-remove-current' }

/**
 * UpdateSecretVersionStage (spec §3.3): attach `stage` to `moveTo` (its other labels stay), detaching
 * it from its holder, which must then be named in `removeFrom`; or only detach it. Moving AWSCURRENT
 * leaves AWSPREVIOUS on the version it left. AWSCURRENT can't be detached without a new holder.
 */
export function moveStage(
  versions: readonly VersionRecord[],
  stage: string,
  moveTo: string | undefined,
  removeFrom: string | undefined,
): StageMove[] | StageMoveError {
  if (moveTo === undefined && removeFrom === undefined) return { kind: 'no-target' }
  const known = new Set(versions.map((version) => version.versionId))
  for (const id of [moveTo, removeFrom]) {
    if (id !== undefined && !known.has(id)) return { kind: 'unknown-version', versionId: id }
  }
  const holder = holders(versions).get(stage)
  if (moveTo === undefined) {
    if (holder !== removeFrom) return { kind: 'remove-from-mismatch', versionId: removeFrom ?? '' }
    if (stage === AWSCURRENT) return { kind: 'cannot-remove-current' }
    return [{ stage, versionId: null }]
  }
  if (holder === moveTo) return []
  if (holder !== undefined && removeFrom === undefined) return { kind: 'remove-from-required', holder }
  if (removeFrom !== undefined && holder !== removeFrom)
    return { kind: 'remove-from-mismatch', versionId: removeFrom }
  const moves: StageMove[] = []
  if (stage === AWSCURRENT && holder !== undefined) moves.push({ stage: AWSPREVIOUS, versionId: holder })
  moves.push({ stage, versionId: moveTo })
  return moves
}
