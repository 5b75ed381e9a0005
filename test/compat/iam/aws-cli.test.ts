import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { requireAwsCli } from '../cli/aws-cli.js'
import { ALLOW_S3, IamCli, iamName, TRUST_EC2 } from './support.js'

/**
 * The main `aws iam` commands of the Debian AWS CLI v2 against a real server. The CLI starts slowly
 * (~1-2 s per call), so independent commands run concurrently and the suite stays near 40 calls.
 * The CLI URL-decodes and parses policy documents (botocore's `json_decode_policies`): documents come
 * back as objects only if the server URL-encodes them as AWS does.
 */

const SLOW = 180_000

interface User {
  UserName: string
  UserId: string
  Arn: string
  Path: string
  CreateDate: string
  Tags?: { Key: string; Value: string }[]
}
interface AccessKey {
  UserName: string
  AccessKeyId: string
  Status: string
  SecretAccessKey: string
  CreateDate: string
}
interface Role {
  RoleName: string
  RoleId: string
  Arn: string
  AssumeRolePolicyDocument: unknown
  MaxSessionDuration: number
  Description?: string
  Tags?: { Key: string; Value: string }[]
}
interface Policy {
  PolicyName: string
  PolicyId: string
  Arn: string
  DefaultVersionId: string
  AttachmentCount: number
}

let server: TestServer
let cli: IamCli

beforeAll(async () => {
  requireAwsCli()
  server = await startServer()
  cli = new IamCli(server)
})

afterAll(async () => {
  cli?.cleanup()
  await server?.stop({ cleanup: true })
  // Keep the suite's cost visible; raise the bound only with a reason.
  expect(cli?.invocations ?? 0).toBeLessThanOrEqual(45)
})

describe('aws iam: users and access keys', () => {
  it(
    'creates a user, two access keys (no third), deactivates one and refuses to delete the user',
    async () => {
      const name = iamName('cli-user')
      const { User: user } = await cli.json<{ User: User }>(
        'create-user',
        '--user-name',
        name,
        '--path',
        '/cli/',
        '--tags',
        'Key=team,Value=a',
      )
      expect(user).toMatchObject({ UserName: name, Path: '/cli/', Tags: [{ Key: 'team', Value: 'a' }] })
      expect(user.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/)
      expect(user.Arn).toBe(`arn:aws:iam::000000000000:user/cli/${name}`)

      const [got, first, second] = await Promise.all([
        cli.json<{ User: User }>('get-user', '--user-name', name.toUpperCase()),
        cli.json<{ AccessKey: AccessKey }>('create-access-key', '--user-name', name),
        cli.json<{ AccessKey: AccessKey }>('create-access-key', '--user-name', name),
      ])
      expect(got.User).toMatchObject({ UserName: name, UserId: user.UserId })
      for (const { AccessKey: key } of [first, second]) {
        expect(key).toMatchObject({ UserName: name, Status: 'Active' })
        expect(key.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/)
        expect(key.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/)
      }
      const keyId = first.AccessKey.AccessKeyId

      const [third, listed, , lastUsed] = await Promise.all([
        cli.error('create-access-key', '--user-name', name),
        cli.json<{ AccessKeyMetadata: { AccessKeyId: string; Status: string }[] }>(
          'list-access-keys',
          '--user-name',
          name,
        ),
        cli.json('update-access-key', '--user-name', name, '--access-key-id', keyId, '--status', 'Inactive'),
        cli.json<{ UserName: string; AccessKeyLastUsed: Record<string, string> }>(
          'get-access-key-last-used',
          '--access-key-id',
          keyId,
        ),
      ])
      expect(third).toEqual({
        code: 'LimitExceeded',
        message: 'Cannot exceed quota for AccessKeysPerUser: 2',
      })
      expect(listed.AccessKeyMetadata.map((k) => k.AccessKeyId).sort()).toEqual(
        [keyId, second.AccessKey.AccessKeyId].sort(),
      )
      expect(lastUsed).toEqual({ UserName: name, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } })

      const [after, conflict] = await Promise.all([
        cli.json<{ AccessKeyMetadata: { AccessKeyId: string; Status: string }[] }>(
          'list-access-keys',
          '--user-name',
          name,
        ),
        cli.error('delete-user', '--user-name', name),
      ])
      expect(after.AccessKeyMetadata.find((k) => k.AccessKeyId === keyId)?.Status).toBe('Inactive')
      expect(conflict).toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must delete access keys first.',
      })
    },
    SLOW,
  )

  it(
    'keeps inline user policies (decoded by the CLI), refuses malformed ones, and deletes the user once empty',
    async () => {
      const name = iamName('cli-inline')
      await cli.json('create-user', '--user-name', name)
      const [put, malformed, missing, duplicate] = await Promise.all([
        cli.json(
          'put-user-policy',
          '--user-name',
          name,
          '--policy-name',
          'read',
          '--policy-document',
          cli.file(`${name}.json`, ALLOW_S3),
        ),
        cli.error(
          'put-user-policy',
          '--user-name',
          name,
          '--policy-name',
          'bad',
          '--policy-document',
          '{"Version":',
        ),
        cli.error('get-user-policy', '--user-name', name, '--policy-name', 'absent'),
        cli.error('create-user', '--user-name', name),
      ])
      expect(put).toEqual({})
      expect(malformed).toEqual({ code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' })
      expect(missing).toEqual({
        code: 'NoSuchEntity',
        message: 'The user policy with name absent cannot be found.',
      })
      expect(duplicate).toEqual({
        code: 'EntityAlreadyExists',
        message: `User with name ${name} already exists.`,
      })

      const [got, conflict, noUser] = await Promise.all([
        cli.json<{ UserName: string; PolicyName: string; PolicyDocument: unknown }>(
          'get-user-policy',
          '--user-name',
          name,
          '--policy-name',
          'read',
        ),
        cli.error('delete-user', '--user-name', name),
        cli.error('get-user', '--user-name', `${name}-absent`),
      ])
      expect(got).toEqual({ UserName: name, PolicyName: 'read', PolicyDocument: ALLOW_S3 })
      expect(conflict).toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must delete policies first.',
      })
      expect(noUser).toEqual({
        code: 'NoSuchEntity',
        message: `The user with name ${name}-absent cannot be found.`,
      })

      await cli.json('delete-user-policy', '--user-name', name, '--policy-name', 'read')
      await cli.json('delete-user', '--user-name', name)
    },
    SLOW,
  )
})

