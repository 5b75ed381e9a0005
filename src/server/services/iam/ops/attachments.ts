import {
  InvalidInputException,
  LimitExceededException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { parsePolicyArn } from '../domain/arns.js'
import { nameKey, paginate } from '../domain/pagination.js'
import type { PrincipalKind } from '../iam-store.js'
import { msg } from '../messages.js'
import { roleTarget, userTarget } from '../targets.js'

/** IAM's default quota of managed policies attached to one user or role. */
export const MAX_ATTACHED_POLICIES = 10

const policyArnKey = (arn: string) => new Map([['iam:policyarn', arn]])

/** Attaching is idempotent; the policy must be the account's own or AWS-managed. */
async function attach(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  name: string,
  policyArn: string,
): Promise<Record<string, never>> {
  const principal = await d.lookup.principal(ctx, kind, name)
  await d.lookup.policy(ctx, policyArn, msg.notAttachable)
  const outcome = await d.store.principalPolicies.attachPolicy(
    kind,
    principal.id,
    policyArn,
    MAX_ATTACHED_POLICIES,
  )
  if (outcome === 'limit')
    throw new LimitExceededException(msg.attachedQuota(kind === 'user' ? 'User' : 'Role'))
  if (outcome === 'missing') throw new NoSuchEntityException(msg.notAttachable(policyArn))
  return {}
}

async function detach(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  name: string,
  policyArn: string,
): Promise<Record<string, never>> {
  if (parsePolicyArn(policyArn) === undefined) throw new InvalidInputException(msg.invalidArn(policyArn))
  const principal = await d.lookup.principal(ctx, kind, name)
  if (!(await d.store.principalPolicies.detachPolicy(kind, principal.id, policyArn)))
    throw new NoSuchEntityException(msg.noSuchPolicy(policyArn))
  return {}
}

async function listAttached(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  name: string,
  input: { PathPrefix?: string; Marker?: string; MaxItems?: number },
) {
  const principal = await d.lookup.principal(ctx, kind, name)
  const prefix = input.PathPrefix ?? '/'
  const attached = (await d.store.principalPolicies.listAttachedPolicies(kind, principal.id)).filter((p) =>
    p.path.startsWith(prefix),
  )
  const page = paginate(attached, input, (p) => `${nameKey(p.policyName)}\u0000${p.policyArn}`)
  return {
    AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })),
    IsTruncated: page.IsTruncated,
    ...(page.Marker !== undefined && { Marker: page.Marker }),
  }
}

export const attachUserPolicy = (d: IamDeps) =>
  iamOperation(
    'AttachUserPolicy',
    {
      readOnly: false,
      target: (input, ctx) => userTarget(d, ctx, input.UserName, policyArnKey(input.PolicyArn)),
    },
    (input, ctx) => attach(d, ctx, 'user', input.UserName, input.PolicyArn),
  )

export const detachUserPolicy = (d: IamDeps) =>
  iamOperation(
    'DetachUserPolicy',
    {
      readOnly: false,
      target: (input, ctx) => userTarget(d, ctx, input.UserName, policyArnKey(input.PolicyArn)),
    },
    (input, ctx) => detach(d, ctx, 'user', input.UserName, input.PolicyArn),
  )

export const listAttachedUserPolicies = (d: IamDeps) =>
  iamOperation(
    'ListAttachedUserPolicies',
    { readOnly: true, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    (input, ctx) => listAttached(d, ctx, 'user', input.UserName, input),
  )

export const attachRolePolicy = (d: IamDeps) =>
  iamOperation(
    'AttachRolePolicy',
    {
      readOnly: false,
      target: (input, ctx) => roleTarget(d, ctx, input.RoleName, policyArnKey(input.PolicyArn)),
    },
    (input, ctx) => attach(d, ctx, 'role', input.RoleName, input.PolicyArn),
  )

export const detachRolePolicy = (d: IamDeps) =>
  iamOperation(
    'DetachRolePolicy',
    {
      readOnly: false,
      target: (input, ctx) => roleTarget(d, ctx, input.RoleName, policyArnKey(input.PolicyArn)),
    },
    (input, ctx) => detach(d, ctx, 'role', input.RoleName, input.PolicyArn),
  )

export const listAttachedRolePolicies = (d: IamDeps) =>
  iamOperation(
    'ListAttachedRolePolicies',
    { readOnly: true, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    (input, ctx) => listAttached(d, ctx, 'role', input.RoleName, input),
  )
