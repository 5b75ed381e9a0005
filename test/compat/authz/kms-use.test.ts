/**
 * Secrets Manager uses KMS keys on its caller's behalf, so the caller needs the key too: `kms:Decrypt`
 * to read a value, `kms:GenerateDataKey` to write one (or to give a secret a key), `kms:Encrypt` on a
 * new key for the old versions to be re-encrypted — each allowed by the key policy and the caller's IAM
 * policies, with `kms:ViaService` and the encryption context as condition keys.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  expectAwsError,
  expectDenied,
  OTHER_ACCOUNT,
  policy,
  uniqueName,
  useAuthzServer,
  type PolicyDocument,
} from './support.js'

const t = useAuthzServer()
const KMS_DENIED = 'Access to KMS is not allowed'
const SM_ALL = { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }

let region: string
let customerKey: string

beforeAll(async () => {
  region = t.server.credentials.region
  customerKey = await t.directory.createCustomerKey()
})

/** A secret of the administrator's under `kmsKeyId` (the default key when absent); its ARN. */
async function secretUnder(kmsKeyId?: string, value = 'value'): Promise<string> {
  const { ARN = '' } = await t.admin.send(
    new CreateSecretCommand({
      Name: uniqueName('kms-use'),
      SecretString: value,
      ...(kmsKeyId !== undefined && { KmsKeyId: kmsKeyId }),
    }),
  )
  return ARN
}

const user = (...statements: Record<string, unknown>[]) =>
  t.directory.createUser(uniqueName('kms-user'), { inline: [policy(...statements) as PolicyDocument] })

describe('reading and writing through a customer key', () => {
  it('needs kms:Decrypt to read and kms:GenerateDataKey to write', async () => {
    const arn = await secretUnder(customerKey)
    const smOnly = await user(SM_ALL)
    await expectDenied(smOnly.sm.send(new GetSecretValueCommand({ SecretId: arn })), KMS_DENIED)
    await expectDenied(
      smOnly.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'new' })),
      KMS_DENIED,
    )
    await expectDenied(
      smOnly.sm.send(new CreateSecretCommand({ Name: uniqueName('no-key-access'), KmsKeyId: customerKey })),
      KMS_DENIED,
    )
    // Nothing was written by the refused calls.
    expect((await t.admin.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('value')

    const reader = await user(SM_ALL, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: customerKey })
    expect((await reader.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('value')
    await expectDenied(
      reader.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'new' })),
      KMS_DENIED,
    )

    const writer = await user(SM_ALL, {
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: customerKey,
    })
    await writer.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'new' }))
    expect((await writer.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('new')
  })

  it('the default key needs no KMS permission within the account', async () => {
    const arn = await secretUnder()
    const smOnly = await user(SM_ALL)
    await smOnly.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'mine' }))
    expect((await smOnly.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('mine')
  })

  it('sees kms:ViaService and the encryption context as condition keys', async () => {
    const first = await secretUnder(customerKey, 'first')
    const second = await secretUnder(customerKey, 'second')
    const scoped = await user(SM_ALL, {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: customerKey,
      Condition: {
        StringEquals: {
          'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
          'kms:EncryptionContext:SecretARN': first,
        },
      },
    })
    expect((await scoped.sm.send(new GetSecretValueCommand({ SecretId: first }))).SecretString).toBe('first')
    await expectDenied(scoped.sm.send(new GetSecretValueCommand({ SecretId: second })), KMS_DENIED)
  })

  it('an explicit deny in the key policy binds even the administrator', async () => {
    const root = `arn:aws:iam::${t.directory.accountId}:root`
    const guarded = await t.directory.createCustomerKey(
      policy(
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'NoReadsThroughSecretsManager',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringLike: { 'kms:ViaService': 'secretsmanager.*' } },
        },
      ),
    )
    const arn = await secretUnder(guarded)
    await expectDenied(t.admin.send(new GetSecretValueCommand({ SecretId: arn })), KMS_DENIED)
  })

  it('a disabled key still fails with DecryptionFailure once access is granted', async () => {
    const key = await t.directory.createCustomerKey()
    const arn = await secretUnder(key)
    await t.directory.kms().send(new DisableKeyCommand({ KeyId: key }))
    try {
      await expectAwsError(t.admin.send(new GetSecretValueCommand({ SecretId: arn })), 'DecryptionFailure')
    } finally {
      await t.directory.kms().send(new EnableKeyCommand({ KeyId: key }))
    }
  })
})

describe('changing a secret’s key', () => {
  it('needs kms:GenerateDataKey on the new key', async () => {
    const arn = await secretUnder()
    const smOnly = await user(SM_ALL)
    await expectDenied(
      smOnly.sm.send(new UpdateSecretCommand({ SecretId: arn, KmsKeyId: customerKey })),
      KMS_DENIED,
    )
  })

  it('re-encrypts the old versions only when the caller may use both keys', async () => {
    const oldKey = await t.directory.createCustomerKey()
    const newKey = await t.directory.createCustomerKey()
    const kept = await secretUnder(oldKey, 'kept')
    const moved = await secretUnder(oldKey, 'moved')
    // May create data keys under the new key and read the old one, but not Encrypt under the new key.
    const partial = await user(SM_ALL, {
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [oldKey, newKey],
    })
    await partial.sm.send(new UpdateSecretCommand({ SecretId: kept, KmsKeyId: newKey }))
    await t.admin.send(new UpdateSecretCommand({ SecretId: moved, KmsKeyId: newKey }))
    // With the old key disabled, only the re-encrypted version still opens.
    await t.directory.kms().send(new DisableKeyCommand({ KeyId: oldKey }))
    try {
      expect((await t.admin.send(new GetSecretValueCommand({ SecretId: moved }))).SecretString).toBe('moved')
      await expectAwsError(t.admin.send(new GetSecretValueCommand({ SecretId: kept })), 'DecryptionFailure')
    } finally {
      await t.directory.kms().send(new EnableKeyCommand({ KeyId: oldKey }))
    }
    // New versions of both use the new key.
    await t.admin.send(new PutSecretValueCommand({ SecretId: kept, SecretString: 'kept 2' }))
    await t.directory.kms().send(new DisableKeyCommand({ KeyId: oldKey }))
    expect((await t.admin.send(new GetSecretValueCommand({ SecretId: kept }))).SecretString).toBe('kept 2')
  })
})

describe('from another account', () => {
  it('needs the key policy to let that account use the key', async () => {
    await t.directory.createAccount(OTHER_ACCOUNT)
    const outsider = await t.directory.createUser(uniqueName('outsider'), {
      accountId: OTHER_ACCOUNT,
      inline: [policy(SM_ALL, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })],
    })
    // KMS's default key policy trusts only the key's own account.
    const arn = await secretUnder(customerKey)
    await t.admin.send(
      new PutResourcePolicyCommand({
        SecretId: arn,
        ResourcePolicy: JSON.stringify(
          policy({
            Effect: 'Allow',
            Principal: { AWS: outsider.arn },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          }),
        ),
      }),
    )
    await expectDenied(outsider.sm.send(new GetSecretValueCommand({ SecretId: arn })), KMS_DENIED)

    const shared = await t.directory.createCustomerKey(
      policy(
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${t.directory.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        { Effect: 'Allow', Principal: { AWS: outsider.arn }, Action: 'kms:Decrypt', Resource: '*' },
      ),
    )
    await t.admin.send(new UpdateSecretCommand({ SecretId: arn, KmsKeyId: shared }))
    expect((await outsider.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('value')
  })
})
