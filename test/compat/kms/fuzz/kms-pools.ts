/**
 * What the KMS fuzzer aims at: a fresh set of keys per operation run (enabled, disabled, pending
 * deletion, rotating, tagged, with aliases), the AWS-managed keys, ciphertexts made under them, and
 * near misses. Fresh keys per run make any damage a run does (a policy that locks the caller out,
 * a key scheduled for deletion) irrelevant to the next.
 */
import fc from 'fast-check'
import type { TestServer } from '../../../support/server.js'
import { kmsRaw } from '../support.js'
import { anyString, optional, type DomainHook } from './schema-arbitraries.js'

export interface KmsPools {
  readonly keyRefs: readonly string[]
  readonly aliasNames: readonly string[]
  /** Base64 ciphertexts with the context they were made under. */
  readonly ciphertexts: readonly { readonly blob: string; readonly context?: Record<string, string> }[]
  readonly policies: readonly string[]
}

async function call(server: TestServer, op: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await kmsRaw(server, op, body)
  if (res.status !== 200) throw new Error(`fixture ${op} failed: ${res.status} ${res.text}`)
  return res.json ?? {}
}

let run = 0

export async function freshPools(server: TestServer, accountId: string, region: string): Promise<KmsPools> {
  const tag = `${Date.now().toString(36)}${run++}`
  const create = async (extra: Record<string, unknown> = {}) =>
    (await call(server, 'CreateKey', { Description: `fz ${tag}`, ...extra })).KeyMetadata as {
      KeyId: string
      Arn: string
    }
  const [enabled, disabled, pending, rotating] = [
    await create({ Tags: [{ TagKey: 'env', TagValue: 'fz' }] }),
    await create(),
    await create(),
    await create(),
  ] as const
  const encrypt = async (KeyId: string, context?: Record<string, string>) =>
    String(
      (
        await call(server, 'Encrypt', {
          KeyId,
          Plaintext: 'ZnV6eg==',
          ...(context !== undefined && { EncryptionContext: context }),
        })
      ).CiphertextBlob,
    )
  const ciphertexts = [
    { blob: await encrypt(enabled.KeyId) },
    { blob: await encrypt(enabled.KeyId, { fz: '1' }), context: { fz: '1' } },
    { blob: await encrypt(rotating.KeyId, { a: 'b', c: 'd' }), context: { a: 'b', c: 'd' } },
    { blob: await encrypt(disabled.KeyId) },
    { blob: await encrypt(pending.KeyId) },
  ]
  await call(server, 'DisableKey', { KeyId: disabled.KeyId })
  await call(server, 'ScheduleKeyDeletion', { KeyId: pending.KeyId, PendingWindowInDays: 7 })
  await call(server, 'EnableKeyRotation', { KeyId: rotating.KeyId })
  await call(server, 'RotateKeyOnDemand', { KeyId: rotating.KeyId })
  const aliasA = `alias/fz-${tag}-a`
  const aliasB = `alias/fz-${tag}-b`
  await call(server, 'CreateAlias', { AliasName: aliasA, TargetKeyId: enabled.KeyId })
  await call(server, 'CreateAlias', { AliasName: aliasB, TargetKeyId: rotating.KeyId })
  const managed = await Promise.all(
    ['alias/aws/secretsmanager', 'alias/aws/ssm'].map(
      async (alias) =>
        ((await call(server, 'DescribeKey', { KeyId: alias })).KeyMetadata as { KeyId: string }).KeyId,
    ),
  )
  const missing = '11111111-2222-3333-4444-555555555555'
  const root = `arn:aws:iam::${accountId}:root`
  const statement = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [extra] })
  return {
    keyRefs: [
      enabled.KeyId,
      enabled.Arn,
      disabled.KeyId,
      pending.Arn,
      rotating.KeyId,
      aliasA,
      `arn:aws:kms:${region}:${accountId}:${aliasB}`,
      ...managed,
      'alias/aws/secretsmanager',
      missing,
      `arn:aws:kms:${region}:${accountId}:key/${missing}`,
      enabled.Arn.replace(`:${region}:`, ':eu-north-1:'),
      enabled.Arn.replace(`:${accountId}:`, ':123456789012:'),
      'alias/fz-none',
      'not a key',
      'arn:aws:kms:::key/',
    ],
    aliasNames: [
      aliasA,
      aliasB,
      `alias/fz-${tag}-new`,
      'alias/aws/secretsmanager',
      'alias/aws/other',
      'no-prefix',
      'alias/a:b',
      'alias/',
    ],
    ciphertexts,
    policies: [
      statement({
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: 'kms:*',
        Resource: '*',
      }),
      statement({ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:DescribeKey', Resource: '*' }),
      statement({ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }),
      statement({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }),
      '{"Version": ',
      '[]',
      'x'.repeat(40_000),
    ],
  }
}

/** Valid values drawn from the pools for the shapes that name things. */
export function kmsDomain(pools: KmsPools): DomainHook {
  return (shapeName) => {
    switch (shapeName) {
      case 'KeyIdType':
        return fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...pools.keyRefs) },
          { weight: 1, arbitrary: anyString(1, 30) },
        )
      case 'AliasNameType':
        return fc.constantFrom(...pools.aliasNames)
      case 'CiphertextType':
        return fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...pools.ciphertexts.map((c) => c.blob)) },
          {
            weight: 1,
            arbitrary: fc
              .uint8Array({ minLength: 1, maxLength: 80 })
              .map((b) => Buffer.from(b).toString('base64')),
          },
        )
      case 'EncryptionContextType':
        return fc.oneof(
          fc.constantFrom(...pools.ciphertexts.flatMap((c) => (c.context === undefined ? [] : [c.context]))),
          fc.dictionary(anyString(0, 8), anyString(0, 8), { maxKeys: 3 }),
        )
      case 'PolicyType':
        return fc.constantFrom(...pools.policies)
      case 'PolicyNameType':
        return fc.constantFrom('default', 'default', 'other')
      case 'TagKeyType':
        return fc.oneof(fc.constantFrom('env', 'team', 'aws:x', 'AWS:y'), anyString(1, 10))
      case 'TagValueType':
        return fc.oneof(fc.constantFrom('', 'prod'), anyString(0, 10))
      case 'DescriptionType':
        return fc.oneof(anyString(0, 30), fc.constant('d'.repeat(8192)))
      case 'PendingWindowInDaysType':
        return fc.oneof(fc.integer({ min: 5, max: 32 }), fc.constantFrom(1, 7, 30, 365))
      case 'GrantTokenType':
        return anyString(1, 10)
      case 'CustomKeyStoreIdType':
        return fc.constantFrom('cks-1234567890abcdef0')
      case 'MarkerType':
        return fc.oneof(anyString(1, 20), fc.constant(Buffer.from('["keys","x"]').toString('base64url')))
      case 'AttestationDocumentType':
        return fc.constant('AAAA')
      default:
        return undefined
    }
  }
}

