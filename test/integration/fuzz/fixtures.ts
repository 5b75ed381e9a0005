/**
 * The secrets the fuzzer aims at: one of each interesting kind (a value, several labelled versions, no
 * value, scheduled for deletion, binary, a path-like name, a policy and tags). The fuzzer may delete,
 * relabel or restore them; `ensureFixtures` puts each back into its kind before every operation's run.
 */
import { smRequest, type Target } from '../../support/signed-http.js'
import type { Pools } from './inputs.js'

/** ClientRequestTokens shared by the fixtures and the fuzzer, so tokens collide with version ids. */
export const TOKENS = [
  '00000000-0000-4000-8000-000000000000',
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '33333333-3333-4333-8333-333333333333',
  '44444444-4444-4444-8444-444444444444',
  '55555555-5555-4555-8555-555555555555',
  'ffffffffffffffffffffffffffffffff',
  'a'.repeat(64),
] as const

const T = TOKENS

interface Fixture {
  readonly name: string
  /** Requests (after CreateSecret) that give it its shape. */
  readonly create: Record<string, unknown>
  readonly then?: readonly [string, Record<string, unknown>][]
  readonly scheduledForDeletion?: boolean
}

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    },
  ],
})

export const FIXTURES: readonly Fixture[] = [
  { name: 'fz-live', create: { SecretString: 'live-value', ClientRequestToken: T[0] } },
  {
    name: 'fz-multi',
    create: { SecretString: 'v1', ClientRequestToken: T[1] },
    then: [
      ['PutSecretValue', { SecretString: 'v2', ClientRequestToken: T[2] }],
      [
        'PutSecretValue',
        { SecretString: 'pending', ClientRequestToken: T[3], VersionStages: ['AWSPENDING'] },
      ],
      [
        'PutSecretValue',
        { SecretBinary: 'AAEC', ClientRequestToken: T[4], VersionStages: ['custom-a', 'custom-b'] },
      ],
    ],
  },
  { name: 'fz-empty', create: { Description: 'no value yet' } },
  {
    name: 'fz-deleted',
    create: { SecretString: 'doomed', ClientRequestToken: T[5] },
    scheduledForDeletion: true,
  },
  { name: 'fz-bin', create: { SecretBinary: 'AP8A/w==', ClientRequestToken: T[0] } },
  { name: 'fz/path/name', create: { SecretString: '{"a":1}', ClientRequestToken: T[6] } },
  {
    name: 'fz-policy',
    create: {
      SecretString: 'p',
      ClientRequestToken: T[7],
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'fz' },
      ],
    },
    then: [['PutResourcePolicy', { ResourcePolicy: POLICY }]],
  },
  {
    // Rotation configured (the fuzz server runs no scheduler, so its run stays as started).
    name: 'fz-rotating',
    create: { SecretString: 'rotate-me', ClientRequestToken: T[0] },
    then: [
      [
        'RotateSecret',
        {
          ClientRequestToken: T[1],
          RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:coffer-random-password',
          RotationRules: { AutomaticallyAfterDays: 7 },
          RotateImmediately: false,
        },
      ],
    ],
  },
]

/** Names CreateSecret may use: free until the fuzzer creates them. `-AbC123` looks like an ARN suffix. */
export const NEW_NAMES = ['fz-new-1', 'fz-new-2', 'fz/new/3', 'fz-new-AbC123', 'FZ-NEW-1', 'fz.new@4+=_']

async function ok(
  target: Target,
  op: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await smRequest(target, op, body)
  if (res.status !== 200) throw new Error(`fixture ${op} ${JSON.stringify(body)}: ${res.status} ${res.text}`)
  return res.json as Record<string, unknown>
}

/** Recreates, restores or schedules the fixtures as needed; returns the pools for the arbitraries. */
export async function ensureFixtures(target: Target, accountId: string, region: string): Promise<Pools> {
  const arns: string[] = []
  for (const fixture of FIXTURES) {
    let described = await smRequest(target, 'DescribeSecret', { SecretId: fixture.name })
    if (described.status !== 200) {
      await ok(target, 'CreateSecret', { Name: fixture.name, ...fixture.create })
      for (const [op, body] of fixture.then ?? []) await ok(target, op, { SecretId: fixture.name, ...body })
      described = await smRequest(target, 'DescribeSecret', { SecretId: fixture.name })
    }
    const info = described.json as { ARN: string; DeletedDate?: number }
    const deleted = info.DeletedDate !== undefined
    if (fixture.scheduledForDeletion === true && !deleted) {
      await ok(target, 'DeleteSecret', { SecretId: fixture.name, RecoveryWindowInDays: 7 })
    }
    if (fixture.scheduledForDeletion !== true && deleted)
      await ok(target, 'RestoreSecret', { SecretId: fixture.name })
    arns.push(info.ARN)
  }
  const names = FIXTURES.map((f) => f.name)
  const partial = arns.map((arn) => arn.slice(0, -7))
  const wrongSuffix = arns.map((arn) => `${arn.slice(0, -6)}zzzzzz`)
  return {
    secretIds: [...names, ...arns, ...partial, ...wrongSuffix, ...NEW_NAMES],
    names: [...names, ...NEW_NAMES],
    tokens: [...TOKENS],
    region,
    accountId,
  }
}
