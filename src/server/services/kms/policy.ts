import { LimitExceededException, MalformedPolicyDocumentException } from '../../../aws-api/kms/errors.js'
import { parsePolicy } from '../../../policy/index.js'
import { MANAGED_KEY_DESCRIPTION, MANAGED_KEY_SERVICES, type ManagedKeyService } from './managed.js'
import { msg } from './messages.js'
import type { KeyRecord } from './store.js'

/** The only key policy name (GetKeyPolicy / PutKeyPolicy / ListKeyPolicies) [M]. */
export const POLICY_NAME = 'default'

/** KMS quota: a key policy document is at most 32 KiB. */
export const MAX_POLICY_BYTES = 32 * 1024

/**
 * AWS's pretty-printing of the policies KMS writes itself (Jackson's default printer: `" : "` after
 * names, `[ {` opening arrays of objects), so GetKeyPolicy answers byte-for-byte what AWS does for
 * the default policy.
 */
function jackson(value: unknown, indent = ''): string {
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string'))
      return `[ ${value.map((v) => JSON.stringify(v)).join(', ')} ]`
    return `[ ${value.map((v) => jackson(v, indent)).join(', ')} ]`
  }
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).map(
      ([k, v]) => `${inner}${JSON.stringify(k)} : ${jackson(v, inner)}`,
    )
    return `{\n${members.join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value)
}

/** The default key policy of a customer key: the account (and so IAM policies) may do everything. */
export function defaultKeyPolicy(accountId: string): string {
  return jackson({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  })
}

const MANAGED_POLICY_SID: Record<ManagedKeyService, string> = {
  secretsmanager:
    'Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager',
  ssm: 'Allow access through AWS Systems Manager for all principals in the account that are authorized to use AWS Systems Manager',
}

/**
 * The policy of an AWS-managed key, as AWS writes it: cryptographic use only through the service
 * (`kms:ViaService`) by principals of the owning account; direct read-only access for the account.
 */
export function managedKeyPolicy(accountId: string, region: string, service: ManagedKeyService): string {
  const via = `${service}.${region}.amazonaws.com`
  const sid = MANAGED_POLICY_SID[service]
  return jackson({
    Version: '2012-10-17',
    Id: `auto-${service}-2`,
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': via } },
      },
      {
        // AWS repeats the first Sid here; Coffer's policy parser (rightly) wants unique Sids.
        Sid: `${sid} (data keys)`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': accountId },
          StringLike: { 'kms:ViaService': via },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  })
}

const defaults = new Map<string, string>()

/** The key policy in force: the stored one, else the key's default (memoised per account/region). */
export function effectivePolicy(key: KeyRecord): string {
  if (key.policy !== undefined) return key.policy
  const service = key.keyManager === 'AWS' ? managedServiceOfKey(key) : undefined
  const cacheKey = `${key.accountId}/${key.region}/${service ?? ''}`
  let policy = defaults.get(cacheKey)
  if (policy === undefined) {
    policy =
      service === undefined
        ? defaultKeyPolicy(key.accountId)
        : managedKeyPolicy(key.accountId, key.region, service)
    if (defaults.size > 10_000) defaults.clear()
    defaults.set(cacheKey, policy)
  }
  return policy
}

/** AWS-managed keys store their policy; keys created before it was stored are known by their description. */
function managedServiceOfKey(key: KeyRecord): ManagedKeyService | undefined {
  return MANAGED_KEY_SERVICES.find((service) => MANAGED_KEY_DESCRIPTION[service] === key.description)
}

/**
 * Size and syntax of a new key policy (CreateKey, PutKeyPolicy): LimitExceededException over 32 KiB,
 * MalformedPolicyDocumentException for what the policy parser refuses.
 */
export function assertValidKeyPolicy(text: string): void {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) throw new LimitExceededException(msg.policyTooLarge)
  const parsed = parsePolicy(text, 'key')
  if (parsed.ok) return
  const principal = parsed.errors.some((e) => /PRINCIPAL/.test(e.code))
  throw new MalformedPolicyDocumentException(
    principal ? msg.invalidPrincipals : (parsed.errors[0]?.message ?? msg.malformedPolicy),
  )
}
