/**
 * Secrets Manager's storage port. Adapters (SQLite today, PostgreSQL as a sibling) implement it and
 * pass the shared contract suite in `src/server/storage/contract/secret-store.contract.ts`.
 *
 * Contract:
 * - Missing items are `undefined` / empty, never errors.
 * - Every write is one transaction. `createSecret` throws `UniqueViolationError('secret_name')` when the
 *   name is taken in the account and region. `applyChange` first checks `expectedRevision` and throws
 *   `ConflictError` when the secret changed (or vanished) since it was read — the caller re-reads and
 *   recomputes; a new version whose id exists throws `UniqueViolationError('version_id')`.
 * - Staging labels are unique per secret and point at existing versions (database constraints).
 * - Values are stored only as ciphertext produced by the envelope; adapters never see plaintext.
 * - Reads are safe to run concurrently with writes from any process.
 * - A change that starts a rotation run (`rotation.startRun`) throws `UniqueViolationError('rotation_running')`
 *   while another run of the secret is running (a partial UNIQUE index), and changes nothing.
 */
import type { RotationRulesType } from '../../../aws-api/secretsmanager/types.js'
import type { NewRotationRun, OutboxEvent } from '../../rotation/store.js'

export interface Tag {
  readonly Key: string
  readonly Value: string
}

export interface SecretRecord {
  readonly id: number
  readonly accountId: string
  readonly region: string
  readonly name: string
  readonly arn: string
  readonly description?: string
  /** The customer KMS key's ARN; absent for the AWS-managed `aws/secretsmanager` key. */
  readonly kmsKeyArn?: string
  readonly owningService?: string
  readonly type?: string
  /** Absent until the secret is first tagged; `[]` after every tag was removed (spec §3.5). */
  readonly tags?: readonly Tag[]
  readonly resourcePolicy?: string
  readonly createdAt: number
  readonly lastChangedAt: number
  readonly lastAccessedAt?: number
  readonly deletedAt?: number
  readonly deletionDate?: number
  /** Absent until rotation was first configured (RotateSecret); kept by CancelRotateSecret (spec §3.7). */
  readonly rotation?: SecretRotation
  readonly revision: number
}

/** A secret's rotation configuration and schedule (spec §3.7). */
export interface SecretRotation {
  readonly enabled: boolean
  readonly lambdaArn?: string
  readonly rules?: RotationRulesType
  /** The last successful rotation. */
  readonly lastRotatedAt?: number
  /** NextRotationDate: the latest time of the next scheduled rotation. */
  readonly nextRotationAt?: number
  /** When the scheduler starts the next rotation (a point inside the next window); absent: not scheduled. */
  readonly dueAt?: number
}

export interface VersionRecord {
  readonly versionId: string
  readonly createdAt: number
  readonly lastAccessedAt?: number
  /** Absent for the AWS-managed key. */
  readonly kmsKeyArn?: string
  /** Staging labels, sorted; empty for a deprecated version. */
  readonly stages: readonly string[]
  readonly hasValue: boolean
}

export type ValueType = 'string' | 'binary'

export interface StoredValue {
  readonly valueType: ValueType
  readonly encryptedDataKey: Buffer
  readonly ciphertext: Buffer
}

/** A version with its encrypted value, as GetSecretValue needs it. */
export interface VersionWithValue extends VersionRecord {
  readonly value?: StoredValue
}

export interface NewVersion {
  readonly versionId: string
  readonly createdAt: number
  readonly kmsKeyArn?: string
  readonly value?: StoredValue
}

export type NewSecret = Omit<
  SecretRecord,
  'id' | 'revision' | 'lastAccessedAt' | 'deletedAt' | 'deletionDate' | 'rotation'
>

/** Fields of a secret a change may set; `null` clears a field. */
export interface SecretUpdate {
  readonly description?: string | null
  readonly kmsKeyArn?: string | null
  readonly type?: string | null
  readonly tags?: readonly Tag[] | null
  readonly resourcePolicy?: string | null
  readonly deletedAt?: number | null
  readonly deletionDate?: number | null
  readonly lastChangedAt?: number
  /** Rotation fields to set; `null` clears one. */
  readonly rotation?: RotationUpdate
}

export interface RotationUpdate {
  readonly enabled?: boolean
  readonly lambdaArn?: string
  readonly rules?: RotationRulesType
  readonly lastRotatedAt?: number
  readonly nextRotationAt?: number | null
  readonly dueAt?: number | null
}

/** The rotation side of a change, committed in the same transaction as the rest of it. */
export interface RotationChange {
  /** A run to start (RotateSecret, the scheduler). */
  readonly startRun?: NewRotationRun
  /** The running run, if any, ends as cancelled at this time (CancelRotateSecret). */
  readonly cancelRunningAt?: number
  /** Events appended to the outbox. */
  readonly events?: readonly OutboxEvent[]
}

export interface SecretChange {
  readonly secretId: number
  readonly expectedRevision: number
  readonly update?: SecretUpdate
  readonly addVersion?: NewVersion
  /**
   * The value of an existing version that has none (a rotation's AWSPENDING placeholder, filled by the
   * rotation function's PutSecretValue). Throws ConflictError when the version is gone or has a value.
   */
  readonly fillVersion?: NewVersion & { readonly value: StoredValue }
  /** Label moves: `versionId: null` detaches the label. Applied after `addVersion`. */
  readonly stages?: readonly { readonly stage: string; readonly versionId: string | null }[]
  /** Deprecated versions to delete (pruning). */
  readonly dropVersions?: readonly string[]
  /** Data keys re-wrapped under another KMS key (UpdateSecret with a new KmsKeyId). */
  readonly rewrap?: readonly {
    readonly versionId: string
    readonly kmsKeyArn: string | null
    readonly encryptedDataKey: Buffer
  }[]
  readonly rotation?: RotationChange
  /** Service events of the change (EndSecretVersionDelete per dropped version), appended to the outbox. */
  readonly events?: readonly OutboxEvent[]
}

export interface SecretStore {
  findByName(accountId: string, region: string, name: string): Promise<SecretRecord | undefined>
  findByArn(arn: string): Promise<SecretRecord | undefined>
  /** By the store's own id (the rotation engine's runs name secrets by it). Not cached. */
  findById(id: number): Promise<SecretRecord | undefined>
  /** All versions, deprecated included, oldest first. */
  listVersions(secretId: number): Promise<VersionRecord[]>
  /** The version holding `stage`, with its value. */
  findVersionByStage(secretId: number, stage: string): Promise<VersionWithValue | undefined>
  findVersionById(secretId: number, versionId: string): Promise<VersionWithValue | undefined>
  createSecret(secret: NewSecret, version?: NewVersion): Promise<SecretRecord>
  applyChange(change: SecretChange): Promise<void>
  /** Removes a secret and everything it owns now (force delete, purge). */
  deleteSecret(secretId: number): Promise<void>
  /** Secrets of an account and region; those scheduled for deletion only when asked. Unordered. */
  listSecrets(
    accountId: string,
    region: string,
    options: { includeDeleted: boolean },
  ): Promise<SecretRecord[]>
  /** version id → labels, for the labelled versions of each given secret. */
  stagesOf(secretIds: readonly number[]): Promise<Map<number, Map<string, string[]>>>
  /**
   * Records a read on `day` (UTC midnight) for the secret and version when they show an older day.
   * Not a modification: revision and LastChangedDate stay.
   */
  recordAccess(secretId: number, versionId: string, day: number): Promise<void>
  /** Secrets whose deletion date has passed, for the purge job. */
  listDueForPurge(now: number, limit: number): Promise<{ id: number; arn: string }[]>
}
