import {
  DeleteConflictException,
  EntityAlreadyExistsException,
  LimitExceededException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import { UniqueViolationError } from '../../../../lib/neutral-errors.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { roleArn } from '../domain/arns.js'
import { newUniqueId } from '../domain/ids.js'
import { nameKey, paginate } from '../domain/pagination.js'
import { POLICY_SIZE, policySize, requireValidPolicy } from '../domain/policy-document.js'
import { requireUniqueTagKeys } from '../domain/tags.js'
import { requireName, requirePath } from '../domain/validation.js'
import type { IamRole } from '../iam-store.js'
import { msg } from '../messages.js'
import { presentRole } from '../presenter.js'
import { arnTarget, requestTagKeys, roleTarget } from '../targets.js'
import { boundaryKey, DELETE_CONFLICT } from './users.js'

/** A role's trust policy: at most 2048 characters (whitespace not counted), grammar of `trust` policies. */
function requireTrustPolicy(document: string): void {
  if (policySize(document) > POLICY_SIZE.trust) throw new LimitExceededException(msg.trustPolicySizeQuota)
  requireValidPolicy(document, 'trust')
}

export const createRole = (d: IamDeps) =>
  iamOperation(
    'CreateRole',
    {
      readOnly: false,
      target: (input, ctx) =>
        arnTarget(
          roleArn(ctx.principal.accountId, input.Path ?? '/', input.RoleName),
          requestTagKeys(input.Tags, boundaryKey(input.PermissionsBoundary)),
        ),
    },
    async (input, ctx) => {
      requireName(input.RoleName, 'roleName')
      const path = input.Path ?? '/'
      requirePath(path)
      requireTrustPolicy(input.AssumeRolePolicyDocument)
      const tags = requireUniqueTagKeys(input.Tags ?? [])
      if (input.PermissionsBoundary !== undefined)
        await d.lookup.policy(ctx, input.PermissionsBoundary, msg.noSuchBoundary)
      const accountId = ctx.principal.accountId
      const role: IamRole = {
        roleId: newUniqueId(d.random, 'AROA'),
        accountId,
        roleName: input.RoleName,
        path,
        arn: roleArn(accountId, path, input.RoleName),
        assumeRolePolicy: input.AssumeRolePolicyDocument,
        ...(input.Description !== undefined &&
          input.Description !== '' && { description: input.Description }),
        maxSessionDuration: input.MaxSessionDuration ?? 3600,
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
        tags,
        createdAt: ctx.now,
      }
      try {
        await d.store.principals.createRole(role)
      } catch (error) {
        if (error instanceof UniqueViolationError)
          throw new EntityAlreadyExistsException(msg.roleExists(input.RoleName))
        throw error
      }
      const { RoleLastUsed: _unused, ...created } = presentRole(role, 'full')
      return { Role: created }
    },
  )

export const getRole = (d: IamDeps) =>
  iamOperation(
    'GetRole',
    { readOnly: true, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    async (input, ctx) => ({ Role: presentRole(await d.lookup.role(ctx, input.RoleName), 'full') }),
  )

export const listRoles = (d: IamDeps) =>
  iamOperation('ListRoles', { readOnly: true }, async (input, ctx) => {
    const prefix = input.PathPrefix ?? '/'
    const roles = (await d.store.principals.listRoles(ctx.principal.accountId)).filter((r) =>
      r.path.startsWith(prefix),
    )
    const page = paginate(roles, input, (r) => nameKey(r.roleName))
    return {
      Roles: page.items.map((r) => presentRole(r, 'list')),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined && { Marker: page.Marker }),
    }
  })

export const updateRole = (d: IamDeps) =>
  iamOperation(
    'UpdateRole',
    { readOnly: false, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    async (input, ctx) => {
      const role = await d.lookup.role(ctx, input.RoleName)
      const updated = await d.store.principals.updateRole(role.roleId, {
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.MaxSessionDuration !== undefined && { maxSessionDuration: input.MaxSessionDuration }),
      })
      if (!updated) throw new NoSuchEntityException(msg.noSuchRole(input.RoleName))
      return {}
    },
  )

export const updateAssumeRolePolicy = (d: IamDeps) =>
  iamOperation(
    'UpdateAssumeRolePolicy',
    { readOnly: false, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    async (input, ctx) => {
      const role = await d.lookup.role(ctx, input.RoleName)
      requireTrustPolicy(input.PolicyDocument)
      const updated = await d.store.principals.updateRole(role.roleId, {
        assumeRolePolicy: input.PolicyDocument,
      })
      if (!updated) throw new NoSuchEntityException(msg.noSuchRole(input.RoleName))
      return {}
    },
  )

export const deleteRole = (d: IamDeps) =>
  iamOperation(
    'DeleteRole',
    { readOnly: false, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    async (input, ctx) => {
      const role = await d.lookup.role(ctx, input.RoleName)
      const outcome = await d.store.principals.deleteRole(role.roleId)
      if (outcome.deleted) return {}
      const conflict = outcome.blockedBy === undefined ? undefined : DELETE_CONFLICT[outcome.blockedBy]
      if (conflict !== undefined) throw new DeleteConflictException(conflict)
      throw new NoSuchEntityException(msg.noSuchRole(input.RoleName))
    },
  )
