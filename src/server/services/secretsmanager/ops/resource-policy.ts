import {
  MalformedPolicyDocumentException,
  PublicPolicyException,
} from '../../../../aws-api/secretsmanager/errors.js'
import { grantsPublicAccess, parsePolicy, validateSecretResourcePolicy } from '../../../../policy/index.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { msg } from '../messages.js'

/**
 * Resource policies are stored and validated here (spec §3.11); the identity layer enforces them.
 * A syntax error is MalformedPolicyDocumentException; with BlockPublicPolicy a policy granting public
 * access is PublicPolicyException.
 */
export const putResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation('PutResourcePolicy', { readOnly: false }, async (input, ctx) => {
    const secret = await d.lookup.requireLive(ctx, input.SecretId)
    const parsed = parsePolicy(input.ResourcePolicy, 'resource')
    if (!parsed.ok) {
      throw new MalformedPolicyDocumentException(
        `This resource policy contains a syntax error: ${parsed.errors.map((error) => error.message).join(' ')}`,
      )
    }
    if (input.BlockPublicPolicy === true && grantsPublicAccess(parsed.policy, secret.accountId)) {
      throw new PublicPolicyException(msg.publicPolicy)
    }
    const { secret: written } = await d.writer.write(
      secret,
      { update: { resourcePolicy: input.ResourcePolicy }, now: ctx.now },
      () => d.lookup.requireLive(ctx, secret.arn),
    )
    return { ARN: written.arn, Name: written.name }
  })

/** No policy → the member is omitted, not an error. */
export const getResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation('GetResourcePolicy', { readOnly: true }, async (input, ctx) => {
    const secret = await d.lookup.require(ctx, input.SecretId)
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.resourcePolicy !== undefined && { ResourcePolicy: secret.resourcePolicy }),
    }
  })

/** Succeeds whether or not a policy is attached. */
export const deleteResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation('DeleteResourcePolicy', { readOnly: false }, async (input, ctx) => {
    const secret = await d.lookup.requireLive(ctx, input.SecretId)
    if (secret.resourcePolicy === undefined) return { ARN: secret.arn, Name: secret.name }
    const { secret: written } = await d.writer.write(
      secret,
      { update: { resourcePolicy: null }, now: ctx.now },
      () => d.lookup.requireLive(ctx, secret.arn),
    )
    return { ARN: written.arn, Name: written.name }
  })

export const validateResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation('ValidateResourcePolicy', { readOnly: true }, async (input, ctx) => {
    const owner =
      input.SecretId === undefined
        ? ctx.principal.accountId
        : (await d.lookup.require(ctx, input.SecretId)).accountId
    return validateSecretResourcePolicy(input.ResourcePolicy, owner)
  })
