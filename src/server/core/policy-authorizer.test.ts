import { describe, expect, it } from 'vitest'
import { AccessDeniedException, AwsError } from '../../lib/aws/errors.js'
import { toQueryError } from '../http/query-errors.js'
import type { EntityPolicies, PolicyEntity, PolicySource } from '../services/iam/policy-source.js'
import type { Principal, PrincipalSession } from '../services/iam/principal.js'
import type { Freshness } from '../storage/freshness.js'
import { AuthorizationContext } from './authorization-context.js'
import type { AuthorizationTarget } from './authorize.js'
import type { RequestContext } from './context.js'
import { PolicyAuthorizer } from './policy-authorizer.js'

const ACCOUNT = '123456789012'
const OTHER = '210987654321'
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/db-AbCdEf`
const GET = 'secretsmanager:GetSecretValue'
const PUT = 'secretsmanager:PutSecretValue'
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app`
const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const allow = (Action: string | string[], extra: object = {}) => ({
  Effect: 'Allow',
  Action,
  Resource: '*',
  ...extra,
})
const deny = (Action: string | string[], extra: object = {}) => ({
  Effect: 'Deny',
  Action,
  Resource: '*',
  ...extra,
})

class FakeSource implements PolicySource {
  readonly entities = new Map<string, EntityPolicies>()
  calls = 0
  async policiesOf(entity: PolicyEntity): Promise<EntityPolicies | undefined> {
    this.calls++
    return this.entities.get(`${entity.kind}:${entity.id}`)
  }
}

class FakeFreshness implements Freshness {
  private readonly listeners: (() => void)[] = []
  subscribe(onChange: () => void): void {
    this.listeners.push(onChange)
  }
  change(): void {
    for (const listener of this.listeners) listener()
  }
}

function setup() {
  const source = new FakeSource()
  const freshness = new FakeFreshness()
  const authorizer = new PolicyAuthorizer({ source, freshness }, { maxEntities: 100 })
  const check = (principal: Principal, action: string, target: AuthorizationTarget = { resource: SECRET }) =>
    authorizer.check(context(principal), action, target)
  return { source, freshness, authorizer, check }
}

function context(principal: Principal, overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: 'r',
    principal,
    region: 'us-east-1',
    now: Date.parse('2030-01-02T03:04:05Z'),
    sourceIp: '::ffff:10.1.2.3',
    userAgent: undefined,
    authorize: async () => {},
    ...overrides,
  }
}

const user = (name = 'alice', id = 'AIDAALICE'): Principal => ({
  type: 'IAMUser',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  principalArn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  principalId: id,
  accessKeyId: 'AKIA',
  userName: name,
  entity: { kind: 'user', id },
})

const roleSession = (session: Partial<PrincipalSession> = {}): Principal => ({
  type: 'AssumedRole',
  accountId: ACCOUNT,
  arn: SESSION_ARN,
  principalArn: ROLE_ARN,
  principalId: 'AROAAPP:s1',
  accessKeyId: 'ASIA',
  entity: { kind: 'role', id: 'AROAAPP' },
  session: { policies: [], tags: {}, transitiveTagKeys: [], expiresAt: 0, chained: false, ...session },
})

const root = (accountId = ACCOUNT): Principal => ({
  type: 'Root',
  accountId,
  arn: `arn:aws:iam::${accountId}:root`,
  principalArn: `arn:aws:iam::${accountId}:root`,
  principalId: accountId,
  accessKeyId: 'AKIA',
})

async function denial(promise: Promise<void>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AccessDeniedException)
  return (error as AccessDeniedException).message
}

