import {
  DeleteConflictException,
  EntityAlreadyExistsException,
  InvalidInputException,
  LimitExceededException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import { UniqueViolationError } from '../../../../lib/neutral-errors.js'
import type { RequestContext } from '../../../core/context.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { AWS_MANAGED_ACCOUNT, policyArn } from '../domain/arns.js'
import { newUniqueId } from '../domain/ids.js'
import { nameKey, paginate } from '../domain/pagination.js'
import { POLICY_SIZE, policySize, requireValidPolicy } from '../domain/policy-document.js'
import { requireUniqueTagKeys } from '../domain/tags.js'
import { requirePolicyPath, requireName } from '../domain/validation.js'
import type { ManagedPolicy } from '../iam-store.js'
import { msg } from '../messages.js'
import { presentPolicy } from '../presenter.js'
import { arnTarget, requestTagKeys } from '../targets.js'

/** A managed policy document: at most 6144 characters (whitespace not counted), identity-policy grammar. */
export function requireManagedDocument(document: string): void {
  if (policySize(document) > POLICY_SIZE.managed) throw new LimitExceededException(msg.policySizeQuota)
  requireValidPolicy(document, 'identity')
}

/** A customer-managed policy the caller may change (AWS-managed ones are read-only). */
export async function requireOwnPolicy(d: IamDeps, ctx: RequestContext, arn: string): Promise<ManagedPolicy> {
  const policy = await d.lookup.policy(ctx, arn)
  if (policy.accountId === AWS_MANAGED_ACCOUNT) throw new InvalidInputException(msg.awsManaged(arn))
  return policy
}

export const createPolicy = (d: IamDeps) =>
  iamOperation(
    'CreatePolicy',
    {
      readOnly: false,
      target: (input, ctx) =>
        arnTarget(
          policyArn(ctx.principal.accountId, input.Path ?? '/', input.PolicyName),
          requestTagKeys(input.Tags),
        ),
    },
    async (input, ctx) => {
      requireName(input.PolicyName, 'policyName')
      const path = input.Path ?? '/'
      requirePolicyPath(path)
      requireManagedDocument(input.PolicyDocument)
      const tags = requireUniqueTagKeys(input.Tags ?? [])
      const accountId = ctx.principal.accountId
      try {
        const policy = await d.store.policies.createPolicy({
          policyId: newUniqueId(d.random, 'ANPA'),
          accountId,
          policyName: input.PolicyName,
          path,
          arn: policyArn(accountId, path, input.PolicyName),
          ...(input.Description !== undefined &&
            input.Description !== '' && { description: input.Description }),
          tags,
          createdAt: ctx.now,
          document: input.PolicyDocument,
        })
        return { Policy: presentPolicy(policy, 'full') }
      } catch (error) {
        if (error instanceof UniqueViolationError)
          throw new EntityAlreadyExistsException(msg.policyExists(input.PolicyName))
        throw error
      }
    },
  )

export const getPolicy = (d: IamDeps) =>
  iamOperation(
    'GetPolicy',
    { readOnly: true, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => ({ Policy: presentPolicy(await d.lookup.policy(ctx, input.PolicyArn), 'full') }),
  )

/**
 * Scope `All` (default), `AWS` or `Local`; `OnlyAttached` keeps policies attached to a user or role;
 * `PolicyUsageFilter` keeps those attached (`PermissionsPolicy`) or used as a boundary
 * (`PermissionsBoundary`). Ordered by name.
 */
export const listPolicies = (d: IamDeps) =>
  iamOperation('ListPolicies', { readOnly: true }, async (input, ctx) => {
    const scope = input.Scope ?? 'All'
    const accounts =
      scope === 'AWS'
        ? [AWS_MANAGED_ACCOUNT]
        : scope === 'Local'
          ? [ctx.principal.accountId]
          : [AWS_MANAGED_ACCOUNT, ctx.principal.accountId]
    const prefix = input.PathPrefix ?? '/'
    const policies = (await d.store.policies.listPolicies(accounts)).filter(
      (p) =>
        p.path.startsWith(prefix) &&
        (input.OnlyAttached !== true || p.attachmentCount > 0) &&
        (input.PolicyUsageFilter !== 'PermissionsPolicy' || p.attachmentCount > 0) &&
        (input.PolicyUsageFilter !== 'PermissionsBoundary' || p.boundaryUsageCount > 0),
    )
    const page = paginate(policies, input, (p) => `${nameKey(p.policyName)}\u0000${p.arn}`)
    return {
      Policies: page.items.map((p) => presentPolicy(p, 'list')),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined && { Marker: page.Marker }),
    }
  })

export const deletePolicy = (d: IamDeps) =>
  iamOperation(
    'DeletePolicy',
    { readOnly: false, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => {
      const policy = await requireOwnPolicy(d, ctx, input.PolicyArn)
      const outcome = await d.store.policies.deletePolicy(policy.arn)
      if (outcome.deleted) return {}
      if (outcome.blockedBy === 'attachments') throw new DeleteConflictException(msg.policyAttached)
      if (outcome.blockedBy === 'versions') throw new DeleteConflictException(msg.nonDefaultVersions)
      throw new NoSuchEntityException(msg.noSuchPolicy(input.PolicyArn))
    },
  )
