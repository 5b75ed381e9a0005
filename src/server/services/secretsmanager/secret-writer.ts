import { LimitExceededException, ResourceExistsException } from '../../../aws-api/secretsmanager/errors.js'
import { ConflictError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { AuditLog } from '../../audit/index.js'
import { serviceEventRecord } from '../../audit/record.js'
import { cloudTrailEvent } from '../../events/cloudtrail-event.js'
import type { Random } from '../../../lib/random.js'
import { auditServiceEvents } from '../../rotation/events.js'
import type { OutboxEvent } from '../../rotation/store.js'
import type { RequestContext } from '../../core/context.js'
import type { KeyRecord } from '../kms/store.js'
import type { SecretValue } from './envelope.js'
import {
  applyMoves,
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  holders,
  labelCount,
  MAX_LABELS_PER_SECRET,
  pruneDeprecated,
  stagesForNewVersion,
  type StageMove,
} from './domain/stages.js'
import { msg } from './messages.js'
import type {
  RotationChange,
  SecretChange,
  SecretRecord,
  SecretStore,
  SecretUpdate,
  StoredValue,
  VersionRecord,
} from './store.js'
import { recordedKeyArn, type ValueCrypto } from './value-crypto.js'

export interface SecretWrite {
  /**
   * A new version: the ClientRequestToken (its id), the value and the requested labels (absent =
   * AWSCURRENT). Without a value it is a rotation's placeholder. A value for a token naming a placeholder
   * fills it (the rotation function's PutSecretValue, spec §3.7).
   */
  readonly version?: {
    readonly token: string
    readonly value?: SecretValue
    readonly stages?: readonly string[]
  }
  /** Metadata changed in the same transaction; a function is re-evaluated on the fresh record after a conflict. */
  readonly update?: SecretUpdate | ((secret: SecretRecord) => SecretUpdate)
  /** Label moves computed from the current versions (UpdateSecretVersionStage); may throw to refuse. */
  readonly relabel?: (versions: readonly VersionRecord[]) => StageMove[]
  /** A new KMS key: the labelled versions' data keys are re-wrapped under it, new versions use it. */
  readonly newKey?: KeyRecord
  /** Rotation runs and events in the same transaction, decided from the fresh read; may throw to refuse. */
  readonly rotation?: (secret: SecretRecord, versions: readonly VersionRecord[]) => RotationChange
}

export interface SecretWriteResult {
  /** The secret as read before the change (its identity: ARN and name). */
  readonly secret: SecretRecord
  /** The version written (or replayed), with its labels. */
  readonly version?: {
    readonly versionId: string
    readonly stages: readonly string[]
    readonly created: boolean
  }
}

const MAX_ATTEMPTS = 8
const REWRAPPED_STAGES = [AWSCURRENT, AWSPENDING, AWSPREVIOUS]

/**
 * Changes a secret — a new version (PutSecretValue, UpdateSecret with a value), its metadata, its KMS
 * key — as one transaction, with AWS's rules: a token naming an existing version is a replay when the
 * value matches and ResourceExistsException otherwise (spec §3.4); labels move per §3.3; deprecated
 * versions are pruned; a key change re-wraps the AWSCURRENT/AWSPENDING/AWSPREVIOUS versions the caller may re-wrap (§3.15).
 *
 * Concurrency: the change is computed from a fresh read and committed against the secret's revision;
 * a concurrent write makes the commit fail with ConflictError and the decision is re-made from a new read.
 */
export class SecretWriter {
  constructor(
    private readonly deps: {
      store: SecretStore
      crypto: ValueCrypto
      audit?: Pick<AuditLog, 'appendServiceEvent'>
      random: Pick<Random, 'uuid'>
    },
  ) {}

  async write(
    ctx: RequestContext,
    initial: SecretRecord,
    write: SecretWrite,
    reload: () => Promise<SecretRecord>,
  ): Promise<SecretWriteResult> {
    let secret = initial
    let sealed: { value: StoredValue; keyArn: string } | undefined
    for (let attempt = 1; ; attempt++) {
      const versions = await this.deps.store.listVersions(secret.id)
      const replay = write.version && versions.find((v) => v.versionId === write.version?.token)
      const fill = replay !== undefined && !replay.hasValue && write.version?.value !== undefined
      if (replay !== undefined && write.version !== undefined && !fill) {
        if (write.version.value !== undefined)
          await this.assertSameValue(ctx, secret, write.version.token, write.version.value)
        return { secret, version: { versionId: replay.versionId, stages: replay.stages, created: false } }
      }
      const key = write.newKey ?? (write.version && (await this.deps.crypto.keyFor(secret)))
      let moves: StageMove[] = write.relabel?.(versions) ?? []
      let after = applyMoves(versions, moves)
      let addVersion: SecretChange['addVersion']
      let fillVersion: SecretChange['fillVersion']
      if (write.version !== undefined && key !== undefined) {
        const { token, value, stages } = write.version
        // A placeholder gets exactly the labels asked for: never an implicit AWSCURRENT without a value.
        moves =
          value === undefined
            ? (stages ?? []).map((stage) => ({ stage, versionId: token }))
            : stagesForNewVersion(holders(versions), token, stages)
        after = applyMoves(versions, moves, token)
        if (value !== undefined && (sealed === undefined || sealed.keyArn !== key.arn)) {
          sealed = {
            value: await this.deps.crypto.seal(ctx, key, secret.arn, token, value),
            keyArn: key.arn,
          }
        }
        const kmsKeyArn = recordedKeyArn(key)
        const version = {
          versionId: token,
          createdAt: replay?.createdAt ?? ctx.now,
          ...(kmsKeyArn !== undefined && { kmsKeyArn }),
        }
        if (value === undefined) addVersion = version
        else if (sealed !== undefined && fill) fillVersion = { ...version, value: sealed.value }
        else if (sealed !== undefined) addVersion = { ...version, value: sealed.value }
      }
      if (labelCount(after) > MAX_LABELS_PER_SECRET) throw new LimitExceededException(msg.tooManyLabels)
      const prune = pruneDeprecated(versions, after, ctx.now)
      if (prune.overQuota) throw new LimitExceededException(msg.tooManyVersions)
      const versionEvents = this.versionsDeleted(ctx, secret, prune.drop)
      const rotation = write.rotation?.(secret, versions)
      const change: SecretChange = {
        secretId: secret.id,
        expectedRevision: secret.revision,
        update: {
          ...(typeof write.update === 'function' ? write.update(secret) : write.update),
          lastChangedAt: ctx.now,
        },
        ...(addVersion !== undefined && { addVersion }),
        ...(fillVersion !== undefined && { fillVersion }),
        stages: moves,
        dropVersions: prune.drop,
        ...(write.newKey !== undefined && {
          rewrap: await this.rewrapped(ctx, secret, versions, after, write.newKey),
        }),
        ...(rotation !== undefined && { rotation }),
        ...(versionEvents.length > 0 && { events: versionEvents }),
      }
      try {
        await this.deps.store.applyChange(change)
      } catch (error) {
        const retryable =
          error instanceof ConflictError ||
          (error instanceof UniqueViolationError && error.constraint === 'version_id')
        if (!retryable || attempt >= MAX_ATTEMPTS) throw error
        secret = await reload()
        continue
      }
      // The service events are in the outbox with the change; their audit records follow the commit.
      await auditServiceEvents(this.deps.audit, [...(rotation?.events ?? []), ...versionEvents])
      if (write.version === undefined) return { secret }
      const stages = [...(after.get(write.version.token) ?? [])].sort()
      return { secret, version: { versionId: write.version.token, stages, created: true } }
    }
  }

  /** The service event for each deprecated version the write drops (reference §2). */
  private versionsDeleted(
    ctx: RequestContext,
    secret: SecretRecord,
    versionIds: readonly string[],
  ): OutboxEvent[] {
    return versionIds.map((versionId) =>
      cloudTrailEvent(
        serviceEventRecord({
          eventName: 'EndSecretVersionDelete',
          accountId: secret.accountId,
          region: secret.region,
          time: ctx.now,
          requestId: this.deps.random.uuid(),
          eventId: this.deps.random.uuid(),
          additionalEventData: { SecretId: secret.arn, VersionId: versionId },
        }),
      ),
    )
  }

  /** Idempotent replay check: decrypts the stored version and compares (what AWS does, spec §3.4). */
  async assertSameValue(
    ctx: RequestContext,
    secret: SecretRecord,
    token: string,
    value: SecretValue,
  ): Promise<void> {
    const stored = (await this.deps.store.findVersionById(secret.id, token))?.value
    if (stored !== undefined) {
      const existing = await this.deps.crypto.open(ctx, secret.arn, token, stored)
      if (existing.type === value.type && existing.bytes.equals(value.bytes)) return
    }
    throw new ResourceExistsException(msg.tokenInUse(token, secret.arn))
  }

  private async rewrapped(
    ctx: RequestContext,
    secret: SecretRecord,
    versions: readonly VersionRecord[],
    after: ReadonlyMap<string, ReadonlySet<string>>,
    newKey: KeyRecord,
  ): Promise<NonNullable<SecretChange['rewrap']>> {
    const kmsKeyArn = recordedKeyArn(newKey) ?? null
    const result: { versionId: string; kmsKeyArn: string | null; encryptedDataKey: Buffer }[] = []
    for (const version of versions) {
      const labels = after.get(version.versionId)
      if (!version.hasValue || !REWRAPPED_STAGES.some((stage) => labels?.has(stage))) continue
      const stored = (await this.deps.store.findVersionById(secret.id, version.versionId))?.value
      if (stored === undefined) continue
      const encryptedDataKey = await this.deps.crypto.rewrap(
        ctx,
        newKey,
        secret.arn,
        version.versionId,
        stored.encryptedDataKey,
      )
      if (encryptedDataKey !== undefined)
        result.push({ versionId: version.versionId, kmsKeyArn, encryptedDataKey })
    }
    return result
  }
}
