import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteOpenIDConnectProviderCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteUserPermissionsBoundaryCommand,
  DetachUserPolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  paginateListUsers,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { ADMINISTRATOR_ACCESS, ALLOW_S3, expectIamError, iamClient, iamName, TRUST_EC2 } from './support.js'

/**
 * The IAM API through the official JS SDK v3, which (unlike the CLI) hands policy documents over
 * URL-encoded, as IAM sends them.
 */

const ACCOUNT = '000000000000'
const doc = (action: string) =>
  JSON.stringify({ ...ALLOW_S3, Statement: [{ ...ALLOW_S3.Statement[0], Action: action }] })

let server: TestServer
let iam: IAMClient

beforeAll(async () => {
  server = await startServer()
  iam = iamClient(server)
})

afterAll(async () => {
  iam?.destroy()
  await server?.stop({ cleanup: true })
})

describe('users', () => {
  it('pages through users under a path with Marker, MaxItems and IsTruncated', async () => {
    const path = `/${iamName('page')}/`
    const base = iamName('u')
    const names = Array.from({ length: 5 }, (_, i) => `${base}-${i}`)
    await Promise.all(names.map((UserName) => iam.send(new CreateUserCommand({ UserName, Path: path }))))
    const first = await iam.send(new ListUsersCommand({ PathPrefix: path, MaxItems: 2 }))
    expect(first.Users?.map((u) => u.UserName)).toEqual(names.slice(0, 2))
    expect(first.IsTruncated).toBe(true)
    expect(first.Users?.[0]).not.toHaveProperty('Tags')
    const second = await iam.send(
      new ListUsersCommand({ PathPrefix: path, MaxItems: 2, Marker: first.Marker }),
    )
    expect(second.Users?.map((u) => u.UserName)).toEqual(names.slice(2, 4))
    const all: string[] = []
    for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, { PathPrefix: path }))
      all.push(...(page.Users ?? []).map((u) => u.UserName ?? ''))
    expect(all).toEqual(names)
    const everything = await iam.send(new ListUsersCommand({}))
    expect(everything.IsTruncated).toBe(false)
    expect(everything.Users?.map((u) => u.UserName)).toContain('admin')
  })

  it('renames and moves a user (its ARN follows) and refuses a name taken ignoring case', async () => {
    const name = iamName('rename')
    const other = iamName('taken')
    await Promise.all([
      iam.send(new CreateUserCommand({ UserName: name })),
      iam.send(new CreateUserCommand({ UserName: other })),
    ])
    await iam.send(new UpdateUserCommand({ UserName: name, NewUserName: `${name}-2`, NewPath: '/moved/' }))
    const { User } = await iam.send(new GetUserCommand({ UserName: `${name}-2` }))
    expect(User).toMatchObject({ Path: '/moved/', Arn: `arn:aws:iam::${ACCOUNT}:user/moved/${name}-2` })
    await expectIamError(
      iam.send(new UpdateUserCommand({ UserName: `${name}-2`, NewUserName: other.toUpperCase() })),
      'EntityAlreadyExists',
      409,
      `User with name ${other.toUpperCase()} already exists.`,
    )
    await expectIamError(iam.send(new GetUserCommand({ UserName: name })), 'NoSuchEntity', 404)
  })

  it('tags users: overwrite ignoring key case, remove, refuse duplicate keys and more than 50', async () => {
    const name = iamName('tags')
    await iam.send(new CreateUserCommand({ UserName: name, Tags: [{ Key: 'Team', Value: 'a' }] }))
    await iam.send(
      new TagUserCommand({
        UserName: name,
        Tags: [
          { Key: 'team', Value: 'b' },
          { Key: 'env', Value: 'x' },
        ],
      }),
    )
    expect((await iam.send(new ListUserTagsCommand({ UserName: name }))).Tags).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'x' },
    ])
    await iam.send(new UntagUserCommand({ UserName: name, TagKeys: ['ENV', 'absent'] }))
    expect((await iam.send(new GetUserCommand({ UserName: name }))).User?.Tags).toEqual([
      { Key: 'team', Value: 'b' },
    ])
    await expectIamError(
      iam.send(
        new TagUserCommand({
          UserName: name,
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'A', Value: '2' },
          ],
        }),
      ),
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    )
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    await expectIamError(iam.send(new TagUserCommand({ UserName: name, Tags: many })), 'LimitExceeded', 409)
    const page = await iam.send(new ListUserTagsCommand({ UserName: name, MaxItems: 1 }))
    expect(page).toMatchObject({ Tags: [{ Key: 'team', Value: 'b' }], IsTruncated: false })
  })

  it('issues access keys that authenticate as the user (STS GetCallerIdentity needs no permission)', async () => {
    const name = iamName('keys')
    const { User } = await iam.send(new CreateUserCommand({ UserName: name }))
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }))
    const sts = new STSClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      credentials: {
        accessKeyId: AccessKey?.AccessKeyId ?? '',
        secretAccessKey: AccessKey?.SecretAccessKey ?? '',
      },
      maxAttempts: 1,
    })
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}))
      expect(identity).toMatchObject({ Arn: User?.Arn, UserId: User?.UserId, Account: ACCOUNT })
    } finally {
      sts.destroy()
    }
  })
})

