import type { JWTPayload } from 'jose'
import { InvalidIdentityTokenException } from '../../../../aws-api/sts/errors.js'
import { operations, service, type OperationTypes } from '../../../../aws-api/sts/operations.js'
import type { ContextValue } from '../../../../policy/index.js'
import type { RequestContext } from '../../../core/context.js'
import { modelOperation } from '../../../core/model-operation.js'
import { assumedRoleArn, assumedRoleId } from '../domain/arns.js'
import { requireRoleArn } from '../domain/input.js'
import { checkSessionPolicy, packedPolicySize, sessionPolicyDocuments } from '../domain/session-policies.js'
import { trustPolicyAllows } from '../domain/trust.js'
import type { StsDeps } from '../deps.js'
import { msg, StsAccessDenied, StsValidationError } from '../messages.js'
import {
  providerFor,
  unverifiedIssuer,
  verifyWebIdentityToken,
  type VerifiedWebIdentity,
} from '../oidc/verify.js'
import { issueSession } from '../sessions.js'
import type { RoleRecord } from '../store.js'

const ACTION = 'sts:AssumeRoleWithWebIdentity'
const DEFAULT_DURATION = 3600

/**
 * AssumeRoleWithWebIdentity: the request is unsigned (`anonymous`); the token is the proof. It must come
 * from an OIDC provider registered in IAM in the role's account (issuer URL, client ids = audiences) and
 * verify against the issuer's keys; then the role's trust policy alone decides, for the federated
 * principal `arn:aws:iam::<acct>:oidc-provider/<host/path>` with the token's claims as condition keys
 * (`<host/path>:sub`, `:aud`, `:amr`, …).
 */
export const assumeRoleWithWebIdentity = (deps: StsDeps) =>
  modelOperation<OperationTypes, 'AssumeRoleWithWebIdentity'>(
    { service, operations },
    'AssumeRoleWithWebIdentity',
    { readOnly: false, access: 'anonymous' },
    async (input, ctx) => {
      const { accountId } = requireRoleArn(input.RoleArn)
      if (input.Policy !== undefined) checkSessionPolicy(input.Policy)
      const issuer = unverifiedIssuer(input.WebIdentityToken)
      const provider = providerFor(await deps.store.listOidcProviders(accountId), issuer)
      if (provider === undefined) throw new InvalidIdentityTokenException(msg.noOidcProvider(issuer))
      const identity = await verifyWebIdentityToken(input.WebIdentityToken, issuer, provider, {
        keys: deps.oidc.keys,
        now: ctx.now,
        skewSeconds: deps.oidc.clockSkewSeconds,
      })
      const role = await deps.store.findRole(input.RoleArn)
      if (role === undefined || !trustAllows(role, identity, input.RoleSessionName, ctx)) {
        throw new StsAccessDenied(msg.webIdentityDenied)
      }
      const duration = input.DurationSeconds ?? DEFAULT_DURATION
      if (duration > role.maxSessionDuration) throw new StsValidationError(msg.maxSessionDuration)

      const policyArns = (input.PolicyArns ?? []).flatMap((p) => (p.arn === undefined ? [] : [p.arn]))
      const policies = await sessionPolicyDocuments(deps.store, role.accountId, input.Policy, policyArns)
      const packed = packedPolicySize(input.Policy, policyArns, [])
      const credentials = await issueSession(
        deps,
        {
          accountId: role.accountId,
          principalKind: 'role',
          principalId: role.roleId,
          roleArn: role.arn,
          sessionName: input.RoleSessionName,
          sessionPolicies: policies,
          tags: role.tags,
          transitiveTagKeys: [],
          chained: false,
        },
        { now: ctx.now, durationSeconds: duration },
      )
      return {
        Credentials: credentials,
        SubjectFromWebIdentityToken: identity.subject,
        AssumedRoleUser: {
          Arn: assumedRoleArn(role.accountId, role.roleName, input.RoleSessionName),
          AssumedRoleId: assumedRoleId(role.roleId, input.RoleSessionName),
        },
        ...(packed !== undefined && { PackedPolicySize: packed }),
        Provider: provider.arn,
        Audience: identity.audience,
      }
    },
  )

/** The role's trust policy, evaluated for the federated principal (no identity policies apply). */
function trustAllows(
  role: RoleRecord,
  identity: VerifiedWebIdentity,
  sessionName: string,
  ctx: RequestContext,
) {
  const providerArn = identity.provider.arn
  return trustPolicyAllows(
    role,
    {
      arn: providerArn,
      accountId: identity.provider.accountId,
      principalArn: providerArn,
      isRoot: false,
      userId: identity.subject,
      federated: providerArn,
    },
    ACTION,
    claimContext(identity, sessionName, ctx),
  )
}

/** Condition keys (lower-cased): the provider's claim keys, the session name and the request's globals. */
function claimContext(
  identity: VerifiedWebIdentity,
  sessionName: string,
  ctx: RequestContext,
): ReadonlyMap<string, ContextValue> {
  const prefix = identity.providerPath.toLowerCase()
  const context = new Map<string, ContextValue>([
    [`${prefix}:sub`, identity.subject],
    [`${prefix}:aud`, identity.audience],
    ['sts:rolesessionname', sessionName],
    ['aws:federatedprovider', identity.provider.arn],
    ['aws:currenttime', new Date(ctx.now).toISOString()],
    ['aws:epochtime', String(Math.floor(ctx.now / 1000))],
    ['aws:sourceip', ctx.sourceIp.replace(/^::ffff:(?=\d+\.)/, '')],
  ])
  const amr = claimStrings(identity.claims, 'amr')
  if (amr !== undefined) context.set(`${prefix}:amr`, amr)
  const azp = claimStrings(identity.claims, 'azp')
  if (azp !== undefined) context.set(`${prefix}:azp`, azp)
  return context
}

function claimStrings(claims: JWTPayload, name: string): ContextValue | undefined {
  const value = claims[name]
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  return undefined
}
