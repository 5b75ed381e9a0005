/** ClientRequestToken idempotency and name clashes (spec §3.4). */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, token, uniqueName, useServer } from './support.js'

const exists = (name: string) => `The operation failed because the secret ${name} already exists.`
const tokenInUse = (clientToken: string, arn: string) =>
  `You can't use ClientRequestToken ${clientToken} because that value is already in use for a version of secret ${arn}.`

describe('ClientRequestToken idempotency', () => {
  const t = useServer()

  async function versionCount(name: string): Promise<number> {
    const { Versions } = await t.client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    )
    return Versions?.length ?? 0
  }

  it('CreateSecret retried with the same token and value answers the same', async () => {
    const name = uniqueName('idem-create')
    const clientToken = token()
    const request = { Name: name, SecretString: 'same', ClientRequestToken: clientToken }
    const first = await t.client.send(new CreateSecretCommand(request))
    const second = await t.client.send(new CreateSecretCommand(request))
    expect(second).toMatchObject({ ARN: first.ARN, Name: name, VersionId: clientToken })
    expect(await versionCount(name)).toBe(1)
  })

  it('CreateSecret on an existing name with another token or value is ResourceExistsException', async () => {
    const name = uniqueName('idem-exists')
    const clientToken = token()
    await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: clientToken }),
    )
    await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' })),
      'ResourceExistsException',
      exists(name),
    )
    await expectAwsError(
      t.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'other', ClientRequestToken: clientToken }),
      ),
      'ResourceExistsException',
      exists(name),
    )
    await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: name })),
      'ResourceExistsException',
      exists(name),
    )
  })

  it('CreateSecret with a name scheduled for deletion is InvalidRequestException', async () => {
    const name = uniqueName('idem-scheduled')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    await t.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }))
    await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' })),
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    )
  })

  it('PutSecretValue replayed with the same token and value is a no-op answering the current labels', async () => {
    const name = uniqueName('idem-put')
    const { ARN } = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }))
    const clientToken = token()
    const request = { SecretId: name, SecretString: 'v2', ClientRequestToken: clientToken }
    const first = await t.client.send(new PutSecretValueCommand(request))
    const again = await t.client.send(new PutSecretValueCommand(request))
    expect(again).toMatchObject({ ARN, Name: name, VersionId: clientToken, VersionStages: ['AWSCURRENT'] })
    expect(first.VersionStages).toEqual(['AWSCURRENT'])
    expect(await versionCount(name)).toBe(2)
    // After another write the replay reports where the labels are now.
    await t.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v3' }))
    const later = await t.client.send(new PutSecretValueCommand(request))
    expect(later.VersionStages).toEqual(['AWSPREVIOUS'])
    expect(await versionCount(name)).toBe(3)
  })

  it('PutSecretValue reusing a token for another value is ResourceExistsException', async () => {
    const name = uniqueName('idem-put-clash')
    const clientToken = token()
    const { ARN } = await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: clientToken }),
    )
    const arn = ARN ?? ''
    await expectAwsError(
      t.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: clientToken }),
      ),
      'ResourceExistsException',
      tokenInUse(clientToken, arn),
    )
    // Same bytes, other type: not the same value.
    await expectAwsError(
      t.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          SecretBinary: Buffer.from('v1'),
          ClientRequestToken: clientToken,
        }),
      ),
      'ResourceExistsException',
      tokenInUse(clientToken, arn),
    )
    expect(await versionCount(name)).toBe(1)
  })

  it('UpdateSecret with a value is idempotent on its token too', async () => {
    const name = uniqueName('idem-update')
    const { ARN } = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }))
    const clientToken = token()
    const first = await t.client.send(
      new UpdateSecretCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: clientToken }),
    )
    expect(first.VersionId).toBe(clientToken)
    const again = await t.client.send(
      new UpdateSecretCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: clientToken }),
    )
    expect(again).toMatchObject({ ARN, Name: name, VersionId: clientToken })
    expect(await versionCount(name)).toBe(2)
    await expectAwsError(
      t.client.send(
        new UpdateSecretCommand({ SecretId: name, SecretString: 'v3', ClientRequestToken: clientToken }),
      ),
      'ResourceExistsException',
      tokenInUse(clientToken, ARN ?? ''),
    )
  })

  it('concurrent CreateSecret: the same request all succeed as one secret; different ones, one wins', async () => {
    const name = uniqueName('idem-race')
    const clientToken = token()
    const same = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.client.send(
          new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: clientToken }),
        ),
      ),
    )
    expect(new Set(same.map((r) => r.ARN)).size).toBe(1)
    expect(same.every((r) => r.VersionId === clientToken)).toBe(true)
    expect(await versionCount(name)).toBe(1)

    const other = uniqueName('idem-race2')
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        t.client.send(new CreateSecretCommand({ Name: other, SecretString: `v${i}` })),
      ),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as Error).name).toBe('ResourceExistsException')
    }
  })

  it('concurrent PutSecretValue replays of one token make one version', async () => {
    const name = uniqueName('idem-put-race')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }))
    const clientToken = token()
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.client.send(
          new PutSecretValueCommand({ SecretId: name, SecretString: 'v2', ClientRequestToken: clientToken }),
        ),
      ),
    )
    expect(answers.every((a) => a.VersionId === clientToken)).toBe(true)
    expect(answers.map((a) => a.VersionStages)).toEqual(answers.map(() => ['AWSCURRENT']))
    expect(await versionCount(name)).toBe(2)
  })

  it('scopes tokens to a secret: one fixed token serves many secrets (as External Secrets does)', async () => {
    const fixed = '00000000-0000-0000-0000-000000000001'
    const names = [uniqueName('idem-eso'), uniqueName('idem-eso')]
    for (const [i, name] of names.entries()) {
      const created = await t.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretBinary: Buffer.from(`value-${i}`),
          ClientRequestToken: fixed,
          KmsKeyId: 'alias/aws/secretsmanager',
          Tags: [{ Key: 'managed-by', Value: 'external-secrets' }],
        }),
      )
      expect(created.VersionId).toBe(fixed)
    }
    const read = await t.client.send(
      new GetSecretValueCommand({ SecretId: names[1], VersionStage: 'AWSCURRENT' }),
    )
    expect(Buffer.from(read.SecretBinary ?? []).toString()).toBe('value-1')
  })

  it('refuses a ClientRequestToken shorter than 32 characters with a model ValidationException', async () => {
    const name = uniqueName('idem-short')
    await expectAwsError(
      t.client.send(
        new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: '0123456789' }),
      ),
      'ValidationException',
      "1 validation error detected: Value '0123456789' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32",
    )
    const long = 'x'.repeat(65)
    await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: long })),
      'ValidationException',
      /^1 validation error detected: .*'clientRequestToken'.*less than or equal to 64$/,
    )
  })
})