describe('managed policies', () => {
  it('keeps at most 5 versions, never reuses a version id, and needs non-default versions gone before deletion', async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: iamName('versions'),
        PolicyDocument: doc('s3:GetObject'),
        Description: 'd',
      }),
    )
    const arn = Policy?.Arn ?? ''
    for (let i = 2; i <= 5; i++) {
      const { PolicyVersion } = await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: doc(`s3:Get${i}`),
          SetAsDefault: i === 3,
        }),
      )
      expect(PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 })
      expect(PolicyVersion).not.toHaveProperty('Document')
    }
    await expectIamError(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:Get6') })),
      'LimitExceeded',
      409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    )
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }))
    const { PolicyVersion } = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:Get6') }),
    )
    expect(PolicyVersion?.VersionId).toBe('v6')
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v6', false],
      ['v4', false],
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ])
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }))
    const got = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }))
    expect(got.PolicyVersion?.Document).toBe(encodeURIComponent(doc('s3:Get6')))
    expect(decodeURIComponent(got.PolicyVersion?.Document ?? '')).toBe(doc('s3:Get6'))
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy).toMatchObject({
      DefaultVersionId: 'v6',
      Description: 'd',
      IsAttachable: true,
    })
    await expectIamError(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 409)
    for (const VersionId of ['v1', 'v2', 'v3', 'v4'])
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId }))
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }))
    await expectIamError(
      iam.send(new GetPolicyCommand({ PolicyArn: arn })),
      'NoSuchEntity',
      404,
      `Policy ${arn} was not found.`,
    )
  })

  it('lists AWS-managed and local policies by scope, attached ones only on request', async () => {
    const name = iamName('scope')
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: name, PolicyDocument: doc('s3:*'), Path: '/scope/' }),
    )
    const names = async (input: ConstructorParameters<typeof ListPoliciesCommand>[0]) =>
      ((await iam.send(new ListPoliciesCommand({ ...input, MaxItems: 1000 }))).Policies ?? []).map(
        (p) => p.Arn,
      )
    expect(await names({ Scope: 'AWS' })).toEqual([ADMINISTRATOR_ACCESS])
    expect(await names({ Scope: 'Local', PathPrefix: '/scope/' })).toEqual([Policy?.Arn])
    const all = await names({})
    expect(all).toContain(ADMINISTRATOR_ACCESS)
    expect(all).toContain(Policy?.Arn)
    const attached = await names({ OnlyAttached: true })
    expect(attached).toContain(ADMINISTRATOR_ACCESS)
    expect(attached).not.toContain(Policy?.Arn)
  })

  it('attaches the account’s and AWS-managed policies to users, and refuses unknown or malformed ARNs', async () => {
    const name = iamName('attach')
    await iam.send(new CreateUserCommand({ UserName: name }))
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS }))
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS }))
    expect(
      (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: ADMINISTRATOR_ACCESS }])
    const unknown = `arn:aws:iam::${ACCOUNT}:policy/${name}-absent`
    await expectIamError(
      iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: unknown })),
      'NoSuchEntity',
      404,
      `Policy ${unknown} does not exist or is not attachable.`,
    )
    await expectIamError(
      iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy' })),
      'InvalidInput',
      400,
      'ARN arn:aws:iam::aws:policy is not valid.',
    )
    await iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS }))
    await expectIamError(
      iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS })),
      'NoSuchEntity',
      404,
      `Policy ${ADMINISTRATOR_ACCESS} was not found.`,
    )
  })

  it('limits inline policy size per user (whitespace not counted) and returns documents URL-encoded', async () => {
    const name = iamName('inline')
    await iam.send(new CreateUserCommand({ UserName: name }))
    const spaced = JSON.stringify(ALLOW_S3, null, 8)
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'a', PolicyDocument: spaced }))
    const big = doc(`s3:${'x'.repeat(2000)}`)
    await expectIamError(
      iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'b', PolicyDocument: big })),
      'LimitExceeded',
      409,
      `Maximum policy size of 2048 bytes exceeded for user ${name}`,
    )
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: name }))).PolicyNames).toEqual(['a'])
    await expectIamError(
      iam.send(
        new PutUserPolicyCommand({
          UserName: name,
          PolicyName: 'c',
          PolicyDocument: JSON.stringify({
            ...ALLOW_S3,
            Statement: [{ ...ALLOW_S3.Statement[0], Principal: '*' }],
          }),
        }),
      ),
      'MalformedPolicyDocument',
      400,
      'Policy document should not specify a principal.',
    )
  })
})

