/** The `/aws/reference/secretsmanager/<id>[:<selector>]` passthrough (spec §5.3). */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { expectSsmError, rawSsm, uniqueName, useSsmServer } from './support.js'

const h = useSsmServer()
const PREFIX = '/aws/reference/secretsmanager/'
const get = async (Name: string, WithDecryption = true) =>
  (await h.ssm.send(new GetParameterCommand({ Name, WithDecryption }))).Parameter

async function secret(value: string, name = `app/${uniqueName('sec')}`) {
  const created = await h.sm.send(new CreateSecretCommand({ Name: name, SecretString: value }))
  return { name, arn: created.ARN ?? '', versionId: created.VersionId ?? '' }
}

describe('Secrets Manager references', () => {
  it('reads a secret as a SecureString of version 0 with the secret ARN and the source result', async () => {
    const s = await secret('{"user":"u","password":"p"}')
    const parameter = await get(PREFIX + s.name)
    expect(parameter).toEqual({
      Name: PREFIX + s.name,
      Type: 'SecureString',
      Value: '{"user":"u","password":"p"}',
      Version: 0,
      SourceResult: expect.any(String),
      LastModifiedDate: expect.any(Date),
      ARN: s.arn,
    })
    expect(JSON.parse(parameter?.SourceResult ?? '')).toEqual({
      ARN: s.arn,
      name: s.name,
      versionId: s.versionId,
      secretString: '{"user":"u","password":"p"}',
      versionStages: ['AWSCURRENT'],
      createdDate: expect.any(Number),
    })
    expect(await get(PREFIX + s.arn)).toMatchObject({
      Name: PREFIX + s.arn,
      Value: '{"user":"u","password":"p"}',
    })
  })

  it('selects a version by VersionId or stage label, echoing the Selector and the name without it', async () => {
    const s = await secret('one')
    const second = randomUUID()
    await h.sm.send(
      new PutSecretValueCommand({ SecretId: s.name, SecretString: 'two', ClientRequestToken: second }),
    )
    expect(await get(`${PREFIX}${s.name}:AWSPREVIOUS`)).toMatchObject({
      Name: PREFIX + s.name,
      Value: 'one',
      Selector: ':AWSPREVIOUS',
      Version: 0,
    })
    expect(await get(`${PREFIX}${s.name}:${s.versionId}`)).toMatchObject({
      Value: 'one',
      Selector: `:${s.versionId}`,
    })
    expect(await get(`${PREFIX}${s.arn}:AWSCURRENT`)).toMatchObject({ Name: PREFIX + s.arn, Value: 'two' })
    expect(await get(PREFIX + s.name)).not.toHaveProperty('Selector')
    await expectSsmError(get(`${PREFIX}${s.name}:NOSUCHSTAGE`), 'ParameterNotFound')
  })

  it('requires WithDecryption, with AWS text', async () => {
    const s = await secret('x')
    await expectSsmError(
      get(PREFIX + s.name, false),
      'ValidationException',
      'WithDecryption flag must be True for retrieving a Secret Manager secret.',
    )
    await expectSsmError(
      h.ssm.send(new GetParametersCommand({ Names: [PREFIX + s.name] })),
      'ValidationException',
      'WithDecryption flag must be True for retrieving a Secret Manager secret.',
    )
  })

  it('answers a missing secret with ParameterNotFound and its text; the bare name is no parameter', async () => {
    const name = uniqueName('absent')
    await expectSsmError(
      get(PREFIX + name),
      'ParameterNotFound',
      `An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret ${PREFIX}${name} not found.`,
    )
    const s = await secret('x')
    await expectSsmError(get(s.name), 'ParameterNotFound')
    await h.sm.send(new DeleteSecretCommand({ SecretId: s.name, RecoveryWindowInDays: 7 }))
    await expectSsmError(get(PREFIX + s.name), 'ParameterNotFound', /when referencing Secrets Manager/)
  })

  it('lands in GetParameters: found ones in Parameters, missing ones in InvalidParameters', async () => {
    const s = await secret('batch')
    const missing = `${PREFIX}${uniqueName('absent')}`
    const raw = await rawSsm(h.server, 'GetParameters', {
      Names: [missing, PREFIX + s.name],
      WithDecryption: true,
    })
    expect(raw.status).toBe(200)
    const body = raw.json as {
      Parameters: { Name: string; Value: string; Version: number }[]
      InvalidParameters: string[]
    }
    expect(body.Parameters.map((p) => [p.Name, p.Value, p.Version])).toEqual([[PREFIX + s.name, 'batch', 0]])
    expect(body.InvalidParameters).toEqual([missing])
  })

  it('is read-only and invisible to paths, descriptions, puts, history and labels', async () => {
    const s = await secret('hidden')
    const byPath = await h.ssm.send(
      new GetParametersByPathCommand({
        Path: '/aws/reference/secretsmanager',
        Recursive: true,
        WithDecryption: true,
      }),
    )
    expect(byPath.Parameters).toEqual([])
    const described = await h.ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: [s.name] }],
      }),
    )
    expect(described.Parameters).toEqual([])
    await expectSsmError(
      h.ssm.send(new PutParameterCommand({ Name: PREFIX + s.name, Value: 'v', Type: 'String' })),
      'AccessDeniedException',
    )
    await expectSsmError(
      h.ssm.send(new GetParameterHistoryCommand({ Name: PREFIX + s.name })),
      'ParameterNotFound',
    )
    await expectSsmError(
      h.ssm.send(new LabelParameterVersionCommand({ Name: PREFIX + s.name, Labels: ['x'] })),
      'ParameterNotFound',
    )
  })
})
