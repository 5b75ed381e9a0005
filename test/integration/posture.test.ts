/**
 * `coffer posture` on a running server's data directory: a rotated secret under a customer key passes
 * the checks a neglected one fails, as a table and as JSON.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutResourcePolicyCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { secretsManagerClient } from '../support/clients.js'
import { COFFER_BIN, startServer, uniqueName, type TestServer } from '../support/server.js'

let server: TestServer
let sm: SecretsManagerClient

beforeAll(async () => {
  server = await startServer()
  sm = secretsManagerClient(server)
})
afterAll(async () => {
  sm.destroy()
  await server.stop({ cleanup: true })
})

function posture(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [COFFER_BIN, 'posture', '--data-dir', server.dataDir, ...args],
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    )
  })
}

it('reports what needs attention, per secret and check', async () => {
  const kms = new KMSClient({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: server.credentials,
  })
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}))
  kms.destroy()
  const good = uniqueName('kept')
  const { ARN: goodArn = '' } = await sm.send(
    new CreateSecretCommand({ Name: good, SecretString: 'x', KmsKeyId: KeyMetadata?.Arn }),
  )
  const account = goodArn.split(':')[4] ?? ''
  const token = randomUUID()
  await sm.send(
    new RotateSecretCommand({
      SecretId: good,
      ClientRequestToken: token,
      RotationLambdaARN: `arn:aws:lambda:${server.credentials.region}:${account}:function:coffer-random-password`,
      RotationRules: { AutomaticallyAfterDays: 30 },
    }),
  )
  for (let i = 0; i < 200; i++) {
    const d = await sm.send(new DescribeSecretCommand({ SecretId: good }))
    if (d.VersionIdsToStages?.[token]?.includes('AWSCURRENT') === true) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const neglected = uniqueName('neglected')
  await sm.send(new CreateSecretCommand({ Name: neglected, SecretString: 'y' }))
  await sm.send(
    new PutResourcePolicyCommand({
      SecretId: neglected,
      ResourcePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
        ],
      }),
    }),
  )

  const json = await posture('--json')
  expect(json.code).toBe(1)
  const { findings } = JSON.parse(json.stdout) as {
    findings: { name: string; check: string; status: string }[]
  }
  const of = (name: string) =>
    Object.fromEntries(findings.filter((f) => f.name === name).map((f) => [f.check, f.status]))
  expect(of(good)).toEqual({
    'rotation-enabled': 'PASSED',
    'rotation-succeeded': 'PASSED',
    'rotated-recently': 'PASSED',
    'recently-used': 'PASSED',
    'customer-key': 'PASSED',
    'not-public': 'PASSED',
    'no-cross-account': 'PASSED',
  })
  expect(of(neglected)).toMatchObject({
    'rotation-enabled': 'FAILED',
    'rotation-succeeded': 'NOT_APPLICABLE',
    'customer-key': 'FAILED',
    'not-public': 'FAILED',
  })
  expect(json.stdout).not.toContain('"x"')

  const table = await posture()
  expect(table.code).toBe(1)
  expect(table.stdout).toMatch(new RegExp(`${neglected}\\s+not-public\\s+FAILED`))
  expect(table.stdout).toContain('failed,')

  expect((await posture('--unused-days', '0')).code).toBe(2)
})
