import {
  DisabledException,
  KMSInvalidStateException,
  NotFoundException,
} from '../../../aws-api/kms/errors.js'
import { AccessDeniedException } from '../../../lib/aws/errors.js'
import type { RequestContext } from '../../core/context.js'
import { parseKeyRef } from './key-ref.js'
import { aliasArn, keyArn, type KmsKeys, type KmsScope } from './keys.js'
import { msg } from './messages.js'
import type { KeyRecord } from './store.js'

export interface LocatedKey {
  readonly key: KeyRecord
  /** The alias name when the request named the key by an alias. */
  readonly alias?: string
}

export interface LocateOptions {
  /** Encrypt, Decrypt, GenerateDataKey*, DescribeKey, ReEncrypt accept aliases; the others key ids/ARNs only. */
  readonly aliases: boolean
  /** Operations AWS documents as "Cross-account use: Yes" take another account's key ARN. */
  readonly crossAccount: boolean
}

export function scopeOf(ctx: RequestContext): KmsScope {
  return { accountId: ctx.principal.accountId, region: ctx.region }
}

/**
 * Finds the key a request names, with KMS's answers (spec §4): NotFoundException "Invalid keyId" for
 * a malformed reference (or an alias where only keys are accepted), "Invalid arn <region>" for another
 * region, "Key '<arn>' does not exist", "Alias <alias arn> is not found.". AWS-managed aliases of the
 * caller's account are created on first use, as KMS does.
 */
export async function locateKey(
  keys: KmsKeys,
  ctx: RequestContext,
  reference: string,
  options: LocateOptions,
): Promise<LocatedKey> {
  const scope = scopeOf(ctx)
  const ref = parseKeyRef(reference, scope)
  if (ref === undefined || (ref.kind === 'alias' && !options.aliases))
    throw new NotFoundException(msg.invalidKeyId(reference))
  if (ref.region !== scope.region) throw new NotFoundException(msg.invalidArnRegion(ref.region))
  const own = ref.accountId === scope.accountId
  if (ref.kind === 'alias') {
    const key = own || options.crossAccount ? await keys.aliasTarget(ref, ref.aliasName, own) : undefined
    if (key === undefined) throw new NotFoundException(msg.aliasNotFound(aliasArn(ref, ref.aliasName)))
    return { key: checkedOwner(ctx, key), alias: ref.aliasName }
  }
  const key = own || options.crossAccount ? await keys.findKey(ref.keyId) : undefined
  if (key === undefined || key.accountId !== ref.accountId || key.region !== ref.region)
    throw new NotFoundException(msg.keyNotFound(keyArn(ref, ref.keyId)))
  return { key: checkedOwner(ctx, key) }
}

/** Another account's AWS-managed key: its policy grants only its own account (`kms:CallerAccount`). */
function checkedOwner(ctx: RequestContext, key: KeyRecord): KeyRecord {
  if (key.keyManager === 'AWS' && key.accountId !== ctx.principal.accountId) {
    throw new AccessDeniedException(
      `User: ${ctx.principal.arn} is not authorized to perform this operation on resource: ${key.arn} because no resource-based policy allows it`,
    )
  }
  return key
}

/** Cryptographic use (and rotation settings): Enabled only (AWS key-state table). */
export function assertUsable(key: KeyRecord): void {
  if (key.keyState === 'Disabled') throw new DisabledException(msg.disabled(key.arn))
  assertNotPendingDeletion(key)
}

/** Management operations refused while a key waits for deletion. */
export function assertNotPendingDeletion(key: KeyRecord): void {
  if (key.keyState === 'PendingDeletion') throw new KMSInvalidStateException(msg.pendingDeletion(key.arn))
}
