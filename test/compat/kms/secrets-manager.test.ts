/**
 * Secrets Manager on customer KMS keys, end to end with the JS SDK v3 (spec §3.15): KmsKeyId as key
 * id, key ARN, alias or alias ARN; data keys from KMS under {SecretARN, SecretVersionId}; a changed
 * key; disabled, pending-deletion and deleted keys.
 */
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import Database from 'better-sqlite3'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { uniqueName } from '../sdk/support.js'
import { expectKmsError, uniqueAlias, useKmsServer } from './support.js'

const config = join(mkdtempSync(join(tmpdir(), 'coffer-kms-sm-')), 'coffer.yaml')
writeFileSync(config, 'purgeIntervalSeconds: 1\n')
const h = useKmsServer({ args: ['--config', config] })

async function newKey() {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({ Description: 'secrets' }))
  if (KeyMetadata?.Arn === undefined) throw new Error('no key')
  return { keyId: KeyMetadata.KeyId ?? '', arn: KeyMetadata.Arn }
}

async function newSecret(kmsKeyId: string, value = 's3cr3t') {
  const name = uniqueName('kms')
  const created = await h.sm.send(
    new CreateSecretCommand({ Name: name, SecretString: value, KmsKeyId: kmsKeyId }),
  )
  return { name, arn: created.ARN ?? '', versionId: created.VersionId ?? '' }
}