describe('PolicyAuthorizer', () => {
  it('identity policies: implicit and explicit deny messages', async () => {
    const { source, check } = setup()
    source.entities.set('user:AIDAALICE', {
      identity: [doc(allow('secretsmanager:*')), doc(deny(PUT))],
      tags: {},
    })
    await check(user(), GET)
    expect(await denial(check(user(), PUT))).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: ${PUT} on resource: ${SECRET} with an explicit deny in an identity-based policy`,
    )
    expect(await denial(check(user(), 'kms:Decrypt'))).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: kms:Decrypt on resource: ${SECRET} because no identity-based policy allows the kms:Decrypt action`,
    )
    expect(await denial(check(user(), 'iam:ListUsers', { resource: '*' }))).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action`,
    )
  })

  it('an unknown entity (deleted user) has no permissions', async () => {
    const { check } = setup()
    await denial(check(user('ghost', 'AIDAGHOST'), GET))
  })

  it('session policies narrower than the role limit it', async () => {
    const { source, check } = setup()
    source.entities.set('role:AROAAPP', { identity: [doc(allow('secretsmanager:*'))], tags: {} })
    const session = roleSession({ policies: [doc(allow(GET))] })
    await check(session, GET)
    expect(await denial(check(session, PUT))).toBe(
      `User: ${SESSION_ARN} is not authorized to perform: ${PUT} on resource: ${SECRET} because no session policy allows the ${PUT} action`,
    )
  })

  it('session policies wider than the role grant nothing more', async () => {
    const { source, check } = setup()
    source.entities.set('role:AROAAPP', { identity: [doc(allow(GET))], tags: {} })
    const session = roleSession({ policies: [doc(allow('*'))] })
    await check(session, GET)
    expect(await denial(check(session, PUT))).toBe(
      `User: ${SESSION_ARN} is not authorized to perform: ${PUT} on resource: ${SECRET} because no identity-based policy allows the ${PUT} action`,
    )
  })

  it('an explicit deny in a session policy', async () => {
    const { source, check } = setup()
    source.entities.set('role:AROAAPP', { identity: [doc(allow('*'))], tags: {} })
    const session = roleSession({ policies: [doc(allow('*'), deny(GET))] })
    expect(await denial(check(session, GET))).toMatch(/with an explicit deny in a session policy$/)
  })

  it('a session without session policies has the role’s permissions', async () => {
    const { source, check } = setup()
    source.entities.set('role:AROAAPP', { identity: [doc(allow('*'))], tags: {} })
    await check(roleSession(), PUT)
  })

  it('permissions boundary: implicit and explicit denials', async () => {
    const { source, check } = setup()
    source.entities.set('user:AIDAALICE', {
      identity: [doc(allow('*'))],
      boundary: doc(allow('secretsmanager:*'), deny(PUT)),
      tags: {},
    })
    await check(user(), GET)
    expect(await denial(check(user(), PUT))).toMatch(/with an explicit deny in a permissions boundary$/)
    expect(await denial(check(user(), 'kms:Decrypt'))).toMatch(
      /because no permissions boundary allows the kms:Decrypt action$/,
    )
  })

  it('resource policies: grants, explicit denies, and the message when none grants', async () => {
    const { check } = setup()
    const grant = doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
      Action: GET,
      Resource: '*',
    })
    await check(user(), GET, { resource: SECRET, resourcePolicy: grant })
    const fence = doc({ Effect: 'Deny', Principal: '*', Action: GET, Resource: '*' })
    expect(await denial(check(root(), GET, { resource: SECRET, resourcePolicy: fence }))).toBe(
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: ${GET} on resource: ${SECRET} with an explicit deny in a resource-based policy`,
    )
  })

  it('a refused role (trust policy) gets STS’s message, without a reason', async () => {
    const { source, check } = setup()
    source.entities.set('user:AIDAALICE', { identity: [doc(allow('sts:AssumeRole'))], tags: {} })
    const role = `arn:aws:iam::${ACCOUNT}:role/app`
    const trust = doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` },
      Action: 'sts:AssumeRole',
    })
    expect(
      await denial(
        check(user(), 'sts:AssumeRole', {
          resource: role,
          resourcePolicy: trust,
          resourcePolicyKind: 'trust',
        }),
      ),
    ).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role}`,
    )
  })

  it('the account root may do anything in its own account, nothing elsewhere without a grant', async () => {
    const { source, check } = setup()
    await check(root(), PUT)
    const foreign = { resource: SECRET.replace(ACCOUNT, OTHER), resourceAccountId: OTHER }
    expect(await denial(check(root(), GET, foreign))).toMatch(/because no resource-based policy allows/)
    const grant = doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: GET, Resource: '*' })
    await check(root(), GET, { ...foreign, resourcePolicy: grant })
    expect(source.calls).toBe(0)
  })

  it('the anonymous caller (AssumeRoleWithWebIdentity) is no root', async () => {
    const { check } = setup()
    const anonymous: Principal = { ...root(), arn: 'anonymous', principalArn: 'anonymous' }
    await denial(check(anonymous, GET))
  })

  it('remembers compiled policies until stored data changes', async () => {
    const { source, freshness, check } = setup()
    source.entities.set('user:AIDAALICE', { identity: [doc(allow(GET))], tags: {} })
    const alice = user()
    await check(alice, GET)
    await check(alice, GET)
    await denial(check(alice, PUT))
    expect(source.calls).toBe(1)
    source.entities.set('user:AIDAALICE', { identity: [doc(allow(PUT))], tags: {} })
    await check(alice, GET)
    freshness.change()
    await denial(check(alice, GET))
    await check(alice, PUT)
    expect(source.calls).toBe(2)
  })

  it('a stored policy that does not compile denies everything (fails closed)', async () => {
    const { source, check } = setup()
    source.entities.set('user:AIDAALICE', { identity: [doc(allow('*')), '{"Statement": 42}'], tags: {} })
    expect(await denial(check(user(), GET))).toMatch(/with an explicit deny in an identity-based policy$/)
  })

  it('global condition keys: SourceIp (IPv4-mapped), CurrentTime, SecureTransport, variables', async () => {
    const { source, check } = setup()
    source.entities.set('user:AIDAALICE', {
      identity: [
        doc(
          allow(GET, {
            Resource: 'arn:aws:secretsmanager:*:*:secret:app/*',
            Condition: {
              IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
              DateLessThan: { 'aws:CurrentTime': '2031-01-01T00:00:00Z' },
              StringEquals: { 'aws:PrincipalTag/team': 'app', 'aws:username': '${aws:username}' },
            },
          }),
          deny(PUT, { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          allow(PUT),
        ),
      ],
      tags: { Team: 'app' },
    })
    await check(user(), GET)
    expect(await denial(check(user(), PUT))).toMatch(/explicit deny in an identity-based policy$/)
  })

  it('principal tags: session tags override the role’s own', async () => {
    const { source, check } = setup()
    const onlyFor = (team: string) =>
      doc(allow(GET, { Condition: { StringEquals: { 'aws:PrincipalTag/team': team } } }))
    source.entities.set('role:AROAAPP', { identity: [onlyFor('blue')], tags: { team: 'red' } })
    await denial(check(roleSession(), GET))
    await check(roleSession({ tags: { Team: 'blue' } }), GET)
  })

  it('resource tags under aws:ResourceTag and the service’s alias; target keys', async () => {
    const { source, check } = setup()
    source.entities.set('user:AIDAALICE', {
      identity: [
        doc(
          allow(GET, { Condition: { StringEquals: { 'secretsmanager:ResourceTag/Env': 'prod' } } }),
          allow(PUT, {
            Condition: {
              StringEquals: { 'aws:ResourceTag/env': 'prod', 'secretsmanager:VersionStage': 'X' },
            },
          }),
        ),
      ],
      tags: {},
    })
    const tagged = { resource: SECRET, resourceTags: [{ Key: 'env', Value: 'prod' }] }
    await check(user(), GET, tagged)
    await denial(check(user(), GET, { resource: SECRET }))
    await denial(check(user(), PUT, tagged))
    await check(user(), PUT, { ...tagged, context: new Map([['secretsmanager:versionstage', 'X']]) })
  })
})

