/** DeleteSecret, RestoreSecret and what a secret scheduled for deletion allows (spec §3.6). */
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, token, uniqueName, useServer } from './support.js'

const DAY = 86_400_000
const NOT_FOUND = "Secrets Manager can't find the specified secret."
const MARKED = "You can't perform this operation on the secret because it was marked for deletion."

function expectNear(date: Date | undefined, expected: number): void {
  expect(date).toBeInstanceOf(Date)
  expect(Math.abs((date?.getTime() ?? 0) - expected)).toBeLessThan(60_000)
}

describe('DeleteSecret and RestoreSecret', () => {
  const t = useServer()

  async function create(prefix: string) {
    const name = uniqueName(prefix)
    const created = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    return { name, arn: created.ARN ?? '', versionId: created.VersionId ?? '' }
  }

  it('schedules deletion 30 days ahead by default, or after RecoveryWindowInDays', async () => {
    const a = await create('del-default')
    const deleted = await t.client.send(new DeleteSecretCommand({ SecretId: a.name }))
    expect(deleted).toMatchObject({ ARN: a.arn, Name: a.name })
    expectNear(deleted.DeletionDate, Date.now() + 30 * DAY)
    const b = await create('del-window')
    const week = await t.client.send(
      new DeleteSecretCommand({
        SecretId: b.arn,
        RecoveryWindowInDays: 7,
        ForceDeleteWithoutRecovery: false,
      }),
    )
    expectNear(week.DeletionDate, Date.now() + 7 * DAY)
    const described = await t.client.send(new DescribeSecretCommand({ SecretId: b.name }))
    expectNear(described.DeletedDate, Date.now())
    expect(described.VersionIdsToStages).toEqual({ [b.versionId]: ['AWSCURRENT'] })
  })

  it('refuses reads, writes and tag changes on a secret scheduled for deletion; DescribeSecret still works', async () => {
    const { name, versionId } = await create('del-blocked')
    await t.client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] }))
    await t.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }))
    const blocked = [
      new GetSecretValueCommand({ SecretId: name }),
      new PutSecretValueCommand({ SecretId: name, SecretString: 'x', ClientRequestToken: token() }),
      new UpdateSecretCommand({ SecretId: name, Description: 'x' }),
      new UpdateSecretCommand({ SecretId: name, SecretString: 'x', ClientRequestToken: token() }),
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'blue',
        MoveToVersionId: versionId,
      }),
      new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k2', Value: 'v' }] }),
      new UntagResourceCommand({ SecretId: name, TagKeys: ['k'] }),
      new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: '{}' }),
      new DeleteResourcePolicyCommand({ SecretId: name }),
    ]
    for (const command of blocked) {
      // Each command class has its own output type; only the rejection matters here.
      await expectAwsError(t.client.send(command as GetSecretValueCommand), 'InvalidRequestException', MARKED)
    }
    const described = await t.client.send(new DescribeSecretCommand({ SecretId: name }))
    expect(described.DeletedDate).toBeInstanceOf(Date)
    expect(described.Tags).toEqual([{ Key: 'k', Value: 'v' }])
    const versions = await t.client.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([versionId])
    const policy = await t.client.send(new GetResourcePolicyCommand({ SecretId: name }))
    expect(policy.Name).toBe(name)
  })

  it('RestoreSecret cancels the deletion', async () => {
    const { name, arn } = await create('del-restore')
    await t.client.send(new DeleteSecretCommand({ SecretId: name }))
    const restored = await t.client.send(new RestoreSecretCommand({ SecretId: name }))
    expect(restored).toEqual(expect.objectContaining({ ARN: arn, Name: name }))
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty(
      'DeletedDate',
    )
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v')
    // Restoring a live secret changes nothing.
    expect(await t.client.send(new RestoreSecretCommand({ SecretId: arn }))).toMatchObject({
      ARN: arn,
      Name: name,
    })
    await expectAwsError(
      t.client.send(new RestoreSecretCommand({ SecretId: uniqueName('nope') })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
  })

  it('force-deletes at once, frees the name, and also works on a scheduled secret', async () => {
    const a = await create('del-force')
    const forced = await t.client.send(
      new DeleteSecretCommand({ SecretId: a.name, ForceDeleteWithoutRecovery: true }),
    )
    expect(forced).toMatchObject({ ARN: a.arn, Name: a.name })
    expectNear(forced.DeletionDate, Date.now())
    await expectAwsError(
      t.client.send(new DescribeSecretCommand({ SecretId: a.name })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
    await t.client.send(new CreateSecretCommand({ Name: a.name, SecretString: 'again' }))

    const b = await create('del-force-scheduled')
    await t.client.send(new DeleteSecretCommand({ SecretId: b.name, RecoveryWindowInDays: 7 }))
    const again = await t.client.send(
      new DeleteSecretCommand({ SecretId: b.arn, ForceDeleteWithoutRecovery: true }),
    )
    expect(again).toMatchObject({ ARN: b.arn, Name: b.name })
    await expectAwsError(
      t.client.send(new DescribeSecretCommand({ SecretId: b.name })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
  })

  it('force-deleting a secret that does not exist succeeds with a fabricated ARN', async () => {
    const name = uniqueName('del-ghost')
    const forced = await t.client.send(
      new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }),
    )
    expect(forced.Name).toBe(name)
    expect(forced.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:${name}-[A-Za-z0-9]{6}$`),
    )
    expectNear(forced.DeletionDate, Date.now())
  })

  it('refuses both options together, a window out of 7-30, an unknown secret and a second scheduling', async () => {
    const { name } = await create('del-errors')
    await expectAwsError(
      t.client.send(
        new DeleteSecretCommand({
          SecretId: name,
          ForceDeleteWithoutRecovery: true,
          RecoveryWindowInDays: 7,
        }),
      ),
      'InvalidParameterException',
    )
    for (const days of [6, 31]) {
      await expectAwsError(
        t.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: days })),
        'InvalidParameterException',
        /RecoveryWindowInDays/,
      )
    }
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty(
      'DeletedDate',
    )
    await expectAwsError(
      t.client.send(new DeleteSecretCommand({ SecretId: uniqueName('nope') })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
    await t.client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 10 }))
    await expectAwsError(
      t.client.send(new DeleteSecretCommand({ SecretId: name })),
      'InvalidRequestException',
    )
  })
})
