import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam'
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms'
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueName, type TestServer } from '../../support/server.js'
import { ADMIN_ARN, asCredentials, IamFixtures, trustingPrincipal, uniqueRoleName } from '../sts/support.js'
import { requestId, startAuditServer, storedRecords, type AuditRecord } from './support.js'

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/**
 * Every request leaves exactly one CloudTrail record, whatever the service and outcome, and no secret
 * value reaches any audit device: the database, the JSONL file, stdout.
 */
describe('audit records (JS SDK v3 against every service)', () => {
  let server: TestServer
  let fixtures: IamFixtures
  const clients: { destroy(): void }[] = []
  /** Every request the test sent, by request id, with what its record must say. */
  const sent = new Map<string, { eventName: string; eventSource: string; errorCode?: string }>()
  const canaries: string[] = []
  let records: AuditRecord[] = []
  let accountId = ''
  let keyArn = ''
  let roleSessionArn = ''
  let userName = ''

  const client = <C extends { destroy(): void }>(c: C): C => {
    clients.push(c)
    return c
  }
  const config = (credentials?: Creds) => ({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: credentials ?? server.credentials,
    maxAttempts: 1,
  })
  /** Sends, remembers the request id and the expected record; returns the answer (undefined on error). */
  async function call<T>(eventSource: string, eventName: string, promise: Promise<T>, errorCode?: string) {
    let answer: T | undefined
    const outcome = await requestId(promise.then((value) => (answer = value)))
    expect(outcome.error?.name).toBe(errorCode)
    sent.set(outcome.id, { eventName, eventSource, ...(errorCode !== undefined && { errorCode }) })
    return answer as T
  }

  beforeAll(async () => {
    server = await startAuditServer({ devices: ['database', 'file', 'stdout'] })
    fixtures = new IamFixtures(server)
    accountId = '000000000000'
    const sm = client(new SecretsManagerClient(config()))
    const kms = client(new KMSClient(config()))
    const ssm = client(new SSMClient(config()))
    const iam = client(new IAMClient(config()))
    const sts = client(new STSClient(config()))
    const SM = 'secretsmanager.amazonaws.com'
    const name = uniqueName('audit')
    const secretValue = `canary-create-${uniqueName()}`
    const putValue = `canary-put-${uniqueName()}`
    const updateValue = `canary-update-${uniqueName()}`
    canaries.push(secretValue, putValue, updateValue)
    await call(
      SM,
      'CreateSecret',
      sm.send(new CreateSecretCommand({ Name: name, SecretString: secretValue })),
    )
    await call(
      SM,
      'PutSecretValue',
      sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: putValue })),
    )
    await call(
      SM,
      'UpdateSecret',
      sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: updateValue })),
    )
    await call(SM, 'GetSecretValue', sm.send(new GetSecretValueCommand({ SecretId: name })))
    await call(SM, 'BatchGetSecretValue', sm.send(new BatchGetSecretValueCommand({ SecretIdList: [name] })))
    await call(SM, 'DescribeSecret', sm.send(new DescribeSecretCommand({ SecretId: name })))
    const password = await call(
      SM,
      'GetRandomPassword',
      sm.send(new GetRandomPasswordCommand({ PasswordLength: 40 })),
    )
    canaries.push(password.RandomPassword ?? 'missing')
    await call(
      SM,
      'GetSecretValue',
      sm.send(new GetSecretValueCommand({ SecretId: 'no-such-secret' })),
      'ResourceNotFoundException',
    )
    await call(
      SM,
      'ListSecrets',
      sm.send(new ListSecretsCommand({ MaxResults: 1000 })),
      'ValidationException',
    )

    const KMS = 'kms.amazonaws.com'
    const key = await call(KMS, 'CreateKey', kms.send(new CreateKeyCommand({ Description: 'audit' })))
    keyArn = key.KeyMetadata?.Arn ?? ''
    const plaintext = `canary-kms-${uniqueName()}`
    canaries.push(plaintext, Buffer.from(plaintext).toString('base64'))
    const encrypted = await call(
      KMS,
      'Encrypt',
      kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from(plaintext) })),
    )
    await call(KMS, 'Decrypt', kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })))
    const dataKey = await call(
      KMS,
      'GenerateDataKey',
      kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256' })),
    )
    canaries.push(Buffer.from(dataKey.Plaintext ?? []).toString('base64'))
    await call(KMS, 'DescribeKey', kms.send(new DescribeKeyCommand({ KeyId: keyArn })))

    const SSM = 'ssm.amazonaws.com'
    const parameterValue = `canary-ssm-${uniqueName()}`
    canaries.push(parameterValue)
    const parameter = `/audit/${uniqueName()}`
    await call(
      SSM,
      'PutParameter',
      ssm.send(new PutParameterCommand({ Name: parameter, Value: parameterValue, Type: 'SecureString' })),
    )
    await call(
      SSM,
      'GetParameter',
      ssm.send(new GetParameterCommand({ Name: parameter, WithDecryption: true })),
    )

    const IAM = 'iam.amazonaws.com'
    userName = uniqueName('auditor')
    await call(IAM, 'CreateUser', iam.send(new CreateUserCommand({ UserName: userName })))
    const created = await call(
      IAM,
      'CreateAccessKey',
      iam.send(new CreateAccessKeyCommand({ UserName: userName })),
    )
    const userKey = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    canaries.push(userKey.secretAccessKey)

    const STS = 'sts.amazonaws.com'
    await call(STS, 'GetCallerIdentity', sts.send(new GetCallerIdentityCommand({})))
    const session = await call(STS, 'GetSessionToken', sts.send(new GetSessionTokenCommand({})))
    canaries.push(
      session.Credentials?.SecretAccessKey ?? 'missing',
      session.Credentials?.SessionToken ?? 'missing',
    )
    const role = fixtures.role({
      name: uniqueRoleName('audit'),
      trust: trustingPrincipal(ADMIN_ARN),
      inline: {
        read: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
        }),
      },
    })
    const assumed = await call(
      STS,
      'AssumeRole',
      sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'audit-session' })),
    )
    roleSessionArn = assumed.AssumedRoleUser?.Arn ?? ''
    const roleCreds = asCredentials(assumed.Credentials)
    canaries.push(roleCreds.secretAccessKey, roleCreds.sessionToken)
    const asRole = client(new SecretsManagerClient(config(roleCreds)))
    await call(SM, 'GetSecretValue', asRole.send(new GetSecretValueCommand({ SecretId: name })))

    // Refused before or by authorization: unknown key, bad signature, no permission.
    const unknown = client(
      new SecretsManagerClient(
        config({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }),
      ),
    )
    await call(SM, 'ListSecrets', unknown.send(new ListSecretsCommand({})), 'UnrecognizedClientException')
    const badSignature = client(
      new SecretsManagerClient(
        config({ accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'y'.repeat(40) }),
      ),
    )
    await call(SM, 'ListSecrets', badSignature.send(new ListSecretsCommand({})), 'InvalidSignatureException')
    const user = client(new SecretsManagerClient(config(userKey)))
    await call(
      SM,
      'GetSecretValue',
      user.send(new GetSecretValueCommand({ SecretId: name })),
      'AccessDeniedException',
    )

    await server.stop()
    records = storedRecords(server.dataDir)
  }, 60_000)

  afterAll(async () => {
    for (const c of clients) c.destroy()
    fixtures?.close()
    await server?.stop({ cleanup: true })
  })

  const recordOf = (eventName: string, predicate: (r: AuditRecord) => boolean = () => true) => {
    const found = records.filter((r) => r.eventName === eventName && predicate(r))
    expect(found.length).toBeGreaterThan(0)
    return found[0] as AuditRecord
  }

  /** BatchGetSecretValue's per-secret GetSecretValue records (reference §1) share its request id. */
  const isItemRecord = (r: AuditRecord) =>
    r.eventName === 'GetSecretValue' && sent.get(r.requestID)?.eventName === 'BatchGetSecretValue'

  it('leaves exactly one record per request, with its event name, source and error', () => {
    expect(records.filter((r) => !isItemRecord(r))).toHaveLength(sent.size)
    expect(records.filter(isItemRecord)).toHaveLength(1)
    for (const [id, expected] of sent) {
      const mine = records.filter((r) => r.requestID === id && !isItemRecord(r))
      expect(mine, `${expected.eventName} ${id}`).toHaveLength(1)
      const record = mine[0] as AuditRecord
      expect(record).toMatchObject({
        eventName: expected.eventName,
        eventSource: expected.eventSource,
        eventVersion: '1.11',
        eventType: 'AwsApiCall',
        managementEvent: true,
        eventCategory: 'Management',
        recipientAccountId: accountId,
        awsRegion: server.credentials.region,
        sourceIPAddress: '127.0.0.1',
      })
      expect(record['eventTime']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
      expect(record['eventID']).toMatch(/^[0-9a-f-]{36}$/)
      expect(record['errorCode']).toBe(expected.errorCode)
      expect(String(record['userAgent'])).toMatch(/aws-sdk-js/)
    }
    expect(new Set(records.map((r) => r.eventID)).size).toBe(records.length)
  })

  it('writes request parameters and response elements as AWS does, without the values', () => {
    const create = recordOf('CreateSecret')
    expect(Object.keys(create.requestParameters ?? {}).sort()).toEqual(['clientRequestToken', 'name'])
    expect(create.responseElements).toMatchObject({ arn: expect.stringMatching(/^arn:aws:secretsmanager:/) })
    const put = recordOf('PutSecretValue')
    expect(Object.keys(put.requestParameters ?? {}).sort()).toEqual(['clientRequestToken', 'secretId'])
    expect(put.responseElements).toMatchObject({ versionStages: ['AWSCURRENT'] })
    const get = recordOf('GetSecretValue', (r) => r['errorCode'] === undefined)
    expect(get).toMatchObject({ readOnly: true, responseElements: null })
    expect(recordOf('GetRandomPassword').requestParameters).toEqual({ passwordLength: 40 })
    expect(recordOf('GetParameter')).toMatchObject({
      requestParameters: { withDecryption: true },
      responseElements: null,
    })
    expect(recordOf('PutParameter').requestParameters).not.toHaveProperty('value')
    expect(recordOf('CreateAccessKey').responseElements).toMatchObject({
      accessKey: { userName, status: 'Active' },
    })
    expect(JSON.stringify(recordOf('CreateAccessKey').responseElements)).not.toMatch(/secretAccessKey/)
    expect(JSON.stringify(recordOf('AssumeRole').responseElements)).not.toMatch(
      /sessionToken|secretAccessKey/,
    )
    expect(recordOf('ListSecrets', (r) => r['errorCode'] === 'ValidationException')['errorMessage']).toMatch(
      /validation error/,
    )
  })

  it('names the KMS key as the record resource', () => {
    for (const name of ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey', 'CreateKey']) {
      expect(recordOf(name)['resources'], name).toEqual([{ accountId, type: 'AWS::KMS::Key', ARN: keyArn }])
    }
    expect(recordOf('CreateSecret')).not.toHaveProperty('resources')
  })

  it('describes who called: user, role session, unknown caller', () => {
    expect(recordOf('CreateSecret').userIdentity).toEqual({
      type: 'IAMUser',
      principalId: expect.stringMatching(/^AIDA/),
      arn: ADMIN_ARN,
      accountId,
      accessKeyId: server.credentials.accessKeyId,
      userName: 'admin',
    })
    const asRole = recordOf('GetSecretValue', (r) => r.userIdentity['type'] === 'AssumedRole')
    expect(asRole.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: roleSessionArn,
      principalId: expect.stringMatching(/^AROA.*:audit-session$/),
      accessKeyId: expect.stringMatching(/^ASIA/),
      sessionContext: {
        sessionIssuer: { type: 'Role', accountId, userName: expect.stringMatching(/^audit/) },
        attributes: { mfaAuthenticated: 'false', creationDate: expect.stringMatching(/Z$/) },
      },
    })
    const unknown = recordOf('ListSecrets', (r) => r['errorCode'] === 'UnrecognizedClientException')
    expect(unknown.userIdentity).toEqual({
      type: 'Unknown',
      principalId: '',
      accessKeyId: 'AKIAUNKNOWNKEY000000',
    })
    expect(unknown.requestParameters).toBeNull()
    const denied = recordOf('GetSecretValue', (r) => r['errorCode'] === 'AccessDeniedException')
    expect(denied.userIdentity).toMatchObject({ type: 'IAMUser', userName })
  })

  it('lets no secret value reach the database, the JSONL file or stdout', () => {
    const files = ['coffer.db', 'coffer.db-wal', 'audit.db', 'audit.db-wal', 'audit/audit.jsonl']
      .map((f) => join(server.dataDir, f))
      .filter((f) => existsSync(f))
    expect(files).toContain(join(server.dataDir, 'audit/audit.jsonl'))
    const jsonl = readFileSync(join(server.dataDir, 'audit/audit.jsonl'), 'utf8')
    expect(jsonl.split('\n').filter((l) => l.startsWith('{"seq"'))).toHaveLength(records.length)
    expect(server.output()).toContain('"eventName":"CreateSecret"')
    const sources = [...files.map((f) => readFileSync(f)), Buffer.from(server.output())]
    for (const canary of canaries) {
      expect(canary.length).toBeGreaterThan(10)
      for (const bytes of sources) expect(bytes.includes(canary), canary).toBe(false)
    }
  })
})
