import {
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import type { TestServer } from '../../support/server.js'
import { expectAwsError, rawCall, token, uniqueName } from '../sdk/support.js'
import {
  finished,
  functionArn,
  outboxEvents,
  rotationStatus,
  startRotationServer,
  waitForStatus,
} from './support.js'

let server: TestServer
let sm: SecretsManagerClient
beforeAll(async () => {
  server = await startRotationServer()
  sm = secretsManagerClient(server)
})
afterAll(async () => {
  sm.destroy()
  await server.stop({ cleanup: true })
})

async function secretWith(value: string): Promise<{ name: string; arn: string; current: string }> {
  const name = uniqueName('rot')
  const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }))
  return { name, arn: created.ARN ?? '', current: created.VersionId ?? '' }
}

const describeSecret = (id: string) => sm.send(new DescribeSecretCommand({ SecretId: id }))

describe('RotateSecret errors (spec §3.7)', () => {
  it('refuses without a function ARN given or stored, and stores nothing', async () => {
    const { name } = await secretWith('p')
    await expectAwsError(
      sm.send(new RotateSecretCommand({ SecretId: name })),
      'InvalidRequestException',
      'No Lambda rotation function ARN is associated with this secret.',
    )
    const described = await describeSecret(name)
    expect(described.RotationEnabled).toBeUndefined()
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(1)
  })

  it('answers AccessDenied for a function that does not exist, and stores nothing', async () => {
    const { name } = await secretWith('p')
    await expectAwsError(
      sm.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: functionArn(server, 'no-such-function'),
          RotationRules: { AutomaticallyAfterDays: 3 },
        }),
      ),
      'AccessDeniedException',
      'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
    )
    const described = await describeSecret(name)
    expect(described).not.toHaveProperty('RotationEnabled')
    expect(described).not.toHaveProperty('RotationLambdaARN')
    expect(described).not.toHaveProperty('RotationRules')
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(1)
  })

  it('validates the rules before storing anything', async () => {
    const { name } = await secretWith('p')
    await expectAwsError(
      sm.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: functionArn(server),
          RotationRules: { AutomaticallyAfterDays: 0 },
        }),
      ),
      'ValidationException',
    )
    await expectAwsError(
      sm.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: functionArn(server),
          RotationRules: { ScheduleExpression: 'rate(1 hours)' },
        }),
      ),
      'InvalidParameterException',
    )
    expect(await describeSecret(name)).not.toHaveProperty('RotationEnabled')
  })

  it('refuses a secret scheduled for deletion, an unknown secret, and a raw request without a token', async () => {
    const { name } = await secretWith('p')
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }))
    await expectAwsError(
      sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: functionArn(server) })),
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    )
    await expectAwsError(
      sm.send(
        new RotateSecretCommand({ SecretId: uniqueName('missing'), RotationLambdaARN: functionArn(server) }),
      ),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    )
    const raw = await rawCall(server, 'secretsmanager.RotateSecret', { SecretId: uniqueName('missing') })
    expect(raw.status).toBe(400)
    expect(raw.json).toEqual({
      __type: 'InvalidRequestException',
      Message: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
    })
  })

  it('refuses a new rotation while one is in progress (AWSPENDING without AWSCURRENT)', async () => {
    const { name, current } = await secretWith('p')
    // A pending version written by hand: the rotation in progress as AWS sees it.
    const pending = token()
    await sm.send(
      new PutSecretValueCommand({
        SecretId: name,
        ClientRequestToken: pending,
        SecretString: 'next',
        VersionStages: ['AWSPENDING'],
      }),
    )
    await expectAwsError(
      sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: functionArn(server) })),
      'InvalidRequestException',
      'Previous rotation request is still in progress.',
    )
    const described = await describeSecret(name)
    expect(described).not.toHaveProperty('RotationEnabled')
    expect(described.VersionIdsToStages).toEqual({ [current]: ['AWSCURRENT'], [pending]: ['AWSPENDING'] })
  })
})

