import {
  MalformedPolicyDocumentException,
  PublicPolicyException,
} from '../../../../aws-api/secretsmanager/errors.js'
import { grantsPublicAccess, parsePolicy, validateSecretResourcePolicy } from '../../../../policy/index.js'
import { ANY_RESOURCE } from '../../../core/authorize.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { msg } from '../messages.js'
import { bySecretId, secretTarget } from '../targets.js'

/**
 * Resource policies are stored and validated here (spec §3.11); the authorizer enforces them on every
 * request. A syntax error is MalformedPolicyDocumentException; with BlockPublicPolicy a policy granting
 * public access (any principal, any account: `*`) is PublicPolicyException. Grants to named accounts
 * are not public: AWS's own cross-account walkthrough sets BlockPublicPolicy.
 * `secretsmanager:BlockPublicPolicy` is always in the context (`false` when omitted), so a policy can
 * require it.
 */
export const putResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation(
    'PutResourcePolicy',
    {
      readOnly: false,
      target: bySecretId(d, (input) => [
        ['secretsmanager:blockpublicpolicy', String(input.BlockPublicPolicy === true)],
      ]),
    },
    async (input, ctx) => {
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
        ctx,
        secret,
        { update: { resourcePolicy: input.ResourcePolicy } },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return { ARN: written.arn, Name: written.name }
    },
  )

/** No policy → the member is omitted, not an error. */
export const getResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation('GetResourcePolicy', { readOnly: true, target: bySecretId(d) }, async (input, ctx) => {
    const secret = await d.lookup.require(ctx, input.SecretId)
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.resourcePolicy !== undefined && { ResourcePolicy: secret.resourcePolicy }),
    }
  })

/** Succeeds whether or not a policy is attached. */
export const deleteResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation('DeleteResourcePolicy', { readOnly: false, target: bySecretId(d) }, async (input, ctx) => {
    const secret = await d.lookup.requireLive(ctx, input.SecretId)
    if (secret.resourcePolicy === undefined) return { ARN: secret.arn, Name: secret.name }
    const { secret: written } = await d.writer.write(ctx, secret, { update: { resourcePolicy: null } }, () =>
      d.lookup.requireLive(ctx, secret.arn),
    )
    return { ARN: written.arn, Name: written.name }
  })

export const validateResourcePolicy = (d: SecretsManagerDeps) =>
  smOperation(
    'ValidateResourcePolicy',
    {
      readOnly: true,
      target: async (input, ctx) =>
        input.SecretId === undefined
          ? ANY_RESOURCE
          : secretTarget(ctx, input.SecretId, await d.lookup.find(ctx, input.SecretId)),
    },
    async (input, ctx) => {
      const owner =
        input.SecretId === undefined
          ? ctx.principal.accountId
          : (await d.lookup.require(ctx, input.SecretId)).accountId
      return validateSecretResourcePolicy(input.ResourcePolicy, owner)
    },
  )
