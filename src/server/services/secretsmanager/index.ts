import { shapes } from '../../../aws-api/secretsmanager/schema.js'
import type { Clock } from '../../../lib/clock.js'
import type { CacheStats } from '../../../lib/expiring-cache.js'
import type { Random } from '../../../lib/random.js'
import type { FunctionRegistry } from '../../functions/contract.js'
import type { RotationSignal } from '../../rotation/signal.js'
import type { RotationStore } from '../../rotation/store.js'
import type { AuditLog } from '../../audit/index.js'
import type { JsonServiceDef, OperationDef } from '../../core/operation.js'
import type { KmsKeys } from '../kms/keys.js'
import type { SecretsManagerDeps } from './deps.js'
import { SecretEnvelope, type EnvelopeOptions } from './envelope.js'
import { batchGetSecretValue } from './ops/batch-get-secret-value.js'
import { cancelRotateSecret } from './ops/cancel-rotate-secret.js'
import { createSecret } from './ops/create-secret.js'
import { deleteSecret } from './ops/delete-secret.js'
import { describeSecret } from './ops/describe-secret.js'
import { getRandomPassword } from './ops/get-random-password.js'
import { getSecretValue } from './ops/get-secret-value.js'
import { listSecretVersionIds } from './ops/list-secret-version-ids.js'
import { listSecrets } from './ops/list-secrets.js'
import { notImplementedOperations } from './ops/not-implemented.js'
import { putSecretValue } from './ops/put-secret-value.js'
import {
  deleteResourcePolicy,
  getResourcePolicy,
  putResourcePolicy,
  validateResourcePolicy,
} from './ops/resource-policy.js'
import { restoreSecret } from './ops/restore-secret.js'
import { rotateSecret } from './ops/rotate-secret.js'
import { tagResource } from './ops/tag-resource.js'
import { untagResource } from './ops/untag-resource.js'
import { updateSecretVersionStage } from './ops/update-secret-version-stage.js'
import { updateSecret } from './ops/update-secret.js'
import { RotationStarter } from './rotation-start.js'
import { SecretLookup } from './secret-lookup.js'
import { SecretWriter } from './secret-writer.js'
import type { SecretStore } from './store.js'
import { ValueCrypto } from './value-crypto.js'
import { ValueReader } from './value-reader.js'

export interface SecretsManagerModuleDeps {
  readonly store: SecretStore
  readonly kms: KmsKeys
  readonly clock: Clock
  readonly random: Random
  readonly envelope: EnvelopeOptions
  readonly rotation: {
    readonly registry: FunctionRegistry
    readonly runs: Pick<RotationStore, 'listRuns'>
    /** Told when a run starts, so this process's scheduler picks it up at once. */
    readonly signal: RotationSignal
  }
  /** Service events (version deletion; rotation) for the audit trail; absent when it is disabled. */
  readonly audit?: Pick<AuditLog, 'appendServiceEvent'>
}

/** Secrets Manager's read path, for other services that read secrets (SSM's passthrough). */
export interface SecretReadPath {
  readonly lookup: SecretLookup
  readonly reader: ValueReader
}

/** What the rotation scheduler starts scheduled rotations with (RotateSecret's code path). */
export interface RotationStartPath {
  readonly starter: RotationStarter
}

/** The Secrets Manager wire service (every operation of the 2017-10-17 model) and its read path. */
export function createSecretsManager(deps: SecretsManagerModuleDeps): {
  service: JsonServiceDef
  readPath: SecretReadPath
  rotationPath: RotationStartPath
  cacheStats: Readonly<Record<string, CacheStats>>
} {
  const envelope = new SecretEnvelope({ kms: deps.kms, clock: deps.clock }, deps.envelope)
  const crypto = new ValueCrypto({ kms: deps.kms, envelope })
  const writer = new SecretWriter({
    store: deps.store,
    crypto,
    random: deps.random,
    ...(deps.audit !== undefined && { audit: deps.audit }),
  })
  const starter = new RotationStarter({
    writer,
    runs: deps.rotation.runs,
    random: deps.random,
    signal: deps.rotation.signal,
  })
  const d: SecretsManagerDeps = {
    store: deps.store,
    lookup: new SecretLookup(deps.store),
    crypto,
    reader: new ValueReader({ store: deps.store, crypto }),
    writer,
    clock: deps.clock,
    random: deps.random,
    rotation: { registry: deps.rotation.registry, starter },
  }
  const operations: OperationDef[] = [
    batchGetSecretValue(d),
    cancelRotateSecret(d),
    createSecret(d),
    deleteResourcePolicy(d),
    deleteSecret(d),
    describeSecret(d),
    getRandomPassword(d),
    getResourcePolicy(d),
    getSecretValue(d),
    listSecretVersionIds(d),
    listSecrets(d),
    putResourcePolicy(d),
    putSecretValue(d),
    restoreSecret(d),
    rotateSecret(d),
    tagResource(d),
    untagResource(d),
    updateSecret(d),
    updateSecretVersionStage(d),
    validateResourcePolicy(d),
    ...notImplementedOperations(d),
  ]
  return {
    service: {
      id: 'secretsmanager',
      protocol: 'json',
      signingName: 'secretsmanager',
      targetPrefix: 'secretsmanager',
      signatureSkewMs: 5 * 60_000,
      internalErrorCode: 'InternalServiceError',
      operations: new Map(operations.map((op) => [op.name, op])),
      shapes,
    },
    readPath: { lookup: d.lookup, reader: d.reader },
    rotationPath: { starter },
    cacheStats: envelope.cacheStats,
  }
}
