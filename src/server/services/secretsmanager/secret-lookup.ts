import { InvalidRequestException, ResourceNotFoundException } from '../../../aws-api/secretsmanager/errors.js'
import type { RequestContext } from '../../core/context.js'
import { assertValidSecretId, parseSecretArn } from './domain/names.js'
import { msg } from './messages.js'
import type { SecretRecord, SecretStore } from './store.js'

/**
 * Resolves a `SecretId` (name, full ARN or partial ARN; spec §3.1) in the request's region: a name in
 * the caller's account, an ARN in the account it names (cross-account access needs an ARN). A name
 * that isn't valid gets AWS's ValidationException before any lookup.
 */
export class SecretLookup {
  constructor(private readonly store: Pick<SecretStore, 'findByName' | 'findByArn'>) {}

  async find(ctx: RequestContext, secretId: string): Promise<SecretRecord | undefined> {
    assertValidSecretId(secretId)
    if (!secretId.startsWith('arn:'))
      return this.store.findByName(ctx.principal.accountId, ctx.region, secretId)
    const arn = parseSecretArn(secretId)
    if (arn === undefined || arn.region !== ctx.region) return undefined
    if (arn.isComplete) return this.store.findByArn(secretId)
    const secret = await this.store.findByName(arn.accountId, arn.region, arn.name)
    // A partial ARN must still match the secret's own ARN prefix (partition, account, region, name).
    return secret !== undefined && secret.arn.startsWith(`${secretId}-`) ? secret : undefined
  }

  /** Throws ResourceNotFoundException. Secrets scheduled for deletion are returned. */
  async require(ctx: RequestContext, secretId: string): Promise<SecretRecord> {
    const secret = await this.find(ctx, secretId)
    if (secret === undefined) throw new ResourceNotFoundException(msg.secretNotFound)
    return secret
  }

  /** Like `require`, and refuses secrets scheduled for deletion with InvalidRequestException. */
  async requireLive(ctx: RequestContext, secretId: string): Promise<SecretRecord> {
    const secret = await this.find(ctx, secretId)
    if (secret === undefined) throw new ResourceNotFoundException(msg.secretNotFound)
    assertLive(secret)
    return secret
  }
}

/**
 * Spec §3.1: a secret encrypted with the default key (`aws/secretsmanager`, whose key policy admits only
 * its own account) can't be read or written from another account. Checked by the operations that use
 * the secret's key, after authorization.
 */
export function assertKeyUsableFrom(ctx: RequestContext, secret: SecretRecord): void {
  if (secret.accountId !== ctx.principal.accountId && secret.kmsKeyArn === undefined)
    throw new InvalidRequestException(msg.crossAccountDefaultKey)
}

export function assertLive(secret: SecretRecord): void {
  if (secret.deletedAt !== undefined) throw new InvalidRequestException(msg.markedForDeletion)
}