describe('a rotation with the random-password built-in, end to end', () => {
  it('creates the AWSPENDING placeholder, rotates, and shows the rotation in DescribeSecret and ListSecrets', async () => {
    const { name, arn, current } = await secretWith(JSON.stringify({ username: 'app', password: 'old' }))
    const before = Date.now()
    const versionId = token()
    const rotated = await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        ClientRequestToken: versionId,
        RotationLambdaARN: functionArn(server),
        RotationRules: { AutomaticallyAfterDays: 30 },
      }),
    )
    expect(rotated).toMatchObject({ ARN: arn, Name: name, VersionId: versionId })

    const status = await waitForStatus(server.dataDir, name, finished)
    const run = status.runs[0]
    expect(run?.state).toBe('succeeded')
    expect(run?.trigger).toBe('immediate')
    expect(run?.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
      'createSecret:succeeded',
      'setSecret:succeeded',
      'testSecret:succeeded',
      'finishSecret:succeeded',
    ])

    const value = await sm.send(new GetSecretValueCommand({ SecretId: name }))
    expect(value.VersionId).toBe(versionId)
    const parsed = JSON.parse(value.SecretString ?? '{}') as { username: string; password: string }
    expect(parsed.username).toBe('app')
    expect(parsed.password).toHaveLength(32)
    expect(parsed.password).not.toBe('old')
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }))
    expect(previous.VersionId).toBe(current)

    const described = await describeSecret(name)
    expect(described).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: functionArn(server),
      RotationRules: { AutomaticallyAfterDays: 30 },
    })
    // Success leaves AWSPENDING on the current version or nowhere (spec §3.7).
    expect(described.VersionIdsToStages?.[versionId]).toContain('AWSCURRENT')
    expect(described.VersionIdsToStages?.[current]).toEqual(['AWSPREVIOUS'])
    const last = described.LastRotatedDate?.getTime() ?? 0
    expect(last).toBeGreaterThanOrEqual(before - 1000)
    const next = described.NextRotationDate?.getTime() ?? 0
    expect(next - last).toBeGreaterThan(28 * 86_400_000)
    expect(next - last).toBeLessThanOrEqual(31 * 86_400_000)

    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }))
    expect(listed.SecretList?.[0]).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: functionArn(server),
      RotationRules: { AutomaticallyAfterDays: 30 },
      LastRotatedDate: described.LastRotatedDate,
      NextRotationDate: described.NextRotationDate,
    })

    const events = outboxEvents(server.dataDir, arn)
    expect(events.map((e) => e.detail['eventName'])).toEqual(['RotationStarted', 'RotationSucceeded'])
    expect(events[1]).toMatchObject({
      source: 'aws.secretsmanager',
      detailType: 'AWS Service Event via CloudTrail',
      detail: {
        eventSource: 'secretsmanager.amazonaws.com',
        eventType: 'AwsServiceEvent',
        userIdentity: { accountId: '000000000000', invokedBy: 'secretsmanager.amazonaws.com' },
        additionalEventData: { SecretId: arn },
        requestID: `Rotation-${arn}-${versionId}`,
      },
    })
    expect(JSON.stringify(events)).not.toContain(parsed.password)
  })

  it('rotates a plain password, keeps the stored function and rules for the next rotation, and replays a token', async () => {
    const { name, current } = await secretWith('hunter2')
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: functionArn(server),
        RotationRules: { ScheduleExpression: 'rate(10 days)' },
      }),
    )
    await waitForStatus(server.dataDir, name, finished)
    const first = await sm.send(new GetSecretValueCommand({ SecretId: name }))
    expect(first.SecretString).not.toBe('hunter2')
    expect(first.SecretString).toHaveLength(32)

    const again = token()
    const second = await sm.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: again }))
    expect(second.VersionId).toBe(again)
    // The same token again: the same rotation, nothing new.
    const replay = await sm.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: again }))
    expect(replay.VersionId).toBe(again)
    const status = await waitForStatus(server.dataDir, name, (s) => s.runs.length === 2 && finished(s))
    expect(status.runs.map((r) => r.state)).toEqual(['succeeded', 'succeeded'])
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).VersionId).toBe(again)
    // AWS computes AutomaticallyAfterDays from a rate(N days) schedule and shows both.
    expect((await describeSecret(name)).RotationRules).toEqual({
      AutomaticallyAfterDays: 10,
      ScheduleExpression: 'rate(10 days)',
    })
    // A token that names a version no rotation created is in use.
    await expectAwsError(
      sm.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: current })),
      'InvalidRequestException',
      new RegExp(`^You can't use ClientRequestToken ${current} because`),
    )
  })

  it('shows the pending version without a value while the rotation is under way', async () => {
    const { name, current } = await secretWith('p')
    // A function that exists but fails: the run stays observable, the placeholder stays.
    const versionId = token()
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        ClientRequestToken: versionId,
        RotationLambdaARN: functionArn(server, 'coffer-postgres-single-user'),
      }),
    )
    const described = await describeSecret(name)
    expect(described.VersionIdsToStages).toEqual({ [current]: ['AWSCURRENT'], [versionId]: ['AWSPENDING'] })
    await expectAwsError(
      sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    )
    await expectAwsError(
      sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: versionId })),
      'ResourceNotFoundException',
    )

    // Failed after its attempts: AWSPENDING stays on its empty version, AWSCURRENT and the value untouched.
    const status = await waitForStatus(server.dataDir, name, finished)
    expect(status.runs[0]?.state).toBe('failed')
    expect(status.runs[0]?.steps.map((s) => `${s.step}#${s.attempt}:${s.outcome}`)).toEqual([
      'createSecret#1:failed',
      'createSecret#2:failed',
    ])
    expect(status.runs[0]?.lastError).toBeDefined()
    const after = await describeSecret(name)
    expect(after.VersionIdsToStages).toEqual({ [current]: ['AWSCURRENT'], [versionId]: ['AWSPENDING'] })
    expect(after.RotationEnabled).toBe(true)
    expect(after).not.toHaveProperty('LastRotatedDate')
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('p')
    const events = outboxEvents(server.dataDir, after.ARN ?? '')
    expect(events.map((e) => e.detail['eventName'])).toEqual(['RotationStarted', 'RotationFailed'])
    expect(events[1]?.detail['errorMessage']).toBe(
      `Error when executing lambda ${functionArn(server, 'coffer-postgres-single-user')} during createSecret step`,
    )
    // The unfinished rotation blocks the next one until AWSPENDING is removed, as on AWS.
    await expectAwsError(
      sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: functionArn(server) })),
      'InvalidRequestException',
      'Previous rotation request is still in progress.',
    )
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: versionId,
      }),
    )
    await sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: functionArn(server) }))
    expect(
      (await waitForStatus(server.dataDir, name, (s) => s.runs.length === 2 && finished(s))).runs[0]?.state,
    ).toBe('succeeded')
  })
})

