/**
 * Rotation as a user sets it up: functions registered with `coffer functions create`, an execution role
 * made with the IAM API, `RotateSecret` with the SDK — then the server's own engine runs the four steps.
 * Python (boto3) and Node.js (SDK v3) functions written to AWS's contract run unchanged, and the
 * PostgreSQL alternating-users built-in rotates a real database user while a client keeps connecting;
 * the MySQL single-user one changes a MariaDB user's own password on a cron schedule.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../support/clients.js'
import { codeDirectory } from '../support/functions.js'
import { startMariaDb, type MariaDbServer } from '../support/mariadb.js'
import { startPostgres, type PostgresServer } from '../support/postgres.js'
import { COFFER_BIN, startServer, uniqueName, type TestServer } from '../support/server.js'

let server: TestServer
let sm: SecretsManagerClient
let iam: IAMClient
let accountId: string
let region: string

beforeAll(async () => {
  server = await startServer()
  sm = secretsManagerClient(server)
  iam = new IAMClient({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: server.credentials,
    maxAttempts: 1,
  })
  region = server.credentials.region
  const { ARN = '' } = await sm.send(new CreateSecretCommand({ Name: uniqueName('probe') }))
  accountId = ARN.split(':')[4] ?? ''
})

afterAll(async () => {
  sm.destroy()
  iam.destroy()
  await server.stop({ cleanup: true })
})

function coffer(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [COFFER_BIN, ...args], (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`coffer ${args.join(' ')}: ${stderr}`))
      else resolve(stdout)
    })
  })
}

/** An execution role Lambda may assume, allowed what a rotation function needs on its secrets. */
async function executionRole(): Promise<string> {
  const name = uniqueName('rotation-role')
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  )
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: name,
      PolicyName: 'rotation',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'secretsmanager:DescribeSecret',
              'secretsmanager:GetSecretValue',
              'secretsmanager:PutSecretValue',
              'secretsmanager:UpdateSecretVersionStage',
            ],
            Resource: `arn:aws:secretsmanager:${region}:${accountId}:secret:*`,
          },
          { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
        ],
      }),
    }),
  )
  return Role?.Arn ?? ''
}

/** Waits until the rotation that made `token` finished: AWSCURRENT on it, LastRotatedDate set. */
async function rotated(secretId: string, token: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const d = await sm.send(new DescribeSecretCommand({ SecretId: secretId }))
    if (d.VersionIdsToStages?.[token]?.includes('AWSCURRENT') === true && d.LastRotatedDate !== undefined)
      return
    if (Date.now() > deadline) {
      const status = await coffer('rotation', 'status', secretId, '--data-dir', server.dataDir).catch(
        (e: unknown) => String(e),
      )
      throw new Error(
        `rotation of ${secretId} did not finish: ${JSON.stringify(d.VersionIdsToStages)}\n${status}`,
      )
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe.each([
  ['python', 'python-generic', 'lambda_function.lambda_handler'],
  ['nodejs', 'node-generic', 'index.handler'],
])('a %s function written for AWS Lambda', (runtime, fixture, handler) => {
  it('rotates a secret through RotateSecret, unchanged', async () => {
    const role = await executionRole()
    const name = uniqueName(`fn-${runtime}`)
    await coffer(
      'functions',
      'create',
      name,
      '--role',
      role,
      '--runtime',
      runtime,
      '--handler',
      handler,
      '--code',
      codeDirectory(fixture),
      '--timeout',
      '60',
      '--data-dir',
      server.dataDir,
    )
    const secret = uniqueName('rotated')
    await sm.send(new CreateSecretCommand({ Name: secret, SecretString: 'initial' }))
    const token = randomUUID()
    const { VersionId } = await sm.send(
      new RotateSecretCommand({
        SecretId: secret,
        ClientRequestToken: token,
        RotationLambdaARN: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
        RotationRules: { AutomaticallyAfterDays: 30 },
      }),
    )
    expect(VersionId).toBe(token)
    await rotated(secret, token, 90_000)
    const current = await sm.send(new GetSecretValueCommand({ SecretId: secret }))
    expect(current.VersionId).toBe(token)
    expect(current.SecretString).not.toBe('initial')
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: secret, VersionStage: 'AWSPREVIOUS' }),
    )
    expect(previous.SecretString).toBe('initial')
    const described = await sm.send(new DescribeSecretCommand({ SecretId: secret }))
    expect(described.RotationEnabled).toBe(true)
    expect(described.NextRotationDate).toBeInstanceOf(Date)
  }, 120_000)
})

