/** The awsJson1_1 wire format seen raw, model validation, and the operations not implemented yet (spec §1). */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  RotateSecretCommand,
  StopReplicationToReplicaCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { expectAwsError, rawCall, token, uniqueName, useServer, type RawResponse } from './support.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TOKEN_REQUIRED = 'You must provide a ClientRequestToken value. We recommend a UUID-type value.'

/** One server for the whole file. */
const t = useServer()

function expectCommonHeaders(response: RawResponse): void {
  expect(response.headers.get('x-amzn-requestid')).toMatch(UUID)
  expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1')
  const date = Date.parse(response.headers.get('date') ?? '')
  expect(Math.abs(date - Date.now())).toBeLessThan(60_000)
}

function expectWireError(response: RawResponse, code: string, message?: string | RegExp): void {
  expectCommonHeaders(response)
  expect(response.status).toBe(400)
  expect(response.headers.get('x-amzn-errortype')).toBe(code)
  expect(response.json?.__type).toBe(code)
  expect(Object.keys(response.json ?? {}).sort()).toEqual(['Message', '__type'])
  if (typeof message === 'string') expect(response.json?.Message).toBe(message)
  else if (message !== undefined) expect(response.json?.Message).toMatch(message)
}

/** Every `null` inside a JSON value, by path. */
function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path]
  if (Array.isArray(value)) return value.flatMap((item, i) => nullPaths(item, `${path}[${i}]`))
  if (typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`))
  return []
}

describe('awsJson1_1 on the wire', () => {
  const call = (op: string, body: unknown) => rawCall(t.server, `secretsmanager.${op}`, body)

  it('answers errors with status 400, {__type, Message}, x-amzn-ErrorType, a request id and a Date', async () => {
    const response = await call('GetSecretValue', { SecretId: uniqueName('wire-missing') })
    expectWireError(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
  })

  it('answers successes with a request id and Date, epoch-second numbers, base64 blobs and no nulls', async () => {
    const name = uniqueName('wire-ok')
    const versionId = token()
    const created = await call('CreateSecret', {
      Name: name,
      SecretBinary: Buffer.from('footest').toString('base64'),
      ClientRequestToken: versionId,
    })
    expect(created.status).toBe(200)
    expectCommonHeaders(created)
    expect(Object.keys(created.json ?? {}).sort()).toEqual(['ARN', 'Name', 'VersionId'])
    const read = await call('GetSecretValue', { SecretId: name })
    expect(read.status).toBe(200)
    expectCommonHeaders(read)
    expect(read.json?.SecretBinary).toBe('Zm9vdGVzdA==')
    expect(read.json).not.toHaveProperty('SecretString')
    const createdDate = read.json?.CreatedDate
    expect(typeof createdDate).toBe('number')
    expect(Math.abs((createdDate as number) * 1000 - Date.now())).toBeLessThan(60_000)
    expect(read.text).toMatch(/"CreatedDate":\d{10}(\.\d{1,3})?[,}]/)
    const described = await call('DescribeSecret', { SecretId: name })
    for (const member of ['CreatedDate', 'LastChangedDate', 'LastAccessedDate']) {
      expect(typeof described.json?.[member], member).toBe('number')
    }
    expect(nullPaths(described.json)).toEqual([])
    expect(described.json).not.toHaveProperty('Description')
    const listed = await call('ListSecrets', { Filters: [{ Key: 'name', Values: [name] }] })
    expect(nullPaths(listed.json)).toEqual([])
    expect(listed.json).not.toHaveProperty('NextToken')
    const ids = new Set([created, read, described, listed].map((r) => r.headers.get('x-amzn-requestid')))
    expect(ids.size).toBe(4)
  })

  it('answers ops without input members to {} and to an empty body', async () => {
    for (const body of [{}, '']) {
      const response = await call('GetRandomPassword', body)
      expect(response.status).toBe(200)
      expect(response.json?.RandomPassword).toEqual(expect.any(String))
    }
  })

  it('ignores unknown members and accepts application/json', async () => {
    const name = uniqueName('wire-lenient')
    expect(
      (await call('CreateSecret', { Name: name, SecretString: 'v', ClientRequestToken: token(), Extra: 1 }))
        .status,
    ).toBe(200)
    const response = await rawCall(
      t.server,
      'secretsmanager.GetSecretValue',
      JSON.stringify({ SecretId: name }),
      {
        headers: { 'content-type': 'application/json' },
      },
    )
    expect(response.status).toBe(200)
    expect(response.json?.SecretString).toBe('v')
  })

  it('refuses malformed JSON with SerializationException and wrong member types too', async () => {
    expectWireError(await call('ListSecrets', '{"MaxResults": '), 'SerializationException')
    expectWireError(await call('GetSecretValue', { SecretId: 5 }), 'SerializationException')
  })

  it('refuses unknown targets with UnknownOperationException', async () => {
    expectWireError(await call('FetchAllTheSecrets', {}), 'UnknownOperationException')
    expectWireError(await rawCall(t.server, 'nosuchservice.GetSecretValue', {}), 'UnknownOperationException')
  })

  it('requires a ClientRequestToken on raw writes with a value, before looking the secret up', async () => {
    const name = uniqueName('wire-token')
    expectWireError(
      await call('CreateSecret', { Name: name, SecretString: 'v' }),
      'InvalidRequestException',
      TOKEN_REQUIRED,
    )
    expectWireError(
      await call('PutSecretValue', { SecretId: uniqueName('wire-none'), SecretString: 'v' }),
      'InvalidRequestException',
      TOKEN_REQUIRED,
    )
    const created = await call('CreateSecret', { Name: name, SecretString: 'v', ClientRequestToken: token() })
    expect(created.status).toBe(200)
    expectWireError(
      await call('PutSecretValue', { SecretId: name, SecretString: 'v2' }),
      'InvalidRequestException',
      TOKEN_REQUIRED,
    )
    expectWireError(
      await call('UpdateSecret', { SecretId: name, SecretString: 'v2' }),
      'InvalidRequestException',
      TOKEN_REQUIRED,
    )
    // Metadata-only UpdateSecret needs no token.
    expect((await call('UpdateSecret', { SecretId: name, Description: 'd' })).status).toBe(200)
  })

  it('reports model violations in AWS format, all of them in one message', async () => {
    expectWireError(
      await call('GetSecretValue', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    )
    const response = await call('ListSecrets', { MaxResults: 0, SortOrder: 'sideways' })
    expectWireError(response, 'ValidationException', /^2 validation errors detected: .+; .+$/)
    expect(response.json?.Message).toContain("'maxResults'")
    expect(response.json?.Message).toContain("'sortOrder'")
  })
})

describe('through the SDK', () => {
  it('answers 501 NotImplemented for replication, after validating input', async () => {
    const name = uniqueName('not-yet')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const commands = [
      new ReplicateSecretToRegionsCommand({ SecretId: name, AddReplicaRegions: [{ Region: 'eu-west-1' }] }),
      new RemoveRegionsFromReplicationCommand({ SecretId: name, RemoveReplicaRegions: ['eu-west-1'] }),
      new StopReplicationToReplicaCommand({ SecretId: name }),
    ]
    for (const command of commands) {
      await expectAwsError(
        t.client.send(command as StopReplicationToReplicaCommand),
        'NotImplemented',
        /not implemented/,
        501,
      )
    }
    await expectAwsError(
      t.client.send(
        new CreateSecretCommand({
          Name: uniqueName('replica'),
          AddReplicaRegions: [{ Region: 'eu-west-1' }],
        }),
      ),
      // CreateSecret answers with one of its modelled errors; only the replication operations are 501.
      'InvalidRequestException',
      /replicate/,
    )
    await expectAwsError(
      t.client.send(
        new RotateSecretCommand({ SecretId: name, RotationRules: { AutomaticallyAfterDays: 0 } }),
      ),
      'ValidationException',
      /^1 validation error detected: .*'rotationRules\.automaticallyAfterDays'/,
    )
  })

  it('refuses unknown access keys and wrong secret keys', async () => {
    const stranger = secretsManagerClient(t.server, { accessKeyId: 'AKIANOTAREALKEY00000' })
    await expectAwsError(
      stranger.send(new GetSecretValueCommand({ SecretId: 'x' })),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    )
    const forger = secretsManagerClient(t.server, {
      secretAccessKey: 'wrong-secret-key-wrong-secret-key-000000',
    })
    await expectAwsError(
      forger.send(new GetSecretValueCommand({ SecretId: 'x' })),
      'InvalidSignatureException',
    )
    stranger.destroy()
    forger.destroy()
  })
})