describe('RotateImmediately=false', () => {
  it('refuses a ClientRequestToken naming an existing version with InvalidRequestException (found by the fuzzer)', async () => {
    const { name, current: first } = await secretWith('kept')
    const second = token()
    await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'newer', ClientRequestToken: second }),
    )
    // The test copy would hold 'newer' under a token whose version holds 'kept'.
    await expectAwsError(
      sm.send(
        new RotateSecretCommand({
          SecretId: name,
          ClientRequestToken: first,
          RotationLambdaARN: functionArn(server),
          RotateImmediately: false,
        }),
      ),
      'InvalidRequestException',
    )
    expect((await describeSecret(name)).VersionIdsToStages).toEqual({
      [first]: ['AWSPREVIOUS'],
      [second]: ['AWSCURRENT'],
    })
  })

  it('runs testSecret alone on a copy of the current value, then removes the pending version', async () => {
    const { name, arn, current } = await secretWith('keep-me')
    const versionId = token()
    const response = await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        ClientRequestToken: versionId,
        RotationLambdaARN: functionArn(server),
        RotationRules: { AutomaticallyAfterDays: 5 },
        RotateImmediately: false,
      }),
    )
    expect(response.VersionId).toBe(versionId)
    const status = await waitForStatus(server.dataDir, name, finished)
    expect(status.runs[0]).toMatchObject({ trigger: 'test-only', state: 'succeeded' })
    expect(status.runs[0]?.steps.map((s) => s.step)).toEqual(['testSecret'])
    const described = await describeSecret(name)
    expect(described.VersionIdsToStages).toEqual({ [current]: ['AWSCURRENT'] })
    expect(described.RotationEnabled).toBe(true)
    expect(described).not.toHaveProperty('LastRotatedDate')
    expect(described.NextRotationDate).toBeInstanceOf(Date)
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('keep-me')
    expect(outboxEvents(server.dataDir, arn).map((e) => e.detail['eventName'])).toEqual([
      'TestRotationStarted',
      'TestRotationSucceeded',
    ])
  })
})