describe('aws iam: roles and managed policies', () => {
  it(
    'creates a role from a trust policy file, attaches a versioned policy, tags it, and deletes both in order',
    async () => {
      const roleName = iamName('cli-role')
      const policyName = iamName('cli-policy')
      const [created, createdPolicy, badTrust] = await Promise.all([
        cli.json<{ Role: Role }>(
          'create-role',
          '--role-name',
          roleName,
          '--assume-role-policy-document',
          cli.file(`${roleName}-trust.json`, TRUST_EC2),
          '--max-session-duration',
          '7200',
          '--description',
          'app role',
        ),
        cli.json<{ Policy: Policy }>(
          'create-policy',
          '--policy-name',
          policyName,
          '--policy-document',
          cli.file(`${policyName}.json`, ALLOW_S3),
        ),
        cli.error(
          'create-role',
          '--role-name',
          iamName('cli-bad'),
          '--assume-role-policy-document',
          JSON.stringify({ ...TRUST_EC2, Statement: [{ ...TRUST_EC2.Statement[0], Resource: '*' }] }),
        ),
      ])
      expect(created.Role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/)
      expect(created.Role.AssumeRolePolicyDocument).toEqual(TRUST_EC2)
      expect(badTrust).toEqual({ code: 'MalformedPolicyDocument', message: 'Has prohibited field Resource' })
      const policyArn = createdPolicy.Policy.Arn
      expect(policyArn).toBe(`arn:aws:iam::000000000000:policy/${policyName}`)
      expect(createdPolicy.Policy.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/)

      const [, , duplicatePolicy, duplicateRole] = await Promise.all([
        cli.json('attach-role-policy', '--role-name', roleName, '--policy-arn', policyArn),
        cli.json('tag-role', '--role-name', roleName, '--tags', 'Key=env,Value=prod'),
        cli.error(
          'create-policy',
          '--policy-name',
          policyName,
          '--policy-document',
          JSON.stringify(ALLOW_S3),
        ),
        cli.error(
          'create-role',
          '--role-name',
          roleName.toUpperCase(),
          '--assume-role-policy-document',
          JSON.stringify(TRUST_EC2),
        ),
      ])
      expect(duplicatePolicy).toEqual({
        code: 'EntityAlreadyExists',
        message: `A policy called ${policyName} already exists. Duplicate names are not allowed.`,
      })
      expect(duplicateRole).toEqual({
        code: 'EntityAlreadyExists',
        message: `Role with name ${roleName.toUpperCase()} already exists.`,
      })

      const v2 = { ...ALLOW_S3, Statement: [{ ...ALLOW_S3.Statement[0], Action: 's3:*' }] }
      const [attached, version, got, roleConflict, policyConflict] = await Promise.all([
        cli.json<{ AttachedPolicies: { PolicyName: string; PolicyArn: string }[] }>(
          'list-attached-role-policies',
          '--role-name',
          roleName,
        ),
        cli.json<{ PolicyVersion: { VersionId: string; IsDefaultVersion: boolean } }>(
          'create-policy-version',
          '--policy-arn',
          policyArn,
          '--policy-document',
          JSON.stringify(v2),
          '--set-as-default',
        ),
        cli.json<{ Role: Role }>('get-role', '--role-name', roleName),
        cli.error('delete-role', '--role-name', roleName),
        cli.error('delete-policy', '--policy-arn', policyArn),
      ])
      expect(attached.AttachedPolicies).toEqual([{ PolicyName: policyName, PolicyArn: policyArn }])
      expect(version.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true })
      expect(got.Role).toMatchObject({
        RoleName: roleName,
        AssumeRolePolicyDocument: TRUST_EC2,
        MaxSessionDuration: 7200,
        Description: 'app role',
        Tags: [{ Key: 'env', Value: 'prod' }],
      })
      expect(roleConflict).toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must detach all policies first.',
      })
      expect(policyConflict).toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete a policy attached to entities.',
      })

      const [policy, document, defaultConflict, noRole] = await Promise.all([
        cli.json<{ Policy: Policy }>('get-policy', '--policy-arn', policyArn),
        cli.json<{ PolicyVersion: { Document: unknown; VersionId: string } }>(
          'get-policy-version',
          '--policy-arn',
          policyArn,
          '--version-id',
          'v2',
        ),
        cli.error('delete-policy-version', '--policy-arn', policyArn, '--version-id', 'v2'),
        cli.error('get-role', '--role-name', `${roleName}-absent`),
      ])
      expect(noRole).toEqual({
        code: 'NoSuchEntity',
        message: `The role with name ${roleName}-absent cannot be found.`,
      })
      expect(policy.Policy).toMatchObject({ DefaultVersionId: 'v2', AttachmentCount: 1 })
      expect(document.PolicyVersion.Document).toEqual(v2)
      expect(defaultConflict).toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete the default version of a policy.',
      })

      await cli.json('detach-role-policy', '--role-name', roleName, '--policy-arn', policyArn)
      await Promise.all([
        cli.json('delete-role', '--role-name', roleName),
        cli.json('delete-policy-version', '--policy-arn', policyArn, '--version-id', 'v1'),
      ])
      await cli.json('delete-policy', '--policy-arn', policyArn)
      const gonePolicy = await cli.error('get-policy', '--policy-arn', policyArn)
      expect(gonePolicy).toEqual({ code: 'NoSuchEntity', message: `Policy ${policyArn} was not found.` })
    },
    SLOW,
  )
})