describe('roles and boundaries', () => {
  it('updates a role’s description, session duration and trust policy, validating each', async () => {
    const name = iamName('role')
    await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(TRUST_EC2) }),
    )
    await iam.send(new UpdateRoleCommand({ RoleName: name, Description: 'new', MaxSessionDuration: 43200 }))
    const trust = {
      ...TRUST_EC2,
      Statement: [{ ...TRUST_EC2.Statement[0], Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }],
    }
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(trust) }),
    )
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }))
    expect(Role).toMatchObject({ Description: 'new', MaxSessionDuration: 43200, RoleLastUsed: {} })
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual(trust)
    // The model's range check (generated validator): AWS's query services call it ValidationError; the
    // HTTP layer decides the code for generated validation errors.
    await expectIamError(
      iam.send(new UpdateRoleCommand({ RoleName: name, MaxSessionDuration: 100 })),
      /^Validation(Error|Exception)$/,
      400,
      /Member must have value greater than or equal to 3600/,
    )
    await expectIamError(
      iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(ALLOW_S3) }),
      ),
      'MalformedPolicyDocument',
      400,
    )
    const listed = await iam.send(new ListRolesCommand({ MaxItems: 1000 }))
    const entry = listed.Roles?.find((r) => r.RoleName === name)
    expect(entry).toMatchObject({ Description: 'new', MaxSessionDuration: 43200 })
    expect(entry).not.toHaveProperty('RoleLastUsed')
  })

  it('sets and removes permissions boundaries, counted on the policy', async () => {
    const user = iamName('bounded')
    const role = iamName('bounded-role')
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: iamName('boundary'), PolicyDocument: doc('s3:*') }),
    )
    const arn = Policy?.Arn ?? ''
    await iam.send(new CreateUserCommand({ UserName: user, PermissionsBoundary: ADMINISTRATOR_ACCESS }))
    expect((await iam.send(new GetUserCommand({ UserName: user }))).User?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: ADMINISTRATOR_ACCESS,
    })
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: user, PermissionsBoundary: arn }))
    await iam.send(
      new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify(TRUST_EC2) }),
    )
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: role, PermissionsBoundary: arn }))
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.PermissionsBoundaryUsageCount,
    ).toBe(2)
    await expectIamError(
      iam.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: role, PermissionsBoundary: `${arn}-absent` }),
      ),
      'NoSuchEntity',
      404,
      `Scope ARN: ${arn}-absent does not exist or is not attachable.`,
    )
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: user }))
    expect((await iam.send(new GetUserCommand({ UserName: user }))).User).not.toHaveProperty(
      'PermissionsBoundary',
    )
    expect(
      (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.PermissionsBoundaryUsageCount,
    ).toBe(1)
  })
})

describe('OpenID Connect providers', () => {
  it('creates one provider per URL, with tags, and deletes idempotently', async () => {
    const host = `${iamName('idp')}.example.com`
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${host}`,
        ClientIDList: ['sts.amazonaws.com', 'app', 'app'],
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    )
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`
    expect(created).toMatchObject({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'k', Value: 'v' }] })
    await expectIamError(
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${host}`, ClientIDList: ['x'] })),
      'EntityAlreadyExists',
      409,
    )
    await expectIamError(
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: `http://${host}`, ClientIDList: ['x'] })),
      'InvalidInput',
      400,
    )
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))
    expect(got).toMatchObject({ Url: host, ClientIDList: ['sts.amazonaws.com', 'app'], ThumbprintList: [] })
    expect(got.CreateDate).toBeInstanceOf(Date)
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}))
    expect(listed.OpenIDConnectProviderList).toContainEqual({ Arn: arn })
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))
    await expectIamError(
      iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
      'NoSuchEntity',
      404,
      `OpenIDConnect Provider not found for arn ${arn}`,
    )
  })
})
