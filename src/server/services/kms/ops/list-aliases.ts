import type { AliasListEntry } from '../../../../aws-api/kms/types.js'
import { kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { aliasArn } from '../keys.js'
import { locateKey, scopeOf } from '../locate.js'
import { MANAGED_KEY_SERVICES } from '../managed.js'
import { decodeMarker, page } from '../markers.js'

/**
 * ListAliases: the account's aliases in the Region by name, with the AWS-managed aliases Coffer knows
 * (`alias/aws/secretsmanager`, `alias/aws/ssm`) listed even before their key exists, then without
 * TargetKeyId [M]. With KeyId, only that key's aliases. Limit 1-100, default 50 [M].
 */
export const listAliases = (d: KmsDeps) =>
  kmsOperation('ListAliases', { readOnly: true }, async (input, ctx) => {
    const limit = Math.min(input.Limit ?? 50, 100)
    const scope = scopeOf(ctx)
    const afterName = decodeMarker('aliases', input.Marker)
    const targetKeyId =
      input.KeyId === undefined
        ? undefined
        : (await locateKey(d.keys, ctx, input.KeyId, { aliases: false, crossAccount: false })).key.keyId
    const stored = await d.store.listAliases(scope.accountId, scope.region, {
      ...(targetKeyId !== undefined && { targetKeyId }),
      ...(afterName !== undefined && { afterName }),
      limit: limit + 1,
    })
    const entries: AliasListEntry[] = stored.map((alias) => ({
      AliasName: alias.aliasName,
      AliasArn: aliasArn(scope, alias.aliasName),
      TargetKeyId: alias.targetKeyId,
      CreationDate: new Date(alias.createdAt),
      LastUpdatedDate: new Date(alias.updatedAt),
    }))
    if (targetKeyId === undefined) {
      for (const service of MANAGED_KEY_SERVICES) {
        const name = `alias/aws/${service}`
        if (afterName !== undefined && name <= afterName) continue
        if (await d.store.findAlias(scope.accountId, scope.region, name)) continue
        entries.push({ AliasName: name, AliasArn: aliasArn(scope, name) })
      }
      entries.sort((a, b) => ((a.AliasName ?? '') < (b.AliasName ?? '') ? -1 : 1))
    }
    const { items, ...more } = page('aliases', entries, limit, (entry) => entry.AliasName ?? '')
    return { Aliases: items, ...more }
  })