describe('aws iam: OpenID Connect providers', () => {
  it(
    'creates, reads, lists and deletes a provider',
    async () => {
      const host = `${iamName('issuer')}.example.com`
      const thumbprint = 'a'.repeat(40)
      const { OpenIDConnectProviderArn: arn } = await cli.json<{ OpenIDConnectProviderArn: string }>(
        'create-open-id-connect-provider',
        '--url',
        `https://${host}/tenant`,
        '--client-id-list',
        'sts.amazonaws.com',
        '--thumbprint-list',
        thumbprint,
      )
      expect(arn).toBe(`arn:aws:iam::000000000000:oidc-provider/${host}/tenant`)
      const [got, listed] = await Promise.all([
        cli.json<{ Url: string; ClientIDList: string[]; ThumbprintList: string[] }>(
          'get-open-id-connect-provider',
          '--open-id-connect-provider-arn',
          arn,
        ),
        cli.json<{ OpenIDConnectProviderList: { Arn: string }[] }>('list-open-id-connect-providers'),
      ])
      expect(got).toMatchObject({
        Url: `${host}/tenant`,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: [thumbprint],
      })
      expect(listed.OpenIDConnectProviderList).toContainEqual({ Arn: arn })
      await cli.json('delete-open-id-connect-provider', '--open-id-connect-provider-arn', arn)
    },
    SLOW,
  )
})
