/**
 * Execution-role sessions against a real server: credentials are issued through the data directory
 * (as the rotation engine does, in the server's process or another) and used over the wire with the
 * official SDK clients.
 */
import {
  CreateRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../src/lib/clock.js'
import { cryptoRandom } from '../../../src/lib/random.js'
import { openExistingDataDir, type DataDir } from '../../../src/server/bootstrap.js'
import { BuiltinRoles, LAMBDA_TRUST_POLICY } from '../../../src/server/functions/builtin-role.js'
import type { FunctionCredentials, FunctionDefinition } from '../../../src/server/functions/contract.js'
import { builtinFunction } from '../../../src/server/functions/functions.js'
import { FunctionSessionIssuer, ROLE_CANNOT_BE_ASSUMED } from '../../../src/server/functions/sessions.js'
import { createSqliteIamStore } from '../../../src/server/storage/sqlite/iam-store.js'
import { SqliteStsStore } from '../../../src/server/storage/sqlite/sts-store.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'

const ACCOUNT = '000000000000'

let server: TestServer
const opened: DataDir[] = []
let iam: IAMClient

async function issuer(): Promise<FunctionSessionIssuer> {
  const data = await openExistingDataDir(server.dataDir, { clock: systemClock })
  if (data === undefined) throw new Error('no data directory')
  opened.push(data)
  return new FunctionSessionIssuer({
    sts: { store: new SqliteStsStore(data.db, data.freshness), barrier: data.barrier, random: cryptoRandom },
    builtinRoles: new BuiltinRoles({
      iam: createSqliteIamStore(data.db, data.freshness),
      random: cryptoRandom,
      clock: systemClock,
    }),
  })
}

function processFunction(name: string, roleArn: string): FunctionDefinition {
  return {
    arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`,
    accountId: ACCOUNT,
    region: 'us-east-1',
    name,
    roleArn,
    timeoutSeconds: 300,
    memoryMb: 128,
    code: {
      kind: 'process',
      runtime: 'nodejs',
      handler: 'index.handler',
      codeDir: '/nonexistent',
      environment: {},
    },
  }
}

const asSdk = (c: FunctionCredentials) => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  sessionToken: c.sessionToken,
})
const sts = (c: FunctionCredentials) =>
  new STSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: asSdk(c), maxAttempts: 1 })
const sm = (c?: FunctionCredentials) =>
  new SecretsManagerClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: c === undefined ? server.credentials : asSdk(c),
    maxAttempts: 1,
  })

async function createRole(name: string, trust: string, inline?: object): Promise<string> {
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))
  if (inline !== undefined)
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'inline',
        PolicyDocument: JSON.stringify(inline),
      }),
    )
  return Role?.Arn ?? ''
}

beforeAll(async () => {
  server = await startServer()
  iam = new IAMClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: server.credentials,
    maxAttempts: 1,
  })
})

afterAll(async () => {
  for (const data of opened) data.db.close()
  await server?.stop({ cleanup: true })
})

describe('execution-role sessions', () => {
  it("authenticate as assumed-role/<role>/<function> and carry the role's policies", async () => {
    const allowed = await sm().send(
      new CreateSecretCommand({ Name: uniqueName('fn-ok'), SecretString: 'one' }),
    )
    const other = await sm().send(new CreateSecretCommand({ Name: uniqueName('fn-no'), SecretString: 'two' }))
    const role = uniqueName('rotator')
    const roleArn = await createRole(role, LAMBDA_TRUST_POLICY, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: allowed.ARN }],
    })
    const now = Date.now()
    const credentials = await (await issuer()).issue(processFunction('my-rotator', roleArn), now)
    expect(credentials.accessKeyId).toMatch(/^ASIA/)
    const lifetime = credentials.expiration.getTime() - now
    expect(lifetime).toBeGreaterThan((300 + 15 * 60 - 1) * 1000)
    expect(lifetime).toBeLessThanOrEqual((300 + 15 * 60) * 1000)

    const identity = await sts(credentials).send(new GetCallerIdentityCommand({}))
    expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${role}/my-rotator`)
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:my-rotator$/)

    const read = await sm(credentials).send(new GetSecretValueCommand({ SecretId: allowed.ARN }))
    expect(read.SecretString).toBe('one')
    await expect(
      sm(credentials).send(new GetSecretValueCommand({ SecretId: other.ARN })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    })
  })

  it('are refused when the role is missing or its trust policy does not allow Lambda', async () => {
    const sessions = await issuer()
    const refusal = { name: 'InvalidParameterValueException', message: ROLE_CANNOT_BE_ASSUMED }
    const missing = `arn:aws:iam::${ACCOUNT}:role/${uniqueName('missing')}`
    await expect(sessions.issue(processFunction('f1', missing), Date.now())).rejects.toMatchObject(refusal)

    const trustEc2 = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    })
    const trustAdmin = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ],
    })
    const denyLambda = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Deny',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringNotEquals: { 'aws:SourceArn': `arn:aws:lambda:us-east-1:${ACCOUNT}:function:only-this` },
          },
        },
      ],
    })
    for (const trust of [trustEc2, trustAdmin, denyLambda]) {
      const roleArn = await createRole(uniqueName('untrusting'), trust)
      await expect(sessions.issue(processFunction('f2', roleArn), Date.now())).rejects.toMatchObject(refusal)
      if (trust === denyLambda) {
        const ok = await sessions.issue(processFunction('only-this', roleArn), Date.now())
        expect(ok.accessKeyId).toMatch(/^ASIA/)
      }
    }
  })

  it('create the built-in role once, even for concurrent first uses through two connections, and it can read secrets', async () => {
    const secret = await sm().send(
      new CreateSecretCommand({ Name: uniqueName('master'), SecretString: 'pw' }),
    )
    const [a, b] = await Promise.all([issuer(), issuer()])
    const builtin = builtinFunction(
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:coffer-postgres-single-user`,
    )
    if (builtin === undefined) throw new Error('no built-in')
    const issued = await Promise.all([a, b, a, b, a, b].map((s) => s.issue(builtin, Date.now())))
    expect(new Set(issued.map((c) => c.accessKeyId)).size).toBe(6)

    const { Roles = [] } = await iam.send(new ListRolesCommand({}))
    expect(Roles.filter((r) => r.RoleName === 'coffer-rotation')).toHaveLength(1)
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'coffer-rotation' }))).PolicyNames,
    ).toEqual(['coffer-rotation'])

    const identity = await sts(issued[0]!).send(new GetCallerIdentityCommand({}))
    expect(identity.Arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/coffer-rotation/coffer-postgres-single-user`,
    )
    const read = await sm(issued[1]!).send(new GetSecretValueCommand({ SecretId: secret.ARN }))
    expect(read.SecretString).toBe('pw')
    // Not a secret a built-in rotates (no rotation function set): no writes.
    await expect(
      sm(issued[2]!).send(new PutSecretValueCommand({ SecretId: secret.ARN, SecretString: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' })

    // An ordinary role: the operator's changes stay.
    const narrowed = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    })
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'coffer-rotation',
        PolicyName: 'coffer-rotation',
        PolicyDocument: narrowed,
      }),
    )
    const again = await (await issuer()).issue(builtin, Date.now())
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'coffer-rotation', PolicyName: 'coffer-rotation' }),
    )
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument ?? ''))).toEqual(JSON.parse(narrowed))
    await expect(sm(again).send(new GetSecretValueCommand({ SecretId: secret.ARN }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    })
  })
})