describe('AuthorizationContext', () => {
  it('exposes every layer as one map', () => {
    const principal = new Map([['aws:username', 'alice']])
    const ctx = new AuthorizationContext(
      principal,
      { now: 1_000_000, sourceIp: '::ffff:192.0.2.1', region: 'eu-west-1' },
      { resource: SECRET, resourceTags: [{ Key: 'Env', Value: 'prod' }], context: new Map([['x:y', 'z']]) },
      ACCOUNT,
      GET,
    )
    expect(Object.fromEntries(ctx)).toEqual({
      'aws:username': 'alice',
      'aws:sourceip': '192.0.2.1',
      'aws:currenttime': '1970-01-01T00:16:40Z',
      'aws:epochtime': '1000',
      'aws:requestedregion': 'eu-west-1',
      'aws:resourceaccount': ACCOUNT,
      'aws:resourcetag/env': 'prod',
      'secretsmanager:resourcetag/env': 'prod',
      'x:y': 'z',
    })
    expect(ctx.get('aws:multifactorauthpresent')).toBeUndefined()
  })
})

describe('query protocols', () => {
  it('answer AccessDenied with status 403', () => {
    const mapped = toQueryError(new AccessDeniedException('m'))
    expect(mapped).toBeInstanceOf(AwsError)
    expect({ code: mapped.code, status: mapped.status, message: mapped.message }).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: 'm',
    })
  })
})
