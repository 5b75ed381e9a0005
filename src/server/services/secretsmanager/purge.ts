import type { SecretStore } from './store.js'

/**
 * Removes secrets whose recovery window has ended (spec §3.6), in batches. Safe to run from several
 * processes: deleting an already deleted secret is a no-op.
 */
export async function purgeDeletedSecrets(
  store: Pick<SecretStore, 'listDueForPurge' | 'deleteSecret'>,
  now: number,
): Promise<string[]> {
  const purged: string[] = []
  for (;;) {
    const due = await store.listDueForPurge(now, 100)
    for (const secret of due) {
      await store.deleteSecret(secret.id)
      purged.push(secret.arn)
    }
    if (due.length < 100) return purged
  }
}
