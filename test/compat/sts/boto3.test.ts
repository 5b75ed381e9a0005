import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, type TestServer } from '../../support/server.js'
import { ACCOUNT, ADMIN_ARN, IamFixtures, trustingPrincipal } from './support.js'

/** The Debian interpreter: `python3` on the PATH may be another install without boto3. */
const PYTHON = '/usr/bin/python3'
const SCRIPT = resolve(import.meta.dirname, 'boto3_sts.py')

describe('boto3 STS (Debian python3-boto3)', () => {
  let server: TestServer
  let iam: IamFixtures
  let home: string
  beforeAll(async () => {
    server = await startServer()
    iam = new IamFixtures(server)
    home = mkdtempSync(join(tmpdir(), 'coffer-boto3-sts-'))
  })
  afterAll(async () => {
    iam?.close()
    await server?.stop({ cleanup: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  it('assume_role, then get_caller_identity and get_secret_value with the returned credentials', async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: apt-get install python3-boto3`)
    const role = iam.role({
      trust: trustingPrincipal(ADMIN_ARN, { StringEquals: { 'sts:ExternalId': 'boto-ext' } }),
      inline: {
        read: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
        }),
      },
    })
    const sm = secretsManagerClient(server)
    const secret = await sm.send(
      new CreateSecretCommand({ Name: `boto3-sts-${Date.now()}`, SecretString: 'py' }),
    )
    sm.destroy()
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONNOUSERSITE: '1',
      COFFER_ENDPOINT: server.endpoint,
      ROLE_ARN: role.arn,
      SECRET_ID: secret.ARN ?? '',
      AWS_SHARED_CREDENTIALS_FILE: server.credentialsPath,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    }
    const output = await new Promise<string>((resolveRun, reject) =>
      execFile(PYTHON, [SCRIPT], { env, cwd: home, timeout: 60_000 }, (error, stdout, stderr) =>
        error === null ? resolveRun(stdout) : reject(new Error(`${error.message}\n${stdout}\n${stderr}`)),
      ),
    )
    const seen = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>
    const assumedArn = `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/boto3`
    expect(seen).toMatchObject({
      caller: ADMIN_ARN,
      assumedArn,
      roleIdentity: assumedArn,
      roleUserId: `${role.roleId}:boto3`,
      secret: 'py',
      denied: ['AccessDenied', 403],
    })
    expect(Date.parse(String(seen['expiration'])) - Date.now()).toBeGreaterThan(3500_000)
    expect(seen['packed']).toBeGreaterThan(0)
  })
})
