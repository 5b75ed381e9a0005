import { keyOperation, kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { scopeOf } from '../locate.js'
import { decodeMarker, page } from '../markers.js'
import { keyMetadata } from '../metadata.js'

/** DescribeKey: any key state; aliases (creating an AWS-managed key on first use) and other accounts' keys. */
export const describeKey = (d: KmsDeps) =>
  keyOperation(
    d,
    'DescribeKey',
    { readOnly: true, aliases: true, crossAccount: true },
    async (_input, { key }) => ({
      KeyMetadata: keyMetadata(key),
    }),
  )

/** ListKeys: every key of the caller's account and region, by key id; Limit 1-1000, default 100 [M]. */
export const listKeys = (d: KmsDeps) =>
  kmsOperation('ListKeys', { readOnly: true }, async (input, ctx) => {
    const limit = input.Limit ?? 100
    const scope = scopeOf(ctx)
    const after = decodeMarker('keys', input.Marker)
    const keys = await d.store.listKeys(scope.accountId, scope.region, after, limit + 1)
    const { items, ...more } = page('keys', keys, limit, (key) => key.keyId)
    return { Keys: items.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })), ...more }
  })
