import { operations, service, type OperationTypes } from '../../../../aws-api/sts/operations.js'
import type { AssumeRoleRequest } from '../../../../aws-api/sts/types.js'
import type { ContextValue } from '../../../../policy/evaluation-types.js'
import type { AuthorizationTarget } from '../../../core/authorize.js'
import type { RequestContext } from '../../../core/context.js'
import { modelOperation } from '../../../core/model-operation.js'
import { assumedRoleArn, assumedRoleId } from '../domain/arns.js'
import { requireRoleArn } from '../domain/input.js'
import { checkSessionPolicy, packedPolicySize, sessionPolicyDocuments } from '../domain/session-policies.js'
import { checkRequestedTags, inheritedTags, sessionTags, tagContext } from '../domain/session-tags.js'
import type { StsDeps } from '../deps.js'
import { msg, StsAccessDenied, StsValidationError } from '../messages.js'
import { issueSession } from '../sessions.js'
import type { RoleRecord } from '../store.js'

const DEFAULT_DURATION = 3600
const CHAINED_MAX_DURATION = 3600

/**
 * AssumeRole (spec §6.2). The core authorizes `sts:AssumeRole` on the role with its trust policy as the
 * resource policy (same account: a trust policy naming the caller suffices; naming the account needs
 * an identity allow too; cross-account: both), with the request's condition keys. Passing tags or a
 * source identity also needs `sts:TagSession` / `sts:SetSourceIdentity` on the role, as on AWS.
 */
export const assumeRole = (deps: StsDeps) => {
  // target() and the handler read the role once per request.
  const roles = new WeakMap<RequestContext, Promise<RoleRecord | undefined>>()
  const findRole = (ctx: RequestContext, arn: string) => {
    let role = roles.get(ctx)
    if (role === undefined) {
      role = deps.store.findRole(arn)
      roles.set(ctx, role)
    }
    return role
  }

  const target = async (input: AssumeRoleRequest, ctx: RequestContext): Promise<AuthorizationTarget> => {
    const { accountId } = requireRoleArn(input.RoleArn)
    const role = await findRole(ctx, input.RoleArn)
    return {
      resource: input.RoleArn,
      resourceAccountId: accountId,
      resourcePolicyKind: 'trust',
      ...(role !== undefined && { resourcePolicy: role.assumeRolePolicy, resourceTags: role.tags }),
      context: requestContext(input, ctx),
    }
  }

  return modelOperation<OperationTypes, 'AssumeRole'>(
    { service, operations },
    'AssumeRole',
    { readOnly: false, target },
    async (input, ctx) => {
      requireRoleArn(input.RoleArn)
      const requestedTags = input.Tags ?? []
      const requestedTransitive = input.TransitiveTagKeys ?? []
      checkRequestedTags(requestedTags, requestedTransitive)
      if (input.Policy !== undefined) checkSessionPolicy(input.Policy)
      const role = await findRole(ctx, input.RoleArn)
      // A missing role is denied like one whose trust policy does not allow the caller.
      if (role === undefined) {
        throw new StsAccessDenied(msg.notAuthorized(ctx.principal.arn, 'sts:AssumeRole', input.RoleArn))
      }
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
        throw new StsAccessDenied(msg.mfaFailed)
      }
      if (requestedTags.length > 0 || requestedTransitive.length > 0) {
        await ctx.authorize('sts:TagSession', await target(input, ctx))
      }
      if (input.SourceIdentity !== undefined) {
        await ctx.authorize('sts:SetSourceIdentity', await target(input, ctx))
      }

      const caller = ctx.principal
      const chained = caller.type === 'AssumedRole'
      const duration = input.DurationSeconds ?? DEFAULT_DURATION
      if (chained && duration > CHAINED_MAX_DURATION) throw new StsValidationError(msg.chainedDuration)
      if (duration > role.maxSessionDuration) throw new StsValidationError(msg.maxSessionDuration)

      const inherited = inheritedTags(caller.session)
      const tags = sessionTags(role.tags, inherited, requestedTags, requestedTransitive)
      const policyArns = (input.PolicyArns ?? []).flatMap((p) => (p.arn === undefined ? [] : [p.arn]))
      const policies = await sessionPolicyDocuments(deps.store, role.accountId, input.Policy, policyArns)
      const packed = packedPolicySize(input.Policy, policyArns, [...inherited.tags, ...requestedTags])
      // The source identity, once set, stays with every chained session.
      const sourceIdentity = caller.session?.sourceIdentity ?? input.SourceIdentity

      const credentials = await issueSession(
        deps,
        {
          accountId: role.accountId,
          principalKind: 'role',
          principalId: role.roleId,
          roleArn: role.arn,
          sessionName: input.RoleSessionName,
          ...(sourceIdentity !== undefined && { sourceIdentity }),
          sessionPolicies: policies,
          tags: tags.tags,
          transitiveTagKeys: tags.transitiveTagKeys,
          chained,
        },
        { now: ctx.now, durationSeconds: duration },
      )
      return {
        Credentials: credentials,
        AssumedRoleUser: {
          Arn: assumedRoleArn(role.accountId, role.roleName, input.RoleSessionName),
          AssumedRoleId: assumedRoleId(role.roleId, input.RoleSessionName),
        },
        ...(packed !== undefined && { PackedPolicySize: packed }),
        ...(sourceIdentity !== undefined && { SourceIdentity: sourceIdentity }),
      }
    },
  )
}

/** STS's condition keys for AssumeRole, lower-cased (the core adds the global ones). */
function requestContext(input: AssumeRoleRequest, ctx: RequestContext): ReadonlyMap<string, ContextValue> {
  const context = new Map<string, ContextValue>([['sts:rolesessionname', input.RoleSessionName]])
  if (input.ExternalId !== undefined) context.set('sts:externalid', input.ExternalId)
  const sourceIdentity = ctx.principal.session?.sourceIdentity ?? input.SourceIdentity
  if (sourceIdentity !== undefined) context.set('sts:sourceidentity', sourceIdentity)
  for (const [key, value] of tagContext(input.Tags ?? [], input.TransitiveTagKeys ?? []))
    context.set(key, value)
  return context
}
