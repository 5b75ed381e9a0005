/** KMS encryption context: a string map bound to a ciphertext as associated data. */
export type EncryptionContext = Readonly<Record<string, string>>

/**
 * Canonical bytes of a context: entries sorted by key (code unit order), so the same map in any
 * order binds the same way; keys and values are case-sensitive as in AWS.
 */
export function canonicalContext(context: EncryptionContext): Buffer {
  const keys = Object.keys(context).sort()
  return Buffer.from(JSON.stringify(keys.map((k) => [k, context[k]])), 'utf8')
}
