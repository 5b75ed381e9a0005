import { NoSuchEntityException } from '../../../../aws-api/iam/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { paginate } from '../domain/pagination.js'
import { mergeTags, removeTags, requireUniqueTagKeys } from '../domain/tags.js'
import type { PrincipalKind, Tag } from '../iam-store.js'
import { msg } from '../messages.js'
import { presentTags } from '../presenter.js'
import { removedTagKeys, requestTagKeys, roleTarget, userTarget } from '../targets.js'

/** Tags of users and roles: add/overwrite (keys ignoring case, ≤ 50), remove, list in stored order. */
async function changeTags(
  d: IamDeps,
  ctx: RequestContext,
  kind: PrincipalKind,
  name: string,
  update: (current: readonly Tag[]) => readonly Tag[],
): Promise<Record<string, never>> {
  const principal = await d.lookup.principal(ctx, kind, name)
  if (!(await d.store.principals.updateTags(kind, principal.id, update)))
    throw new NoSuchEntityException(kind === 'user' ? msg.noSuchUser(name) : msg.noSuchRole(name))
  return {}
}

function tagPage(tags: readonly Tag[], input: { Marker?: string; MaxItems?: number }) {
  const indexed = tags.map((tag, i) => ({ tag, key: String(i).padStart(4, '0') }))
  const page = paginate(indexed, input, (t) => t.key)
  return {
    Tags: presentTags(page.items.map((t) => t.tag)),
    IsTruncated: page.IsTruncated,
    ...(page.Marker !== undefined && { Marker: page.Marker }),
  }
}

export const tagUser = (d: IamDeps) =>
  iamOperation(
    'TagUser',
    {
      readOnly: false,
      target: (input, ctx) => userTarget(d, ctx, input.UserName, requestTagKeys(input.Tags)),
    },
    async (input, ctx) => {
      const added = requireUniqueTagKeys(input.Tags)
      return changeTags(d, ctx, 'user', input.UserName, (current) => mergeTags(current, added))
    },
  )

export const untagUser = (d: IamDeps) =>
  iamOperation(
    'UntagUser',
    {
      readOnly: false,
      target: (input, ctx) => userTarget(d, ctx, input.UserName, removedTagKeys(input.TagKeys)),
    },
    (input, ctx) =>
      changeTags(d, ctx, 'user', input.UserName, (current) => removeTags(current, input.TagKeys)),
  )

export const listUserTags = (d: IamDeps) =>
  iamOperation(
    'ListUserTags',
    { readOnly: true, target: (input, ctx) => userTarget(d, ctx, input.UserName) },
    async (input, ctx) => tagPage((await d.lookup.user(ctx, input.UserName)).tags, input),
  )

export const tagRole = (d: IamDeps) =>
  iamOperation(
    'TagRole',
    {
      readOnly: false,
      target: (input, ctx) => roleTarget(d, ctx, input.RoleName, requestTagKeys(input.Tags)),
    },
    async (input, ctx) => {
      const added = requireUniqueTagKeys(input.Tags)
      return changeTags(d, ctx, 'role', input.RoleName, (current) => mergeTags(current, added))
    },
  )

export const untagRole = (d: IamDeps) =>
  iamOperation(
    'UntagRole',
    {
      readOnly: false,
      target: (input, ctx) => roleTarget(d, ctx, input.RoleName, removedTagKeys(input.TagKeys)),
    },
    (input, ctx) =>
      changeTags(d, ctx, 'role', input.RoleName, (current) => removeTags(current, input.TagKeys)),
  )

export const listRoleTags = (d: IamDeps) =>
  iamOperation(
    'ListRoleTags',
    { readOnly: true, target: (input, ctx) => roleTarget(d, ctx, input.RoleName) },
    async (input, ctx) => tagPage((await d.lookup.role(ctx, input.RoleName)).tags, input),
  )
