import {
  InvalidInputException,
  LimitExceededException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { accessKeyAad } from '../bootstrap.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { newAccessKeyId, newSecretAccessKey } from '../domain/ids.js'
import { paginate } from '../domain/pagination.js'
import type { AccessKeyInfo } from '../iam-store.js'
import { msg } from '../messages.js'
import { arnTarget, userTarget } from '../targets.js'

/** IAM's quota of access keys per user. */
export const MAX_ACCESS_KEYS = 2

/**
 * The key named, provided it belongs to the user named — or, without a user name, to the caller (a
 * user), or to any user of the account when the caller is the account root. Otherwise NoSuchEntity.
 */
async function requireKey(
  d: IamDeps,
  ctx: RequestContext,
  accessKeyId: string,
  userName: string | undefined,
): Promise<AccessKeyInfo> {
  const key = await d.store.accessKeys.findAccessKey(accessKeyId)
  const ownerName = userName ?? (ctx.principal.type === 'Root' ? undefined : ctx.principal.userName)
  if (userName !== undefined) await d.lookup.user(ctx, userName)
  const owned =
    key !== undefined &&
    key.accountId === ctx.principal.accountId &&
    (ownerName === undefined
      ? ctx.principal.type === 'Root'
      : key.userName.toLowerCase() === ownerName.toLowerCase())
  if (!owned) throw new NoSuchEntityException(msg.noSuchAccessKey(accessKeyId))
  return key
}

/** The owner's ARN, for authorization; an unknown key is targeted at the user named (or the caller). */
async function keyTarget(d: IamDeps, ctx: RequestContext, accessKeyId: string, userName: string | undefined) {
  if (userName !== undefined || ctx.principal.type !== 'Root') return userTarget(d, ctx, userName)
  const key = await d.store.accessKeys.findAccessKey(accessKeyId)
  return key === undefined || key.accountId !== ctx.principal.accountId
    ? arnTarget(ctx.principal.arn)
    : userTarget(d, ctx, key.userName)
}

export const createAccessKey = (d: IamDeps) =>
  iamOperation(
    'CreateAccessKey',
    { readOnly: false, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    async (input, ctx) => {
      const user = await d.lookup.userOrCaller(ctx, input.UserName)
      const accessKeyId = newAccessKeyId(d.random)
      const secretAccessKey = newSecretAccessKey(d.random)
      const outcome = await d.store.accessKeys.createAccessKey(
        {
          accessKeyId,
          userId: user.userId,
          sealedSecret: d.barrier.seal(Buffer.from(secretAccessKey, 'utf8'), accessKeyAad(accessKeyId)),
          status: 'Active',
          createdAt: ctx.now,
        },
        MAX_ACCESS_KEYS,
      )
      if (outcome === 'limit') throw new LimitExceededException(msg.accessKeyQuota)
      if (outcome === 'missing') throw new NoSuchEntityException(msg.noSuchUser(user.userName))
      return {
        AccessKey: {
          UserName: user.userName,
          AccessKeyId: accessKeyId,
          Status: 'Active',
          SecretAccessKey: secretAccessKey,
          CreateDate: new Date(ctx.now),
        },
      }
    },
  )

export const listAccessKeys = (d: IamDeps) =>
  iamOperation(
    'ListAccessKeys',
    {
      readOnly: true,
      target: (input, ctx) =>
        input.UserName === undefined && ctx.principal.type === 'Root'
          ? arnTarget(ctx.principal.arn)
          : userTarget(d, ctx, input.UserName),
    },
    async (input, ctx) => {
      // The root has no long-term keys here: its own list is empty.
      const keys =
        input.UserName === undefined && ctx.principal.type === 'Root'
          ? []
          : await d.store.accessKeys.listAccessKeys((await d.lookup.userOrCaller(ctx, input.UserName)).userId)
      const page = paginate(keys, input, (k) => `${String(k.createdAt).padStart(16, '0')}${k.accessKeyId}`)
      return {
        AccessKeyMetadata: page.items.map((k) => ({
          UserName: k.userName,
          AccessKeyId: k.accessKeyId,
          Status: k.status,
          CreateDate: new Date(k.createdAt),
        })),
        IsTruncated: page.IsTruncated,
        ...(page.Marker !== undefined && { Marker: page.Marker }),
      }
    },
  )

/** Takes effect at once in every process: the store signals the credential caches on commit. */
export const updateAccessKey = (d: IamDeps) =>
  iamOperation(
    'UpdateAccessKey',
    { readOnly: false, target: (input, ctx) => keyTarget(d, ctx, input.AccessKeyId, input.UserName) },
    async (input, ctx) => {
      if (input.Status === 'Expired') throw new InvalidInputException(msg.expiredStatus)
      const key = await requireKey(d, ctx, input.AccessKeyId, input.UserName)
      if (!(await d.store.accessKeys.setAccessKeyStatus(key.accessKeyId, input.Status)))
        throw new NoSuchEntityException(msg.noSuchAccessKey(input.AccessKeyId))
      return {}
    },
  )

export const deleteAccessKey = (d: IamDeps) =>
  iamOperation(
    'DeleteAccessKey',
    { readOnly: false, target: (input, ctx) => keyTarget(d, ctx, input.AccessKeyId, input.UserName) },
    async (input, ctx) => {
      const key = await requireKey(d, ctx, input.AccessKeyId, input.UserName)
      if (!(await d.store.accessKeys.deleteAccessKey(key.accessKeyId)))
        throw new NoSuchEntityException(msg.noSuchAccessKey(input.AccessKeyId))
      return {}
    },
  )

/** Never used: `ServiceName` and `Region` are `N/A` and there is no date (AWS's answer). */
export const getAccessKeyLastUsed = (d: IamDeps) =>
  iamOperation(
    'GetAccessKeyLastUsed',
    {
      readOnly: true,
      target: async (input, ctx) => {
        const key = await d.store.accessKeys.findAccessKey(input.AccessKeyId)
        return key === undefined || key.accountId !== ctx.principal.accountId
          ? arnTarget(ctx.principal.arn)
          : userTarget(d, ctx, key.userName)
      },
    },
    async (input, ctx) => {
      const key = await d.store.accessKeys.findAccessKey(input.AccessKeyId)
      if (key === undefined || key.accountId !== ctx.principal.accountId)
        throw new NoSuchEntityException(msg.noSuchAccessKey(input.AccessKeyId))
      return {
        UserName: key.userName,
        AccessKeyLastUsed:
          key.lastUsed === undefined
            ? { ServiceName: 'N/A', Region: 'N/A' }
            : {
                LastUsedDate: new Date(key.lastUsed.at),
                ServiceName: key.lastUsed.service,
                Region: key.lastUsed.region,
              },
      }
    },
  )
