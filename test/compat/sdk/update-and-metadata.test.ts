/** UpdateSecret and DescribeSecret's metadata rules: presence, dates, the default key (spec §3.3, §3.5). */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, tick, token, uniqueName, useServer } from './support.js'

function utcMidnight(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
}

describe('UpdateSecret and secret metadata', () => {
  const t = useServer()

  it('DescribeSecret shows only members that have a value', async () => {
    const name = uniqueName('presence')
    const versionId = token()
    const { ARN } = await t.client.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: 'v',
        Description: '',
        ClientRequestToken: versionId,
      }),
    )
    const described = await t.client.send(new DescribeSecretCommand({ SecretId: name }))
    expect(described).toMatchObject({ ARN, Name: name, VersionIdsToStages: { [versionId]: ['AWSCURRENT'] } })
    expect(described.CreatedDate).toBeInstanceOf(Date)
    expect(described.LastChangedDate).toBeInstanceOf(Date)
    for (const absent of [
      'Description',
      'KmsKeyId',
      'Tags',
      'LastAccessedDate',
      'DeletedDate',
      'RotationEnabled',
      'RotationRules',
      'OwningService',
      'PrimaryRegion',
      'ReplicationStatus',
    ]) {
      expect(described, absent).not.toHaveProperty(absent)
    }
  })

  it('treats KmsKeyId alias/aws/secretsmanager as the default key: omitted, DefaultEncryptionKey', async () => {
    const name = uniqueName('default-key')
    await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', KmsKeyId: 'alias/aws/secretsmanager' }),
    )
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty('KmsKeyId')
    const versions = await t.client.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    expect(versions.Versions?.[0]?.KmsKeyIds).toEqual(['DefaultEncryptionKey'])
    await t.client.send(new UpdateSecretCommand({ SecretId: name, KmsKeyId: '' }))
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty('KmsKeyId')
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v')
  })

  it('refuses an unknown KMS key with EncryptionFailure', async () => {
    await expectAwsError(
      t.client.send(
        new CreateSecretCommand({
          Name: uniqueName('bad-key'),
          SecretString: 'v',
          KmsKeyId: 'alias/does-not-exist',
        }),
      ),
      'EncryptionFailure',
    )
  })

  it('UpdateSecret with only metadata answers without VersionId and keeps the versions', async () => {
    const name = uniqueName('update-meta')
    const v1 = token()
    const { ARN } = await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', Description: 'old', ClientRequestToken: v1 }),
    )
    const updated = await t.client.send(new UpdateSecretCommand({ SecretId: name, Description: 'new' }))
    expect(updated).toMatchObject({ ARN, Name: name })
    expect(updated).not.toHaveProperty('VersionId')
    const described = await t.client.send(new DescribeSecretCommand({ SecretId: name }))
    expect(described.Description).toBe('new')
    expect(described.VersionIdsToStages).toEqual({ [v1]: ['AWSCURRENT'] })
    // Description "" clears it.
    await t.client.send(new UpdateSecretCommand({ SecretId: name, Description: '' }))
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty(
      'Description',
    )
    // Nothing to change: ARN and Name only.
    const nothing = await t.client.send(new UpdateSecretCommand({ SecretId: name }))
    expect(nothing).toMatchObject({ ARN, Name: name })
    expect(nothing).not.toHaveProperty('VersionId')
  })

  it('UpdateSecret with a value creates an AWSCURRENT version, like PutSecretValue', async () => {
    const name = uniqueName('update-value')
    const v1 = token()
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: v1 }))
    const v2 = token()
    const updated = await t.client.send(
      new UpdateSecretCommand({
        SecretId: name,
        SecretBinary: Buffer.from([0, 255, 1]),
        ClientRequestToken: v2,
      }),
    )
    expect(updated.VersionId).toBe(v2)
    const described = await t.client.send(new DescribeSecretCommand({ SecretId: name }))
    expect(described.VersionIdsToStages).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] })
    const read = await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    expect(Buffer.from(read.SecretBinary ?? []).equals(Buffer.from([0, 255, 1]))).toBe(true)
  })

  it('UpdateSecret on an unknown secret is ResourceNotFoundException', async () => {
    await expectAwsError(
      t.client.send(new UpdateSecretCommand({ SecretId: uniqueName('nope'), Description: 'x' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    )
  })

  it('moves LastChangedDate on every modification but not on reads', async () => {
    const name = uniqueName('changed')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const changed = async () =>
      (await t.client.send(new DescribeSecretCommand({ SecretId: name }))).LastChangedDate?.getTime() ?? 0
    let last = await changed()
    const modifications = [
      () => t.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' })),
      () => t.client.send(new UpdateSecretCommand({ SecretId: name, Description: 'd' })),
      () => t.client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] })),
    ]
    for (const modify of modifications) {
      await tick(10)
      await modify()
      const now = await changed()
      expect(now).toBeGreaterThan(last)
      last = now
    }
    await tick(10)
    await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    expect(await changed()).toBe(last)
  })

  it('shows LastAccessedDate at UTC midnight once the secret was read', async () => {
    const name = uniqueName('accessed')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty(
      'LastAccessedDate',
    )
    const before = new Date()
    await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    const after = new Date()
    const accessed = (await t.client.send(new DescribeSecretCommand({ SecretId: name }))).LastAccessedDate
    expect([utcMidnight(before), utcMidnight(after)]).toContain(accessed?.getTime())
  })
})