const read = async (secretId: string) =>
  (await h.sm.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString

function storedDataKey(secretArn: string, versionId: string): Buffer {
  const db = new Database(join(h.server.dataDir, 'coffer.db'), { readonly: true })
  try {
    const row = db
      .prepare(
        `SELECT v.encrypted_data_key AS key FROM secret_versions v JOIN secrets s ON s.id = v.secret_id
         WHERE s.arn = ? AND v.version_id = ?`,
      )
      .get(secretArn, versionId) as { key: Buffer } | undefined
    if (row === undefined) throw new Error('version not stored')
    return row.key
  } finally {
    db.close()
  }
}

describe('secrets under a customer key', () => {
  it('takes KmsKeyId as key id, key ARN, alias and alias ARN, and reports the key ARN', async () => {
    const { keyId, arn } = await newKey()
    const alias = uniqueAlias('secrets')
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
    for (const ref of [keyId, arn, alias, `arn:aws:kms:${h.region}:${h.accountId}:${alias}`]) {
      const secret = await newSecret(ref, `value for ${ref}`)
      expect(await read(secret.name)).toBe(`value for ${ref}`)
      expect((await h.sm.send(new DescribeSecretCommand({ SecretId: secret.name }))).KmsKeyId).toBe(arn)
      const versions = await h.sm.send(new ListSecretVersionIdsCommand({ SecretId: secret.name }))
      expect(versions.Versions?.[0]?.KmsKeyIds).toEqual([arn])
    }
  })

  it("wraps each version's data key with KMS under {SecretARN, SecretVersionId}", async () => {
    const { arn } = await newKey()
    const secret = await newSecret(arn)
    const wrapped = storedDataKey(secret.arn, secret.versionId)
    const context = { SecretARN: secret.arn, SecretVersionId: secret.versionId }
    const unwrapped = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: context }),
    )
    expect(unwrapped.KeyId).toBe(arn)
    expect(unwrapped.Plaintext).toHaveLength(32)
    await expectKmsError(
      h.kms.send(
        new DecryptCommand({
          CiphertextBlob: wrapped,
          EncryptionContext: { ...context, SecretVersionId: 'other' },
        }),
      ),
      'InvalidCiphertextException',
    )
  })

  it('UpdateSecret to another key re-encrypts: the old key can then be disabled without harm', async () => {
    const first = await newKey()
    const second = await newKey()
    const secret = await newSecret(first.keyId, 'moving value')
    await h.sm.send(new UpdateSecretCommand({ SecretId: secret.name, KmsKeyId: second.arn }))
    expect((await h.sm.send(new DescribeSecretCommand({ SecretId: secret.name }))).KmsKeyId).toBe(second.arn)
    const rewrapped = storedDataKey(secret.arn, secret.versionId)
    const context = { SecretARN: secret.arn, SecretVersionId: secret.versionId }
    expect(
      (await h.kms.send(new DecryptCommand({ CiphertextBlob: rewrapped, EncryptionContext: context }))).KeyId,
    ).toBe(second.arn)
    await h.kms.send(new DisableKeyCommand({ KeyId: first.keyId }))
    expect(await read(secret.name)).toBe('moving value')
    await h.kms.send(new EnableKeyCommand({ KeyId: first.keyId }))
  })

  it('a disabled key blocks reads (DecryptionFailure) and writes (EncryptionFailure); enabling restores them', async () => {
    const { keyId } = await newKey()
    const secret = await newSecret(keyId, 'guarded')
    expect(await read(secret.name)).toBe('guarded')
    await h.kms.send(new DisableKeyCommand({ KeyId: keyId }))
    await expectKmsError(h.sm.send(new GetSecretValueCommand({ SecretId: secret.name })), 'DecryptionFailure')
    await expectKmsError(
      h.sm.send(new PutSecretValueCommand({ SecretId: secret.name, SecretString: 'new' })),
      'EncryptionFailure',
    )
    await expectKmsError(
      h.sm.send(new CreateSecretCommand({ Name: uniqueName('kms'), SecretString: 'x', KmsKeyId: keyId })),
      'EncryptionFailure',
    )
    await h.kms.send(new EnableKeyCommand({ KeyId: keyId }))
    expect(await read(secret.name)).toBe('guarded')
    await h.sm.send(new PutSecretValueCommand({ SecretId: secret.name, SecretString: 'newer' }))
    expect(await read(secret.name)).toBe('newer')
  })

  it('a key pending deletion refuses use; cancelling and enabling restores it', async () => {
    const { keyId } = await newKey()
    const secret = await newSecret(keyId, 'doomed?')
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
    await expectKmsError(h.sm.send(new GetSecretValueCommand({ SecretId: secret.name })), 'DecryptionFailure')
    await expectKmsError(
      h.sm.send(new PutSecretValueCommand({ SecretId: secret.name, SecretString: 'x' })),
      'EncryptionFailure',
    )
    await h.kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }))
    await expectKmsError(h.sm.send(new GetSecretValueCommand({ SecretId: secret.name })), 'DecryptionFailure')
    await h.kms.send(new EnableKeyCommand({ KeyId: keyId }))
    expect(await read(secret.name)).toBe('doomed?')
  })

  it('once the waiting period ends the key is deleted with its aliases, and its secrets cannot be decrypted', async () => {
    const { keyId, arn } = await newKey()
    const alias = uniqueAlias('deleted')
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
    const secret = await newSecret(alias, 'lost')
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
    const db = new Database(join(h.server.dataDir, 'coffer.db'))
    db.pragma('busy_timeout = 5000')
    db.prepare('UPDATE kms_keys SET deletion_date = ? WHERE key_id = ?').run(Date.now() - 1000, keyId)
    db.close()
    const deadline = Date.now() + 10_000
    for (;;) {
      const gone = await h.kms.send(new DisableKeyCommand({ KeyId: keyId })).then(
        () => false,
        (error: Error) => error.name === 'NotFoundException',
      )
      if (gone) break
      if (Date.now() > deadline) throw new Error('key was not deleted within 10 s')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    await expectKmsError(
      h.kms.send(new DisableKeyCommand({ KeyId: arn })),
      'NotFoundException',
      `Key '${arn}' does not exist`,
    )
    await expectKmsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob: storedDataKey(secret.arn, secret.versionId) })),
      'InvalidCiphertextException',
    )
    await expectKmsError(h.sm.send(new GetSecretValueCommand({ SecretId: secret.name })), 'DecryptionFailure')
    await expectKmsError(
      h.sm.send(new CreateSecretCommand({ Name: uniqueName('kms'), SecretString: 'x', KmsKeyId: alias })),
      'EncryptionFailure',
    )
  })
})
