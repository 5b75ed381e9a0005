import { shapes } from '../../../aws-api/kms/schema.js'
import type { Random } from '../../../lib/random.js'
import type { JsonServiceDef, OperationDef } from '../../core/operation.js'
import { KeyAdmin } from './admin.js'
import type { KmsDeps } from './deps.js'
import type { KmsKeys } from './keys.js'
import { createAlias, deleteAlias, updateAlias } from './ops/aliases.js'
import { createKey } from './ops/create-key.js'
import { generateDataKey, generateDataKeyWithoutPlaintext, generateRandom } from './ops/data-keys.js'
import { decrypt, encrypt } from './ops/encrypt-decrypt.js'
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './ops/key-policy.js'
import {
  cancelKeyDeletion,
  disableKey,
  enableKey,
  scheduleKeyDeletion,
  updateKeyDescription,
} from './ops/key-state.js'
import { describeKey, listKeys } from './ops/keys-read.js'
import { listAliases } from './ops/list-aliases.js'
import { reEncrypt } from './ops/re-encrypt.js'
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  rotateKeyOnDemand,
} from './ops/rotation.js'
import { listResourceTags, tagResource, untagResource } from './ops/tags.js'
import type { KmsStore } from './store.js'

export interface KmsModuleDeps {
  readonly store: KmsStore
  readonly keys: KmsKeys
  readonly random: Random
}

/** The KMS wire service (`TrentService`, spec §4): every operation of the generated table. */
export function createKms(deps: KmsModuleDeps): JsonServiceDef {
  const d: KmsDeps = { ...deps, admin: new KeyAdmin(deps) }
  const operations: OperationDef[] = [
    cancelKeyDeletion(d),
    createAlias(d),
    createKey(d),
    decrypt(d),
    deleteAlias(d),
    describeKey(d),
    disableKey(d),
    disableKeyRotation(d),
    enableKey(d),
    enableKeyRotation(d),
    encrypt(d),
    generateDataKey(d),
    generateDataKeyWithoutPlaintext(d),
    generateRandom(d),
    getKeyPolicy(d),
    getKeyRotationStatus(d),
    listAliases(d),
    listKeyPolicies(d),
    listKeyRotations(d),
    listKeys(d),
    listResourceTags(d),
    putKeyPolicy(d),
    reEncrypt(d),
    rotateKeyOnDemand(d),
    scheduleKeyDeletion(d),
    tagResource(d),
    untagResource(d),
    updateAlias(d),
    updateKeyDescription(d),
  ]
  return {
    id: 'kms',
    protocol: 'json',
    signingName: 'kms',
    targetPrefix: 'TrentService',
    signatureSkewMs: 5 * 60_000,
    internalErrorCode: 'KMSInternalException',
    operations: new Map(operations.map((op) => [op.name, op])),
    shapes,
  }
}
