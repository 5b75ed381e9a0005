import { NoSuchEntityException } from '../../../../aws-api/iam/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import type { PrincipalKind } from '../iam-store.js'
import { msg } from '../messages.js'
import { roleTarget, userTarget } from '../targets.js'

/**
 * Permissions boundaries: a managed policy (the account's or AWS's) that caps what a user's or role's
 * identity policies can grant. Setting one replaces the previous; deleting one that isn't set is a no-op.
 */
async function setBoundary(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  name: string,
  policyArn: string | undefined,
): Promise<Record<string, never>> {
  const principal = await d.lookup.principal(ctx, kind, name)
  if (policyArn !== undefined) await d.lookup.policy(ctx, policyArn, msg.noSuchBoundary)
  if (!(await d.store.principals.setPermissionsBoundary(kind, principal.id, policyArn)))
    throw new NoSuchEntityException(kind === 'user' ? msg.noSuchUser(name) : msg.noSuchRole(name))
  return {}
}

const boundaryKeys = (arn: string) => new Map([['iam:permissionsboundary', arn]])

export const putUserPermissionsBoundary = (d: IamDeps) =>
  iamOperation(
    'PutUserPermissionsBoundary',
    {
      readOnly: false,
      target: (input, ctx) => userTarget(d, ctx, input.UserName, boundaryKeys(input.PermissionsBoundary)),
    },
    (input, ctx) => setBoundary(d, ctx, 'user', input.UserName, input.PermissionsBoundary),
  )

export const deleteUserPermissionsBoundary = (d: IamDeps) =>
  iamOperation(
    'DeleteUserPermissionsBoundary',
    { readOnly: false, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    (input, ctx) => setBoundary(d, ctx, 'user', input.UserName, undefined),
  )

export const putRolePermissionsBoundary = (d: IamDeps) =>
  iamOperation(
    'PutRolePermissionsBoundary',
    {
      readOnly: false,
      target: (input, ctx) => roleTarget(d, ctx, input.RoleName, boundaryKeys(input.PermissionsBoundary)),
    },
    (input, ctx) => setBoundary(d, ctx, 'role', input.RoleName, input.PermissionsBoundary),
  )

export const deleteRolePermissionsBoundary = (d: IamDeps) =>
  iamOperation(
    'DeleteRolePermissionsBoundary',
    { readOnly: false, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    (input, ctx) => setBoundary(d, ctx, 'role', input.RoleName, undefined),
  )
