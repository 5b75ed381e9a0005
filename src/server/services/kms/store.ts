export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion'
export type KeyManager = 'AWS' | 'CUSTOMER'

export interface KeyRecord {
  readonly keyId: string
  readonly accountId: string
  readonly region: string
  readonly arn: string
  readonly keyManager: KeyManager
  readonly keyState: KeyState
  readonly description: string
  readonly currentMaterialId: string
  readonly createdAt: number
  readonly deletionDate?: number
}

export interface AliasRecord {
  readonly accountId: string
  readonly region: string
  /** Full alias name including the `alias/` prefix. */
  readonly aliasName: string
  readonly targetKeyId: string
  readonly createdAt: number
  readonly updatedAt: number
}

/**
 * KMS storage port. Key material is stored sealed by the barrier; this port never sees it in the clear.
 * Missing items are `undefined`. `createKey` is atomic (key, first material and optional alias together)
 * and throws `UniqueViolationError` if the alias is taken — callers creating AWS-managed keys lazily
 * re-read the alias on that error, since another process won the race.
 */
export interface KmsStore {
  findKey(keyId: string): Promise<KeyRecord | undefined>
  findAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined>
  findSealedMaterial(keyId: string, materialId: string): Promise<Buffer | undefined>
  createKey(
    key: KeyRecord,
    material: { materialId: string; sealed: Buffer },
    alias?: AliasRecord,
  ): Promise<void>
}
