export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion'
export type KeyManager = 'AWS' | 'CUSTOMER'
export type RotationType = 'AUTOMATIC' | 'ON_DEMAND'

export interface KeyTag {
  readonly TagKey: string
  readonly TagValue: string
}

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
  /** Set while PendingDeletion: when the purge job deletes the key. */
  readonly deletionDate?: number
  readonly pendingWindowDays?: number
  /** The key policy as given; absent = the key's default policy (see policy.ts). */
  readonly policy?: string
  readonly tags: readonly KeyTag[]
  readonly rotationEnabled: boolean
  readonly rotationPeriodDays?: number
  readonly nextRotationAt?: number
  /** Bumped by every update: read-modify-write callers pass the revision they read. */
  readonly revision: number
}

/** A change to a key; `null` clears an optional field. */
export interface KeyChanges {
  readonly keyState?: KeyState
  readonly description?: string
  readonly policy?: string
  readonly tags?: readonly KeyTag[]
  readonly rotationEnabled?: boolean
  readonly rotationPeriodDays?: number | null
  readonly nextRotationAt?: number | null
  readonly deletionDate?: number | null
  readonly pendingWindowDays?: number | null
}

export interface MaterialRecord {
  readonly materialId: string
  readonly createdAt: number
  /** Absent for the key's first material. */
  readonly rotationType?: RotationType
}

export interface NewMaterial {
  readonly materialId: string
  readonly sealed: Buffer
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
 * and throws `UniqueViolationError('kms_alias')` if the alias is taken — callers creating AWS-managed
 * keys lazily re-read the alias on that error, since another process won the race. Updates taking a
 * `revision` throw `ConflictError` when the key changed (or vanished) since it was read.
 */
export interface KmsStore {
  findKey(keyId: string): Promise<KeyRecord | undefined>
  findAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined>
  findSealedMaterial(keyId: string, materialId: string): Promise<Buffer | undefined>
  createKey(key: KeyRecord, material: NewMaterial, alias?: AliasRecord): Promise<void>

  /** Keys of an account and region ordered by key id, those after `afterKeyId`. */
  listKeys(
    accountId: string,
    region: string,
    afterKeyId: string | undefined,
    limit: number,
  ): Promise<KeyRecord[]>
  /** Aliases ordered by name, those after `afterName`; only those of one key with `targetKeyId`. */
  listAliases(
    accountId: string,
    region: string,
    options: { targetKeyId?: string; afterName?: string; limit: number },
  ): Promise<AliasRecord[]>
  /** A key's materials, oldest first. */
  listMaterials(keyId: string): Promise<MaterialRecord[]>

  updateKey(keyId: string, revision: number, changes: KeyChanges): Promise<KeyRecord>
  /** Adds a material and makes it current (with `changes`), atomically. */
  addMaterial(
    keyId: string,
    revision: number,
    material: NewMaterial & { createdAt: number; rotationType: RotationType },
    changes?: KeyChanges,
  ): Promise<KeyRecord>

  /** Throws `UniqueViolationError('kms_alias')` when the name is taken. */
  createAlias(alias: AliasRecord): Promise<void>
  /** False when the alias does not exist. */
  updateAlias(alias: AliasRecord): Promise<boolean>
  deleteAlias(accountId: string, region: string, aliasName: string): Promise<boolean>

  listKeysDueForDeletion(now: number, limit: number): Promise<KeyRecord[]>
  /** Deletes the key, its materials and its aliases if it is still pending deletion and due. */
  deleteKeyIfDue(keyId: string, now: number): Promise<boolean>
  /** Enabled keys with automatic rotation whose next rotation is due. */
  listKeysDueForRotation(now: number, limit: number): Promise<KeyRecord[]>
}
