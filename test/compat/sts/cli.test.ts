import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { CliFailure, cliEnvironment, requireAwsCli, runAws, type CliResult } from '../cli/aws-cli.js'
import { ACCOUNT, ADMIN_ARN, IamFixtures, trustingPrincipal, type RoleFixture } from './support.js'

/** The CLI's error line; it may add "(reached max retries: N)" before the colon. */
function cliError(code: string, operation: string, message: string): RegExp {
  const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(
    `An error occurred \\(${code}\\) when calling the ${operation} operation(?: \\([^)]*\\))?: ${esc(message)}`,
  )
}

interface CliCredentials {
  AccessKeyId: string
  SecretAccessKey: string
  SessionToken: string
  Expiration: string
}

/** `aws sts …` (the Debian CLI v2) against a real server. */
describe('AWS CLI: aws sts', () => {
  let server: TestServer
  let iam: IamFixtures
  let home: string
  let role: RoleFixture
  beforeAll(async () => {
    requireAwsCli()
    server = await startServer()
    iam = new IamFixtures(server)
    home = mkdtempSync(join(tmpdir(), 'coffer-cli-sts-'))
    role = iam.role({
      trust: trustingPrincipal(ADMIN_ARN, { StringEquals: { 'sts:ExternalId': 'cli-ext' } }),
      maxSessionDuration: 7200,
    })
  })
  afterAll(async () => {
    iam?.close()
    await server?.stop({ cleanup: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  const run = (args: string[], session?: CliCredentials): Promise<CliResult> => {
    const extra: Record<string, string> =
      session === undefined
        ? {}
        : {
            AWS_ACCESS_KEY_ID: session.AccessKeyId,
            AWS_SECRET_ACCESS_KEY: session.SecretAccessKey,
            AWS_SESSION_TOKEN: session.SessionToken,
          }
    return runAws(
      ['sts', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
      cliEnvironment(server, home, extra),
    )
  }
  const json = async <T>(args: string[], session?: CliCredentials): Promise<T> => {
    const result = await run(args, session)
    if (result.code !== 0) throw new CliFailure(args, result)
    return JSON.parse(result.stdout) as T
  }

  it('get-caller-identity, assume-role with an external id and session tags, and the session identity', async () => {
    expect(await json(['get-caller-identity'])).toMatchObject({ Account: ACCOUNT, Arn: ADMIN_ARN })
    const out = await json<{
      Credentials: CliCredentials
      AssumedRoleUser: { Arn: string }
      PackedPolicySize: number
    }>([
      'assume-role',
      '--role-arn',
      role.arn,
      '--role-session-name',
      'cli-session',
      '--external-id',
      'cli-ext',
      '--duration-seconds',
      '7200',
      '--tags',
      'Key=Project,Value=Unicorn',
      'Key=Team,Value=Automation',
      '--transitive-tag-keys',
      'Project',
    ])
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/)
    expect(Date.parse(out.Credentials.Expiration) - Date.now()).toBeGreaterThan(7100_000)
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/cli-session`)
    expect(out.PackedPolicySize).toBeGreaterThan(0)
    expect(await json(['get-caller-identity'], out.Credentials)).toMatchObject({
      Arn: out.AssumedRoleUser.Arn,
      UserId: `${role.roleId}:cli-session`,
    })
  })

  it('assume-role without the external id is denied (confused deputy)', async () => {
    const result = await run(['assume-role', '--role-arn', role.arn, '--role-session-name', 'no-ext'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(
      cliError(
        'AccessDenied',
        'AssumeRole',
        `User: ${ADMIN_ARN} is not authorized to perform: sts:AssumeRole`,
      ),
    )
  })

  it('get-session-token, then no second one with those credentials', async () => {
    const out = await json<{ Credentials: CliCredentials }>([
      'get-session-token',
      '--duration-seconds',
      '900',
    ])
    expect(Date.parse(out.Credentials.Expiration) - Date.now()).toBeLessThanOrEqual(900_000)
    expect(await json(['get-caller-identity'], out.Credentials)).toMatchObject({ Arn: ADMIN_ARN })
    const again = await run(['get-session-token'], out.Credentials)
    expect(again.stderr).toMatch(
      cliError('AccessDenied', 'GetSessionToken', 'Cannot call GetSessionToken with session credentials'),
    )
  })

  it('expired session credentials: ExpiredToken', async () => {
    const out = await json<{ Credentials: CliCredentials }>([
      'assume-role',
      '--role-arn',
      role.arn,
      '--role-session-name',
      'short',
      '--external-id',
      'cli-ext',
      '--duration-seconds',
      '900',
    ])
    iam.expire(out.Credentials.AccessKeyId)
    const result = await run(['get-caller-identity'], out.Credentials)
    expect(result.stderr).toMatch(
      cliError('ExpiredToken', 'GetCallerIdentity', 'The security token included in the request is expired'),
    )
  })
})
