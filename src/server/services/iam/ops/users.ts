import {
  DeleteConflictException,
  EntityAlreadyExistsException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import type { User } from '../../../../aws-api/iam/types.js'
import { UniqueViolationError } from '../../../../lib/neutral-errors.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { newUniqueId } from '../domain/ids.js'
import { nameKey, paginate } from '../domain/pagination.js'
import { requireUniqueTagKeys } from '../domain/tags.js'
import { requireName, requirePath } from '../domain/validation.js'
import type { DeleteBlocker, IamUser } from '../iam-store.js'
import { msg } from '../messages.js'
import { presentUser } from '../presenter.js'
import { userArn } from '../principal.js'
import { arnTarget, requestTagKeys, userTarget } from '../targets.js'

export const DELETE_CONFLICT: Partial<Record<DeleteBlocker, string>> = {
  'access-keys': msg.deleteKeysFirst,
  'attached-policies': msg.detachPoliciesFirst,
  'inline-policies': msg.deletePoliciesFirst,
}

export const createUser = (d: IamDeps) =>
  iamOperation(
    'CreateUser',
    {
      readOnly: false,
      target: (input, ctx) =>
        arnTarget(
          userArn(ctx.principal.accountId, input.Path ?? '/', input.UserName),
          requestTagKeys(input.Tags, boundaryKey(input.PermissionsBoundary)),
        ),
    },
    async (input, ctx) => {
      requireName(input.UserName, 'userName')
      const path = input.Path ?? '/'
      requirePath(path)
      const tags = requireUniqueTagKeys(input.Tags ?? [])
      if (input.PermissionsBoundary !== undefined)
        await d.lookup.policy(ctx, input.PermissionsBoundary, msg.noSuchBoundary)
      const accountId = ctx.principal.accountId
      const user: IamUser = {
        userId: newUniqueId(d.random, 'AIDA'),
        accountId,
        userName: input.UserName,
        path,
        arn: userArn(accountId, path, input.UserName),
        createdAt: ctx.now,
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
        tags,
      }
      try {
        await d.store.principals.createUser(user)
      } catch (error) {
        if (error instanceof UniqueViolationError)
          throw new EntityAlreadyExistsException(msg.userExists(input.UserName))
        throw error
      }
      return { User: presentUser(user, 'full') }
    },
  )

export const getUser = (d: IamDeps) =>
  iamOperation(
    'GetUser',
    {
      readOnly: true,
      target: (input, ctx) =>
        input.UserName === undefined && ctx.principal.type === 'Root'
          ? arnTarget(ctx.principal.arn)
          : userTarget(d, ctx, input.UserName),
    },
    async (input, ctx) => {
      // The account root asking about itself (AWS answers with the root's id and ARN only).
      if (input.UserName === undefined && ctx.principal.type === 'Root')
        return { User: { UserId: ctx.principal.accountId, Arn: ctx.principal.arn } as User }
      return { User: presentUser(await d.lookup.userOrCaller(ctx, input.UserName), 'full') }
    },
  )

export const listUsers = (d: IamDeps) =>
  iamOperation('ListUsers', { readOnly: true }, async (input, ctx) => {
    const prefix = input.PathPrefix ?? '/'
    const users = (await d.store.principals.listUsers(ctx.principal.accountId)).filter((u) =>
      u.path.startsWith(prefix),
    )
    const page = paginate(users, input, (u) => nameKey(u.userName))
    return {
      Users: page.items.map((u) => presentUser(u, 'list')),
      IsTruncated: page.IsTruncated,
      ...(page.Marker !== undefined && { Marker: page.Marker }),
    }
  })

export const updateUser = (d: IamDeps) =>
  iamOperation(
    'UpdateUser',
    { readOnly: false, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    async (input, ctx) => {
      const user = await d.lookup.user(ctx, input.UserName)
      const userName = input.NewUserName ?? user.userName
      const path = input.NewPath ?? user.path
      requireName(userName, 'newUserName')
      requirePath(path, 'newPath')
      let renamed: boolean
      try {
        renamed = await d.store.principals.renameUser(user.userId, {
          userName,
          path,
          arn: userArn(user.accountId, path, userName),
        })
      } catch (error) {
        if (error instanceof UniqueViolationError)
          throw new EntityAlreadyExistsException(msg.userExists(userName))
        throw error
      }
      if (!renamed) throw new NoSuchEntityException(msg.noSuchUser(input.UserName))
      return {}
    },
  )

export const deleteUser = (d: IamDeps) =>
  iamOperation(
    'DeleteUser',
    { readOnly: false, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    async (input, ctx) => {
      const user = await d.lookup.user(ctx, input.UserName)
      const outcome = await d.store.principals.deleteUser(user.userId)
      if (outcome.deleted) return {}
      const conflict = outcome.blockedBy === undefined ? undefined : DELETE_CONFLICT[outcome.blockedBy]
      if (conflict !== undefined) throw new DeleteConflictException(conflict)
      throw new NoSuchEntityException(msg.noSuchUser(input.UserName))
    },
  )

/** `iam:PermissionsBoundary` of a request that sets one. */
export function boundaryKey(arn: string | undefined): [string, string][] {
  return arn === undefined ? [] : [['iam:permissionsboundary', arn]]
}
