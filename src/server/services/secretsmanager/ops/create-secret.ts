import {
  InvalidRequestException,
  ResourceExistsException,
} from '../../../../aws-api/secretsmanager/errors.js'
import type { CreateSecretRequest } from '../../../../aws-api/secretsmanager/types.js'
import { UniqueViolationError } from '../../../../lib/neutral-errors.js'
import type { ContextValue } from '../../../../policy/evaluation-types.js'
import type { RequestContext } from '../../../core/context.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { assertValidSecretName, newSecretArnSuffix, secretArn } from '../domain/names.js'
import type { SecretValue } from '../envelope.js'
import { msg } from '../messages.js'
import { newTags, requireToken, valueOf } from '../request-values.js'
import { bool, requestTagKeys, type ContextKeys } from '../targets.js'
import { recordedKeyArn } from '../value-crypto.js'

/**
 * Authorized on the new secret's ARN (a fresh suffix: patterns like `secret:prod/*` or `name-??????`
 * match it as they will match the real one), or the existing secret's ARN when the name is taken.
 */
async function createTarget(d: SecretsManagerDeps, input: CreateSecretRequest, ctx: RequestContext) {
  assertValidSecretName(input.Name)
  const { accountId } = ctx.principal
  const existing = await d.store.findByName(accountId, ctx.region, input.Name)
  const resource =
    existing?.arn ??
    secretArn(
      ctx.region,
      accountId,
      input.Name,
      newSecretArnSuffix((n) => d.random.int(n)),
    )
  const keys: ContextKeys = [
    ['secretsmanager:name', input.Name],
    ['secretsmanager:description', input.Description],
    ['secretsmanager:kmskeyid', input.KmsKeyId],
    ['secretsmanager:addreplicaregions', input.AddReplicaRegions?.flatMap((r) => r.Region ?? [])],
    ['secretsmanager:forceoverwritereplicasecret', bool(input.ForceOverwriteReplicaSecret)],
    ...requestTagKeys(input.Tags),
  ]
  const context = new Map<string, ContextValue>()
  for (const [key, value] of keys) if (value !== undefined) context.set(key, value)
  return { resource, resourceAccountId: accountId, context }
}

export const createSecret = (d: SecretsManagerDeps) =>
  smOperation(
    'CreateSecret',
    { readOnly: false, target: (input, ctx) => createTarget(d, input, ctx) },
    async (input, ctx) => {
      assertValidSecretName(input.Name)
      const value = valueOf(input)
      const token = value === undefined ? input.ClientRequestToken : requireToken(input.ClientRequestToken)
      if (input.AddReplicaRegions !== undefined)
        throw new InvalidRequestException(msg.replicationNotSupported)
      const tags = input.Tags === undefined ? [] : newTags(input.Tags)
      const { accountId } = ctx.principal
      const existing = await d.store.findByName(accountId, ctx.region, input.Name)
      if (existing !== undefined) return replay(d, ctx, input.Name, token, value)
      // The key is resolved (aws/secretsmanager created on first use) and checked even without a value.
      const key = await d.crypto.resolve({ accountId, region: ctx.region }, input.KmsKeyId)
      const kmsKeyArn = recordedKeyArn(key)
      const arn = secretArn(
        ctx.region,
        accountId,
        input.Name,
        newSecretArnSuffix((n) => d.random.int(n)),
      )
      const firstVersion =
        value !== undefined && token !== undefined
          ? {
              versionId: token,
              createdAt: ctx.now,
              ...(kmsKeyArn !== undefined && { kmsKeyArn }),
              value: await d.crypto.seal(ctx, key, arn, token, value),
            }
          : undefined
      if (firstVersion === undefined) await d.crypto.validateAccess(ctx, key, arn)
      try {
        await d.store.createSecret(
          {
            accountId,
            region: ctx.region,
            name: input.Name,
            arn,
            ...(input.Description !== undefined &&
              input.Description !== '' && { description: input.Description }),
            ...(kmsKeyArn !== undefined && { kmsKeyArn }),
            ...(input.Type !== undefined && { type: input.Type }),
            ...(tags.length > 0 && { tags }),
            createdAt: ctx.now,
            lastChangedAt: ctx.now,
          },
          firstVersion,
        )
      } catch (error) {
        if (error instanceof UniqueViolationError && error.constraint === 'secret_name') {
          return replay(d, ctx, input.Name, token, value)
        }
        throw error
      }
      return {
        ARN: arn,
        Name: input.Name,
        ...(firstVersion !== undefined && { VersionId: firstVersion.versionId }),
      }
    },
  )

/**
 * The name is taken. A retry of the very same request (same token, same value) gets the original
 * answer; anything else is ResourceExistsException, or InvalidRequestException while the existing
 * secret is scheduled for deletion (spec §3.4).
 */
async function replay(
  d: SecretsManagerDeps,
  ctx: RequestContext,
  name: string,
  token: string | undefined,
  value: SecretValue | undefined,
) {
  const existing = await d.store.findByName(ctx.principal.accountId, ctx.region, name)
  if (existing === undefined) throw new ResourceExistsException(msg.secretExists(name))
  if (existing.deletedAt !== undefined) throw new InvalidRequestException(msg.nameScheduledForDeletion)
  if (token !== undefined && value !== undefined) {
    const version = await d.store.findVersionById(existing.id, token)
    if (version !== undefined) {
      try {
        await d.writer.assertSameValue(ctx, existing, token, value)
        return { ARN: existing.arn, Name: existing.name, VersionId: token }
      } catch (error) {
        // A different value under the same token: the name clash is what the caller needs to hear.
        if (!(error instanceof ResourceExistsException)) throw error
      }
    }
  }
  throw new ResourceExistsException(msg.secretExists(name))
}
