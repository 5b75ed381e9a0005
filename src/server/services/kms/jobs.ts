import type { Random } from '../../../lib/random.js'
import { KeyAdmin, nextRotation } from './admin.js'
import type { KmsKeys } from './keys.js'
import type { KmsStore } from './store.js'

const BATCH = 100

export interface KmsMaintenanceResult {
  /** ARNs of keys deleted at the end of their waiting period. */
  readonly deleted: string[]
  /** ARNs of keys whose material was rotated automatically. */
  readonly rotated: string[]
  /** Keys the job could not handle this time (tried again at the next run), with why. */
  readonly failed: { readonly arn: string; readonly error: unknown }[]
}

/**
 * KMS's background work, run with the purge job: keys whose deletion window ended are deleted with
 * their material and aliases (ScheduleKeyDeletion [M]); enabled keys whose automatic rotation is due
 * get new current material and their next date one period on (an overdue key, e.g. one re-enabled
 * after a long time, rotates now and then every period [M GetKeyRotationStatus]). Safe to run from
 * several processes: deletion is conditional, rotation is guarded by the key's revision.
 */
export async function runKmsMaintenance(
  deps: { store: KmsStore; keys: KmsKeys; random: Pick<Random, 'uuid'> },
  now: number,
): Promise<KmsMaintenanceResult> {
  const deleted: string[] = []
  for (;;) {
    const due = await deps.store.listKeysDueForDeletion(now, BATCH)
    for (const key of due) if (await deps.store.deleteKeyIfDue(key.keyId, now)) deleted.push(key.arn)
    if (due.length < BATCH) break
  }
  const admin = new KeyAdmin(deps)
  const rotated: string[] = []
  const failed: { arn: string; error: unknown }[] = []
  for (;;) {
    const due = (await deps.store.listKeysDueForRotation(now, BATCH)).filter(
      (key) => !failed.some((f) => f.arn === key.arn),
    )
    for (const key of due) {
      try {
        const after = await admin.rotate(key, 'AUTOMATIC', now, (stored) =>
          stored.rotationEnabled &&
          stored.keyState === 'Enabled' &&
          stored.nextRotationAt !== undefined &&
          stored.nextRotationAt <= now
            ? { nextRotationAt: nextRotation(now, stored.rotationPeriodDays ?? 365) }
            : undefined,
        )
        if (after.currentMaterialId !== key.currentMaterialId) rotated.push(key.arn)
      } catch (error) {
        // Deleted meanwhile, or storage trouble: the others still rotate; this one next time.
        failed.push({ arn: key.arn, error })
      }
    }
    if (due.length < BATCH) break
  }
  return { deleted, rotated, failed }
}