describe('the PostgreSQL alternating-users built-in', () => {
  let db: PostgresServer

  beforeAll(async () => {
    db = await startPostgres()
  }, 60_000)
  afterAll(async () => {
    await db?.stop()
  })

  it('rotates twice while a client connecting with AWSCURRENT never fails', async () => {
    const admin = await db.connect()
    try {
      await admin.query(`CREATE ROLE app LOGIN PASSWORD 'first-password'`)
      await admin.query(
        'CREATE TABLE probe (n int); INSERT INTO probe VALUES (1); GRANT SELECT ON probe TO app',
      )
    } finally {
      await admin.end()
    }
    const master = uniqueName('pg-master')
    const { ARN: masterArn } = await sm.send(
      new CreateSecretCommand({
        Name: master,
        SecretString: JSON.stringify({
          engine: 'postgres',
          host: db.host,
          port: db.port,
          username: db.user,
          password: db.password,
          dbname: db.database,
        }),
      }),
    )
    const secret = uniqueName('pg-app')
    await sm.send(
      new CreateSecretCommand({
        Name: secret,
        SecretString: JSON.stringify({
          engine: 'postgres',
          host: db.host,
          port: db.port,
          username: 'app',
          password: 'first-password',
          dbname: db.database,
          masterarn: masterArn,
        }),
      }),
    )

    let connections = 0
    const failures: string[] = []
    let running = true
    const client = (async () => {
      while (running) {
        const { SecretString = '{}' } = await sm.send(new GetSecretValueCommand({ SecretId: secret }))
        const creds = JSON.parse(SecretString) as { username: string; password: string }
        const c = new pg.Client({
          host: db.host,
          port: db.port,
          database: db.database,
          user: creds.username,
          password: creds.password,
        })
        try {
          await c.connect()
          await c.query('SELECT n FROM probe')
          connections++
        } catch (error) {
          failures.push(`${creds.username}: ${(error as Error).message}`)
        } finally {
          await c.end().catch(() => undefined)
        }
      }
    })()

    const function_ = `arn:aws:lambda:${region}:${accountId}:function:coffer-postgres-alternating-users`
    const users: string[] = []
    try {
      for (let i = 0; i < 2; i++) {
        const token = randomUUID()
        await sm.send(
          new RotateSecretCommand({
            SecretId: secret,
            ClientRequestToken: token,
            RotationLambdaARN: function_,
            RotationRules: { AutomaticallyAfterDays: 30 },
          }),
        )
        await rotated(secret, token)
        const { SecretString = '{}' } = await sm.send(new GetSecretValueCommand({ SecretId: secret }))
        users.push((JSON.parse(SecretString) as { username: string }).username)
      }
    } finally {
      running = false
      await client
    }
    expect(failures).toEqual([])
    expect(connections).toBeGreaterThan(0)
    expect(users).toEqual(['app_clone', 'app'])
  }, 180_000)
})

describe('the MySQL single-user built-in on MariaDB', () => {
  let db: MariaDbServer

  beforeAll(async () => {
    db = await startMariaDb()
  }, 60_000)
  afterAll(async () => {
    await db?.stop()
  })

  it('changes the user’s own password through RotateSecret; the old one stops working', async () => {
    const root = await db.connect()
    try {
      await root.query(`CREATE USER 'svc'@'127.0.0.1' IDENTIFIED BY 'old-password'`)
    } finally {
      await root.end()
    }
    const secret = uniqueName('mariadb-svc')
    await sm.send(
      new CreateSecretCommand({
        Name: secret,
        SecretString: JSON.stringify({
          engine: 'mariadb',
          host: db.host,
          port: db.port,
          username: 'svc',
          password: 'old-password',
        }),
      }),
    )
    const token = randomUUID()
    await sm.send(
      new RotateSecretCommand({
        SecretId: secret,
        ClientRequestToken: token,
        RotationLambdaARN: `arn:aws:lambda:${region}:${accountId}:function:coffer-mysql-single-user`,
        RotationRules: { ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '2h' },
      }),
    )
    await rotated(secret, token)
    const { SecretString = '{}' } = await sm.send(new GetSecretValueCommand({ SecretId: secret }))
    const { password } = JSON.parse(SecretString) as { password: string }
    expect(password).not.toBe('old-password')
    expect(await db.canLogIn({ user: 'svc', password })).toBe(true)
    expect(await db.canLogIn({ user: 'svc', password: 'old-password' })).toBe(false)
    const described = await sm.send(new DescribeSecretCommand({ SecretId: secret }))
    expect(described.RotationRules).toEqual({ ScheduleExpression: 'cron(0 4 ? * SUN *)', Duration: '2h' })
    // The next window: a Sunday, 04:00–06:00 UTC.
    const next = described.NextRotationDate ?? new Date(0)
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 5, 59])
  }, 120_000)
})
