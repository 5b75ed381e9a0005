/** Get/Put/Delete/ValidateResourcePolicy (spec §3.11). */
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  ValidateResourcePolicyCommand,
  type ValidateResourcePolicyCommandOutput,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, uniqueName, useServer } from './support.js'

function policy(principal: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        ...extra,
      },
    ],
  })
}

describe('resource policies', () => {
  const t = useServer()

  async function create(prefix: string) {
    const name = uniqueName(prefix)
    const { ARN } = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const account = /:(\d{12}):secret:/.exec(ARN ?? '')?.[1] ?? ''
    return { name, arn: ARN ?? '', account }
  }

  it('stores, returns and deletes a policy; without one GetResourcePolicy omits the member', async () => {
    const { name, arn, account } = await create('rp-cycle')
    const none = await t.client.send(new GetResourcePolicyCommand({ SecretId: name }))
    expect(none).toMatchObject({ ARN: arn, Name: name })
    expect(none).not.toHaveProperty('ResourcePolicy')
    const text = policy({ AWS: `arn:aws:iam::${account}:root` })
    const put = await t.client.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: text }))
    expect(put).toMatchObject({ ARN: arn, Name: name })
    const got = await t.client.send(new GetResourcePolicyCommand({ SecretId: arn }))
    expect(got).toMatchObject({ ARN: arn, Name: name, ResourcePolicy: text })
    const deleted = await t.client.send(new DeleteResourcePolicyCommand({ SecretId: name }))
    expect(deleted).toMatchObject({ ARN: arn, Name: name })
    expect(await t.client.send(new GetResourcePolicyCommand({ SecretId: name }))).not.toHaveProperty(
      'ResourcePolicy',
    )
    // Deleting when there is none succeeds too.
    expect(await t.client.send(new DeleteResourcePolicyCommand({ SecretId: name }))).toMatchObject({
      ARN: arn,
    })
  })

  it('refuses a malformed policy with MalformedPolicyDocumentException and keeps the old one', async () => {
    const { name, account } = await create('rp-malformed')
    const good = policy({ AWS: `arn:aws:iam::${account}:root` })
    await t.client.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: good }))
    for (const bad of [
      '{not json',
      JSON.stringify({ Version: '2012-10-17' }),
      policy({ AWS: 'x' }, { Effect: 'Perhaps' }),
    ]) {
      await expectAwsError(
        t.client.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: bad })),
        'MalformedPolicyDocumentException',
      )
    }
    expect((await t.client.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy).toBe(good)
  })

  it('with BlockPublicPolicy refuses a public policy with PublicPolicyException; without it, stores it', async () => {
    const { name, account } = await create('rp-public')
    const open = policy('*')
    await expectAwsError(
      t.client.send(
        new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: open, BlockPublicPolicy: true }),
      ),
      'PublicPolicyException',
    )
    expect(await t.client.send(new GetResourcePolicyCommand({ SecretId: name }))).not.toHaveProperty(
      'ResourcePolicy',
    )
    const scoped = policy({ AWS: `arn:aws:iam::${account}:root` })
    await t.client.send(
      new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: scoped, BlockPublicPolicy: true }),
    )
    await t.client.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: open }))
    expect((await t.client.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy).toBe(open)
  })

  it('ValidateResourcePolicy passes a scoped policy and flags a public one', async () => {
    const { name, account } = await create('rp-validate')
    const scoped = await t.client.send(
      new ValidateResourcePolicyCommand({ ResourcePolicy: policy({ AWS: `arn:aws:iam::${account}:root` }) }),
    )
    expect(scoped.PolicyValidationPassed).toBe(true)
    expect(scoped.ValidationErrors).toEqual([])
    const open = await t.client.send(
      new ValidateResourcePolicyCommand({ SecretId: name, ResourcePolicy: policy('*') }),
    )
    expect(open.PolicyValidationPassed).toBe(false)
    expect(open.ValidationErrors?.length).toBeGreaterThan(0)
    expect(open.ValidationErrors?.[0]).toEqual({
      CheckName: expect.any(String),
      ErrorMessage: expect.any(String),
    })
  })

  it('ValidateResourcePolicy does not pass malformed JSON (AWS behaviour unrecorded: error or failed check)', async () => {
    const outcome = await t.client
      .send(new ValidateResourcePolicyCommand({ ResourcePolicy: '{not json' }))
      .then(
        (output: ValidateResourcePolicyCommandOutput) => output.PolicyValidationPassed,
        (error: Error) => error.name,
      )
    expect([false, 'MalformedPolicyDocumentException']).toContain(outcome)
  })

  it('answers ResourceNotFoundException for an unknown secret and enforces the model length', async () => {
    const missing = uniqueName('rp-missing')
    const notFound = "Secrets Manager can't find the specified secret."
    await expectAwsError(
      t.client.send(new GetResourcePolicyCommand({ SecretId: missing })),
      'ResourceNotFoundException',
      notFound,
    )
    await expectAwsError(
      t.client.send(new PutResourcePolicyCommand({ SecretId: missing, ResourcePolicy: policy('*') })),
      'ResourceNotFoundException',
      notFound,
    )
    await expectAwsError(
      t.client.send(new DeleteResourcePolicyCommand({ SecretId: missing })),
      'ResourceNotFoundException',
      notFound,
    )
    const { name } = await create('rp-long')
    await expectAwsError(
      t.client.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: ' '.repeat(20_481) })),
      'ValidationException',
      /^1 validation error detected: .*'resourcePolicy'.*less than or equal to 20480$/,
    )
  })
})