describe('CancelRotateSecret', () => {
  it('disables rotation, keeps the rules and labels, cancels the running run, and names the pending version', async () => {
    const { name, arn, current } = await secretWith('p')
    const versionId = token()
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        ClientRequestToken: versionId,
        RotationLambdaARN: functionArn(server, 'coffer-postgres-single-user'),
        RotationRules: { AutomaticallyAfterDays: 2 },
      }),
    )
    const cancelled = await sm.send(new CancelRotateSecretCommand({ SecretId: name }))
    expect(cancelled).toMatchObject({ ARN: arn, Name: name, VersionId: versionId })
    const described = await describeSecret(name)
    expect(described.RotationEnabled).toBe(false)
    expect(described.RotationRules).toEqual({ AutomaticallyAfterDays: 2 })
    expect(described.RotationLambdaARN).toBe(functionArn(server, 'coffer-postgres-single-user'))
    expect(described).not.toHaveProperty('NextRotationDate')
    expect(described.VersionIdsToStages).toEqual({ [current]: ['AWSCURRENT'], [versionId]: ['AWSPENDING'] })
    const status = await rotationStatus(server.dataDir, name)
    expect(status.runs[0]?.state).toBe('cancelled')
    expect(status.rotationEnabled).toBe(false)
  })

  it('answers without VersionId when nothing is pending, and refuses a secret never configured', async () => {
    const { name } = await secretWith('p')
    await expectAwsError(
      sm.send(new CancelRotateSecretCommand({ SecretId: name })),
      'InvalidRequestException',
    )
    await sm.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: functionArn(server) }))
    await waitForStatus(server.dataDir, name, finished)
    const cancelled = await sm.send(new CancelRotateSecretCommand({ SecretId: name }))
    expect(cancelled).not.toHaveProperty('VersionId')
    await expectAwsError(
      sm.send(new CancelRotateSecretCommand({ SecretId: uniqueName('missing') })),
      'ResourceNotFoundException',
    )
  })
})

describe('PutSecretValue during and around rotation', () => {
  it('accepts a RotationToken, and a value written by hand counts as a rotation for AutomaticallyAfterDays', async () => {
    const { name } = await secretWith('p')
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: functionArn(server),
        RotationRules: { AutomaticallyAfterDays: 10 },
        RotateImmediately: false,
      }),
    )
    await waitForStatus(server.dataDir, name, finished)
    const before = (await describeSecret(name)).NextRotationDate?.getTime() ?? 0
    await sm.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: 'by hand',
        RotationToken: token(),
      }),
    )
    const after = (await describeSecret(name)).NextRotationDate?.getTime() ?? 0
    expect(after).toBeGreaterThanOrEqual(before)
    expect(after - Date.now()).toBeGreaterThan(8 * 86_400_000)
    await expectAwsError(
      sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'x', RotationToken: 'bad token!' })),
      'ValidationException',
    )
  })
})
