/** A parsed KMS key reference: key id, key ARN, alias name or alias ARN (spec §4 "Identifiers"). */
export type KeyRef =
  | { readonly kind: 'key'; readonly accountId: string; readonly region: string; readonly keyId: string }
  | {
      readonly kind: 'alias'
      readonly accountId: string
      readonly region: string
      readonly aliasName: string
    }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ALIAS = /^alias\/[a-zA-Z0-9:/_-]{1,250}$/
const KMS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/

/** `undefined` when the reference is malformed. Bare ids and aliases resolve in the caller's scope. */
export function parseKeyRef(
  reference: string,
  scope: { accountId: string; region: string },
): KeyRef | undefined {
  if (UUID.test(reference)) return { kind: 'key', ...scope, keyId: reference }
  if (ALIAS.test(reference)) return { kind: 'alias', ...scope, aliasName: reference }
  const arn = KMS_ARN.exec(reference)
  if (arn === null) return undefined
  const [, region = '', accountId = '', resource = ''] = arn
  if (resource.startsWith('key/')) {
    const keyId = resource.slice(4)
    return UUID.test(keyId) ? { kind: 'key', accountId, region, keyId } : undefined
  }
  return ALIAS.test(resource) ? { kind: 'alias', accountId, region, aliasName: resource } : undefined
}