/** Requests likely to succeed, so the runs reach the write paths. */
export function kmsScenario(op: string, pools: KmsPools): fc.Arbitrary<Record<string, unknown>> | undefined {
  // keyRefs: 0 enabled id, 1 enabled ARN, 2 disabled id, 3 pending ARN, 4 rotating id, 5-6 aliases.
  const ref = (...indexes: number[]) => fc.constantFrom(...indexes.map((i) => pools.keyRefs[i] ?? ''))
  const key = ref(0, 1, 2, 3, 4, 5, 6)
  const usable = ref(0, 1, 4)
  const keyOnly = ref(0, 1, 2, 4)
  const context = (c?: Record<string, string>) => (c === undefined ? {} : { EncryptionContext: c })
  switch (op) {
    case 'Decrypt':
      return fc
        .constantFrom(...pools.ciphertexts)
        .map((c) => ({ CiphertextBlob: c.blob, ...context(c.context) }))
    case 'ReEncrypt':
      return fc.tuple(fc.constantFrom(...pools.ciphertexts), key).map(([c, DestinationKeyId]) => ({
        CiphertextBlob: c.blob,
        DestinationKeyId,
        ...(c.context && { SourceEncryptionContext: c.context }),
      }))
    case 'Encrypt':
      return fc
        .tuple(key, fc.uint8Array({ minLength: 1, maxLength: 64 }))
        .map(([KeyId, p]) => ({ KeyId, Plaintext: Buffer.from(p).toString('base64') }))
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext':
      return fc
        .tuple(
          key,
          fc.oneof(
            fc.constant({ KeySpec: 'AES_256' }),
            fc.integer({ min: 1, max: 1024 }).map((n) => ({ NumberOfBytes: n })),
          ),
        )
        .map(([KeyId, spec]) => ({ KeyId, ...spec }))
    case 'CreateAlias':
      return fc
        .tuple(fc.uuid(), fc.constantFrom(pools.keyRefs[0] ?? '', pools.keyRefs[4] ?? ''))
        .map(([id, TargetKeyId]) => ({ AliasName: `alias/fz-${id}`, TargetKeyId }))
    case 'UpdateAlias':
      return fc
        .tuple(fc.constantFrom(...pools.aliasNames.slice(0, 2)), ref(0, 2, 4))
        .map(([AliasName, TargetKeyId]) => ({ AliasName, TargetKeyId }))
    case 'DeleteAlias':
      return fc.constantFrom(...pools.aliasNames.slice(0, 2)).map((AliasName) => ({ AliasName }))
    case 'CancelKeyDeletion':
      return ref(3).map((KeyId) => ({ KeyId }))
    case 'RotateKeyOnDemand':
    case 'DisableKeyRotation':
      return usable.map((KeyId) => ({ KeyId }))
    case 'TagResource':
      return fc
        .tuple(
          keyOnly,
          fc.array(
            fc.record({ TagKey: fc.constantFrom('a', 'b', 'env'), TagValue: fc.constantFrom('', 'x') }),
            { maxLength: 3 },
          ),
        )
        .map(([KeyId, Tags]) => ({ KeyId, Tags }))
    case 'EnableKeyRotation':
      return fc
        .tuple(usable, optional(fc.integer({ min: 90, max: 2560 })))
        .map(([KeyId, days]) => ({ KeyId, ...(days !== undefined && { RotationPeriodInDays: days }) }))
    case 'ScheduleKeyDeletion':
      return fc
        .tuple(keyOnly, fc.integer({ min: 7, max: 30 }))
        .map(([KeyId, PendingWindowInDays]) => ({ KeyId, PendingWindowInDays }))
    case 'PutKeyPolicy':
      return fc
        .tuple(keyOnly, fc.constantFrom(...pools.policies), fc.boolean())
        .map(([KeyId, Policy, BypassPolicyLockoutSafetyCheck]) => ({
          KeyId,
          Policy,
          BypassPolicyLockoutSafetyCheck,
        }))
    case 'GenerateRandom':
      return fc.integer({ min: 1, max: 1024 }).map((NumberOfBytes) => ({ NumberOfBytes }))
    case 'UntagResource':
      return fc
        .tuple(keyOnly, fc.array(fc.constantFrom('env', 'a', 'none'), { maxLength: 3 }))
        .map(([KeyId, TagKeys]) => ({ KeyId, TagKeys }))
    case 'UpdateKeyDescription':
      return fc
        .tuple(keyOnly, fc.string({ maxLength: 20 }))
        .map(([KeyId, Description]) => ({ KeyId, Description }))
    case 'DescribeKey':
      return key.map((KeyId) => ({ KeyId }))
    default:
      return keyOnly.map((KeyId) => ({ KeyId }))
  }
}
