/**
 * The IAM actions and resources SSM declares to the core, seen by a user with a narrow policy:
 * parameter ARNs without the leading slash or selectors, per-parameter checks in GetParameters and
 * DeleteParameters, the path alone for GetParametersByPath, `kms:Decrypt` via SSM for SecureStrings,
 * and Secrets Manager's own `GetSecretValue` for the passthrough.
 */
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectSsmError, uniqueName, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
let app = ''
let other = ''
let secret = ''
let limited: SSMClient

beforeAll(async () => {
  app = uniquePath('app')
  other = uniquePath('other')
  secret = `authz/${uniqueName('s')}`
  const put = (Name: string, Type: 'String' | 'SecureString' = 'String') =>
    h.ssm.send(new PutParameterCommand({ Name, Value: 'v', Type }))
  await put(`${app}/a`)
  await put(`${app}/sub/b`)
  await put(`${app}/secure`, 'SecureString')
  await put(`${other}/c`)
  await h.sm.send(new CreateSecretCommand({ Name: secret, SecretString: 'hidden' }))

  const config = {
    endpoint: h.server.endpoint,
    region: h.region,
    credentials: {
      accessKeyId: h.server.credentials.accessKeyId,
      secretAccessKey: h.server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  }
  const iam = new IAMClient(config)
  const userName = uniqueName('ssm-reader')
  await iam.send(new CreateUserCommand({ UserName: userName }))
  const arn = (name: string) => `arn:aws:ssm:${h.region}:${h.accountId}:parameter${name}`
  await iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: 'ssm-app',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:DeleteParameters'],
            Resource: arn(`${app}/*`),
          },
          { Effect: 'Allow', Action: 'ssm:GetParametersByPath', Resource: arn(app) },
          { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: arn('/aws/reference/secretsmanager/*') },
        ],
      }),
    }),
  )
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }))
  iam.destroy()
  limited = new SSMClient({
    ...config,
    credentials: {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    },
  })
})

afterAll(() => limited?.destroy())

describe('SSM authorization', () => {
  it('authorizes GetParameter on the parameter ARN, selectors and ARN inputs included', async () => {
    expect((await limited.send(new GetParameterCommand({ Name: `${app}/a:1` }))).Parameter?.Value).toBe('v')
    const arn = `arn:aws:ssm:${h.region}:${h.accountId}:parameter${app}/a`
    expect((await limited.send(new GetParameterCommand({ Name: arn }))).Parameter?.Name).toBe(`${app}/a`)
    const denied = await expectSsmError(
      limited.send(new GetParameterCommand({ Name: `${other}/c` })),
      'AccessDeniedException',
    )
    expect(denied.message).toContain(
      `ssm:GetParameter on resource: arn:aws:ssm:${h.region}:${h.accountId}:parameter${other}/c`,
    )
  })

  it('checks every parameter of GetParameters and DeleteParameters', async () => {
    const ok = await limited.send(new GetParametersCommand({ Names: [`${app}/a`, `${app}/sub/b`] }))
    expect(ok.Parameters).toHaveLength(2)
    await expectSsmError(
      limited.send(new GetParametersCommand({ Names: [`${app}/a`, `${other}/c`] })),
      'AccessDeniedException',
      /ssm:GetParameters on resource: .*parameter\/other/,
    )
    await expectSsmError(
      limited.send(new DeleteParametersCommand({ Names: [`${app}/sub/b`, `${other}/c`] })),
      'AccessDeniedException',
    )
    // Nothing was deleted by the refused batch.
    expect((await h.ssm.send(new GetParameterCommand({ Name: `${app}/sub/b` }))).Parameter?.Value).toBe('v')
  })

  it('authorizes GetParametersByPath on the path alone', async () => {
    const page = await limited.send(new GetParametersByPathCommand({ Path: app, Recursive: true }))
    expect(page.Parameters?.map((p) => p.Name)).toEqual([`${app}/a`, `${app}/secure`, `${app}/sub/b`])
    await expectSsmError(
      limited.send(new GetParametersByPathCommand({ Path: other })),
      'AccessDeniedException',
    )
  })

  it('decrypts a SecureString under alias/aws/ssm through SSM (the key policy allows it via SSM)', async () => {
    const got = await limited.send(new GetParameterCommand({ Name: `${app}/secure`, WithDecryption: true }))
    expect(got.Parameter?.Value).toBe('v')
  })

  it('needs secretsmanager:GetSecretValue on the secret for the passthrough', async () => {
    await expectSsmError(
      limited.send(
        new GetParameterCommand({ Name: `/aws/reference/secretsmanager/${secret}`, WithDecryption: true }),
      ),
      'AccessDeniedException',
      /secretsmanager:GetSecretValue/,
    )
  })
})
