import {
  CreateUserCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COFFER_BIN, startServer, type TestServer } from '../../support/server.js'
import { ADMINISTRATOR_ACCESS, expectIamError, iamClient, iamName } from './support.js'

/**
 * `coffer iam apply` (the built CLI, a separate process using only the public IAM API with the
 * standard credential chain) against a real server. `apply` deletes every managed entity missing from
 * the file, so each test has its own server.
 */

const ACCOUNT = '000000000000'
const MANAGED = { Key: 'coffer:managed-by', Value: 'iam-apply' }

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-iam-apply-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function coffer(server: TestServer, args: readonly string[]): Promise<Run> {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_SHARED_CREDENTIALS_FILE: server.credentialsPath,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [COFFER_BIN, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr })
    })
  })
}

function writeFile(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function withServer(test: (server: TestServer, iam: IAMClient) => Promise<void>): Promise<void> {
  const server = await startServer()
  const iam = iamClient(server)
  try {
    await test(server, iam)
  } finally {
    iam.destroy()
    await server.stop({ cleanup: true })
  }
}

function file(
  names: { policy: string; user: string; role: string; host: string },
  options: { withUser: boolean; action: string; duration: number },
) {
  const user = options.withUser
    ? `
  ${names.user}:
    path: /ci/
    tags: {team: platform}
    inlinePolicies:
      read-config:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Action: ssm:GetParameter, Resource: '*'}]
    attachedPolicies: [${names.policy}]
`
    : ' {}\n'
  return `# coffer iam apply test file
policies:
  ${names.policy}:
    path: /app/
    description: read app secrets
    document:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Action: ${options.action}
          Resource: '*'
users:${user}
roles:
  ${names.role}:
    description: the app
    maxSessionDuration: ${options.duration}
    trustPolicy:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Principal: {Federated: 'arn:aws:iam::${ACCOUNT}:oidc-provider/${names.host}'}
          Action: sts:AssumeRoleWithWebIdentity
    attachedPolicies: [${names.policy}, ${ADMINISTRATOR_ACCESS}]
    permissionsBoundary: ${ADMINISTRATOR_ACCESS}
    tags: {env: test}
oidcProviders:
  - url: https://${names.host}
    clientIds: [sts.amazonaws.com]
`
}

describe('coffer iam apply', () => {
  it('plans without changing anything on a dry run, applies, finds no changes again, then updates and deletes', async () => {
    await withServer(async (server, iam) => {
      const names = {
        policy: iamName('app-read'),
        user: iamName('ci'),
        role: iamName('app'),
        host: `${iamName('issuer')}.example.com`,
      }
      const policyArn = `arn:aws:iam::${ACCOUNT}:policy/app/${names.policy}`
      const first = writeFile(
        `${names.user}-1.yaml`,
        file(names, { withUser: true, action: 'secretsmanager:GetSecretValue', duration: 3600 }),
      )
      const endpoint = ['--endpoint-url', server.endpoint]
      const handmade = iamName('handmade')
      await iam.send(new CreateUserCommand({ UserName: handmade }))

      const dry = await coffer(server, ['iam', 'apply', first, '--dry-run', ...endpoint])
      expect(dry).toMatchObject({ code: 0, stderr: '' })
      expect(dry.stdout).toBe(
        [
          `+ create oidc-provider https://${names.host}`,
          `+ create policy ${names.policy}`,
          `+ create user ${names.user}`,
          `+ put user ${names.user} inline policy read-config`,
          `+ attach policy ${names.policy} to user ${names.user}`,
          `+ create role ${names.role}`,
          `+ attach policy ${names.policy} to role ${names.role}`,
          `+ attach policy ${ADMINISTRATOR_ACCESS} to role ${names.role}`,
          'Plan: 8 to create, 0 to update, 0 to delete.',
          'Dry run: nothing was changed.',
          '',
        ].join('\n'),
      )
      await expectIamError(iam.send(new GetUserCommand({ UserName: names.user })), 'NoSuchEntity', 404)
      await expectIamError(iam.send(new GetPolicyCommand({ PolicyArn: policyArn })), 'NoSuchEntity', 404)

      const applied = await coffer(server, ['iam', 'apply', first, ...endpoint])
      expect(applied).toMatchObject({ code: 0, stderr: '' })
      expect(applied.stdout).toContain('Applied 8 changes.')
      const { User } = await iam.send(new GetUserCommand({ UserName: names.user }))
      expect(User).toMatchObject({ Path: '/ci/', Tags: [{ Key: 'team', Value: 'platform' }, MANAGED] })
      const inline = await iam.send(
        new GetUserPolicyCommand({ UserName: names.user, PolicyName: 'read-config' }),
      )
      expect(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? ''))).toMatchObject({
        Statement: [{ Action: 'ssm:GetParameter' }],
      })
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: names.role }))
      expect(Role).toMatchObject({
        Description: 'the app',
        PermissionsBoundary: { PermissionsBoundaryArn: ADMINISTRATOR_ACCESS },
        Tags: [{ Key: 'env', Value: 'test' }, MANAGED],
      })
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: names.role }))
      expect(attached.AttachedPolicies?.map((p) => p.PolicyArn).sort()).toEqual(
        [policyArn, ADMINISTRATOR_ACCESS].sort(),
      )
      const provider = await iam.send(
        new GetOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${names.host}`,
        }),
      )
      expect(provider).toMatchObject({ ClientIDList: ['sts.amazonaws.com'], Tags: [MANAGED] })

      expect(await coffer(server, ['iam', 'apply', first, ...endpoint])).toEqual({
        code: 0,
        stdout: `No changes: IAM matches ${first}.\n`,
        stderr: '',
      })

      const second = writeFile(
        `${names.user}-2.yaml`,
        file(names, { withUser: false, action: 'secretsmanager:*', duration: 7200 }),
      )
      const dryChange = await coffer(server, ['iam', 'apply', second, '--dry-run', ...endpoint])
      expect(dryChange.stdout).toBe(
        [
          `~ update policy ${names.policy} (new default version)`,
          `~ update role ${names.role}: max session duration 3600 -> 7200`,
          `- delete user ${names.user} (with 1 inline policy, 1 attached policy)`,
          'Plan: 0 to create, 2 to update, 1 to delete.',
          'Dry run: nothing was changed.',
          '',
        ].join('\n'),
      )
      expect((await iam.send(new GetUserCommand({ UserName: names.user }))).User?.UserName).toBe(names.user)

      const changed = await coffer(server, ['iam', 'apply', second, ...endpoint])
      expect(changed).toMatchObject({ code: 0, stderr: '' })
      expect(changed.stdout).toContain('Applied 3 changes.')
      await expectIamError(iam.send(new GetUserCommand({ UserName: names.user })), 'NoSuchEntity', 404)
      expect((await iam.send(new GetRoleCommand({ RoleName: names.role }))).Role?.MaxSessionDuration).toBe(
        7200,
      )
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.DefaultVersionId).toBe(
        'v2',
      )
      // Not created by apply, not in the file: left alone.
      expect((await iam.send(new GetUserCommand({ UserName: handmade }))).User?.UserName).toBe(handmade)
      expect((await coffer(server, ['iam', 'apply', second, ...endpoint])).stdout).toBe(
        `No changes: IAM matches ${second}.\n`,
      )
    })
  })

  it('refuses an invalid file without calling the API, and reports the API refusing a change', async () => {
    await withServer(async (server) => {
      const endpoint = ['--endpoint-url', server.endpoint]
      const invalid = writeFile('invalid.yaml', 'users:\n  "a b": {}\nroles:\n  r: {}\n')
      expect(await coffer(server, ['iam', 'apply', invalid, ...endpoint])).toEqual({
        code: 2,
        stdout: '',
        stderr: `coffer iam apply: ${invalid}:\n  users.a b: names are 1-64 characters of letters, digits and +=,.@_-\n  roles.r.trustPolicy: required\n  roles.r.trustPolicy: a policy document (a mapping, or JSON text) is required\n`,
      })
      const malformed = writeFile(
        'malformed.yaml',
        'policies:\n  p:\n    document: {Version: "2012-10-17", Statement: [{Effect: Allow, Resource: "*"}]}\n',
      )
      const refused = await coffer(server, ['iam', 'apply', malformed, ...endpoint])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toBe(
        'Failed at: + create policy p\ncoffer iam apply: MalformedPolicyDocumentException: Policy statement must contain actions.\n',
      )
    })
  })
})
