import { LimitExceededException, NoSuchEntityException } from '../../../../aws-api/iam/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { paginate } from '../domain/pagination.js'
import { POLICY_SIZE, policySize, requireValidPolicy } from '../domain/policy-document.js'
import { encodePolicyDocument } from '../domain/url-encoding.js'
import { requireName } from '../domain/validation.js'
import type { PrincipalKind } from '../iam-store.js'
import { msg } from '../messages.js'
import { roleTarget, userTarget } from '../targets.js'

/**
 * Inline policies of users and roles. Their sizes count together per principal (2048 characters for a
 * user, 10240 for a role, whitespace not counted), checked in the write's transaction.
 */
async function putPolicy(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  principalName: string,
  policy: { name: string; document: string },
): Promise<Record<string, never>> {
  requireName(policy.name, 'policyName')
  requireValidPolicy(policy.document, 'identity')
  const principal = await d.lookup.principal(ctx, kind, principalName)
  const [limit, tooBig] =
    kind === 'user'
      ? [POLICY_SIZE.userInline, msg.userInlineSize(principal.name)]
      : [POLICY_SIZE.roleInline, msg.roleInlineSize(principal.name)]
  const size = policySize(policy.document)
  const put = await d.store.principalPolicies.putInlinePolicy(kind, principal.id, policy, (others) => {
    if (others.reduce((sum, doc) => sum + policySize(doc), size) > limit)
      throw new LimitExceededException(tooBig)
  })
  if (!put) throw missingPrincipal(kind, principalName)
  return {}
}

async function getPolicy(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  principalName: string,
  name: string,
) {
  const principal = await d.lookup.principal(ctx, kind, principalName)
  const document = await d.store.principalPolicies.getInlinePolicy(kind, principal.id, name)
  if (document === undefined)
    throw new NoSuchEntityException(kind === 'user' ? msg.noSuchUserPolicy(name) : msg.noSuchRolePolicy(name))
  return { principalName: principal.name, PolicyName: name, PolicyDocument: encodePolicyDocument(document) }
}

async function listPolicies(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  principalName: string,
  input: { Marker?: string; MaxItems?: number },
) {
  const principal = await d.lookup.principal(ctx, kind, principalName)
  const names = await d.store.principalPolicies.listInlinePolicies(kind, principal.id)
  const page = paginate(names, input, (name) => name)
  return {
    PolicyNames: page.items,
    IsTruncated: page.IsTruncated,
    ...(page.Marker !== undefined && { Marker: page.Marker }),
  }
}

async function deletePolicy(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  principalName: string,
  name: string,
): Promise<Record<string, never>> {
  const principal = await d.lookup.principal(ctx, kind, principalName)
  if (!(await d.store.principalPolicies.deleteInlinePolicy(kind, principal.id, name)))
    throw new NoSuchEntityException(kind === 'user' ? msg.noSuchUserPolicy(name) : msg.noSuchRolePolicy(name))
  return {}
}

function missingPrincipal(kind: PrincipalKind, name: string): NoSuchEntityException {
  return new NoSuchEntityException(kind === 'user' ? msg.noSuchUser(name) : msg.noSuchRole(name))
}

export const putUserPolicy = (d: IamDeps) =>
  iamOperation(
    'PutUserPolicy',
    { readOnly: false, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    (input, ctx) =>
      putPolicy(d, ctx, 'user', input.UserName, { name: input.PolicyName, document: input.PolicyDocument }),
  )

export const getUserPolicy = (d: IamDeps) =>
  iamOperation(
    'GetUserPolicy',
    { readOnly: true, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    async (input, ctx) => {
      const { principalName, ...policy } = await getPolicy(d, ctx, 'user', input.UserName, input.PolicyName)
      return { UserName: principalName, ...policy }
    },
  )

export const listUserPolicies = (d: IamDeps) =>
  iamOperation(
    'ListUserPolicies',
    { readOnly: true, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    (input, ctx) => listPolicies(d, ctx, 'user', input.UserName, input),
  )

export const deleteUserPolicy = (d: IamDeps) =>
  iamOperation(
    'DeleteUserPolicy',
    { readOnly: false, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    (input, ctx) => deletePolicy(d, ctx, 'user', input.UserName, input.PolicyName),
  )

export const putRolePolicy = (d: IamDeps) =>
  iamOperation(
    'PutRolePolicy',
    { readOnly: false, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    (input, ctx) =>
      putPolicy(d, ctx, 'role', input.RoleName, { name: input.PolicyName, document: input.PolicyDocument }),
  )

export const getRolePolicy = (d: IamDeps) =>
  iamOperation(
    'GetRolePolicy',
    { readOnly: true, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    async (input, ctx) => {
      const { principalName, ...policy } = await getPolicy(d, ctx, 'role', input.RoleName, input.PolicyName)
      return { RoleName: principalName, ...policy }
    },
  )

export const listRolePolicies = (d: IamDeps) =>
  iamOperation(
    'ListRolePolicies',
    { readOnly: true, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    (input, ctx) => listPolicies(d, ctx, 'role', input.RoleName, input),
  )

export const deleteRolePolicy = (d: IamDeps) =>
  iamOperation(
    'DeleteRolePolicy',
    { readOnly: false, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    (input, ctx) => deletePolicy(d, ctx, 'role', input.RoleName, input.PolicyName),
  )
