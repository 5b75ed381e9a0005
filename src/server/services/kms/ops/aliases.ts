import { AlreadyExistsException, NotFoundException } from '../../../../aws-api/kms/errors.js'
import { UniqueViolationError } from '../../../../lib/neutral-errors.js'
import type { RequestContext } from '../../../core/context.js'
import { assertAliasName } from '../aliases.js'
import { assertManagedKeyAllows, keyTarget } from '../authorization.js'
import { kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { aliasArn } from '../keys.js'
import { assertNotPendingDeletion, locateKey, scopeOf } from '../locate.js'
import { msg } from '../messages.js'
import type { KeyRecord } from '../store.js'

/** The alias itself is authorized by identity policies only (aliases have no policy) [KMS docs]. */
const aliasTarget = (input: { AliasName: string }, ctx: RequestContext) => {
  assertAliasName(input.AliasName, false)
  return Promise.resolve({ resource: aliasArn(scopeOf(ctx), input.AliasName) })
}

/** The key end of an alias operation: a customer key of the caller's account, authorized by its policy. */
async function aliasKey(d: KmsDeps, ctx: RequestContext, action: string, keyId: string): Promise<KeyRecord> {
  const { key } = await locateKey(d.keys, ctx, keyId, { aliases: false, crossAccount: false })
  await authorizeOnKey(ctx, action, key)
  return key
}

async function authorizeOnKey(ctx: RequestContext, action: string, key: KeyRecord): Promise<void> {
  assertManagedKeyAllows(ctx, action, key)
  await ctx.authorize(action, keyTarget(key, { callerAccountId: ctx.principal.accountId }))
}

async function existingAlias(d: KmsDeps, ctx: RequestContext, aliasName: string) {
  const scope = scopeOf(ctx)
  const alias = await d.store.findAlias(scope.accountId, scope.region, aliasName)
  if (alias === undefined) throw new NotFoundException(msg.aliasNotFound(aliasArn(scope, aliasName)))
  return alias
}

/** CreateAlias: unique per account and Region (AlreadyExistsException); not for a key pending deletion. */
export const createAlias = (d: KmsDeps) =>
  kmsOperation('CreateAlias', { readOnly: false, target: aliasTarget }, async (input, ctx) => {
    assertAliasName(input.AliasName, true)
    const key = await aliasKey(d, ctx, 'kms:CreateAlias', input.TargetKeyId)
    assertNotPendingDeletion(key)
    const scope = scopeOf(ctx)
    try {
      await d.store.createAlias({
        ...scope,
        aliasName: input.AliasName,
        targetKeyId: key.keyId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
    } catch (error) {
      if (error instanceof UniqueViolationError)
        throw new AlreadyExistsException(msg.aliasExists(aliasArn(scope, input.AliasName)))
      throw error
    }
    return {}
  })

/** UpdateAlias: points an existing alias at another key (both authorized, as AWS requires). */
export const updateAlias = (d: KmsDeps) =>
  kmsOperation('UpdateAlias', { readOnly: false, target: aliasTarget }, async (input, ctx) => {
    const alias = await existingAlias(d, ctx, input.AliasName)
    const current = await d.keys.findKey(alias.targetKeyId)
    if (current !== undefined) await authorizeOnKey(ctx, 'kms:UpdateAlias', current)
    const key = await aliasKey(d, ctx, 'kms:UpdateAlias', input.TargetKeyId)
    assertNotPendingDeletion(key)
    const moved = await d.store.updateAlias({ ...alias, targetKeyId: key.keyId, updatedAt: ctx.now })
    if (!moved) throw new NotFoundException(msg.aliasNotFound(aliasArn(scopeOf(ctx), input.AliasName)))
    return {}
  })

/** DeleteAlias: any key state. */
export const deleteAlias = (d: KmsDeps) =>
  kmsOperation('DeleteAlias', { readOnly: false, target: aliasTarget }, async (input, ctx) => {
    const alias = await existingAlias(d, ctx, input.AliasName)
    const key = await d.keys.findKey(alias.targetKeyId)
    if (key !== undefined) await authorizeOnKey(ctx, 'kms:DeleteAlias', key)
    const deleted = await d.store.deleteAlias(alias.accountId, alias.region, alias.aliasName)
    if (!deleted) throw new NotFoundException(msg.aliasNotFound(aliasArn(scopeOf(ctx), input.AliasName)))
    return {}
  })
