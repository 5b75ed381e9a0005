import { describe, expect, it } from 'vitest'
import { FileError, parseApplyFile } from './file.js'
import { MANAGED_TAG, type CurrentState } from './model.js'
import { PlanError, planChanges, tagDiff } from './plan.js'
import { describeStep } from './steps.js'

const EMPTY: CurrentState = { policies: [], users: [], roles: [], oidcProviders: [] }
const ALLOW =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
const TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
const MANAGED = { [MANAGED_TAG.Key]: MANAGED_TAG.Value }

const FILE = `
policies:
  app-read:
    path: /app/
    document:
      Version: '2012-10-17'
      Statement:
        - {Effect: Allow, Action: s3:GetObject, Resource: '*'}
users:
  ci:
    path: /ci/
    tags: {team: platform}
    inlinePolicies:
      read: '${ALLOW}'
    attachedPolicies: [app-read]
roles:
  app:
    maxSessionDuration: 7200
    trustPolicy: '${TRUST}'
    attachedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
    permissionsBoundary: app-read
oidcProviders:
  - url: https://Token.Example.com/tenant
    clientIds: [sts.amazonaws.com]
`

const lines = (state: CurrentState, file = FILE) =>
  planChanges(parseApplyFile(file), state).steps.map(describeStep)

describe('iam apply file', () => {
  it('reads policies, principals and providers with their defaults', () => {
    const desired = parseApplyFile(FILE)
    expect(desired.policies).toEqual([{ name: 'app-read', path: '/app/', document: ALLOW }])
    expect(desired.users[0]).toMatchObject({
      name: 'ci',
      path: '/ci/',
      tags: { team: 'platform' },
      attach: [{ name: 'app-read' }],
    })
    expect(desired.roles[0]).toMatchObject({
      path: '/',
      maxSessionDuration: 7200,
      trust: TRUST,
      boundary: { name: 'app-read' },
    })
    expect(desired.oidcProviders).toEqual([
      { url: 'https://Token.Example.com/tenant', clientIds: ['sts.amazonaws.com'], thumbprints: [] },
    ])
  })

  it('lists every problem with where it is', () => {
    const bad = `
users:
  'a b': {path: nope, colour: red, tags: {coffer:managed-by: x}}
roles:
  r: {maxSessionDuration: 60}
extra: 1
`
    let problems: readonly string[] = []
    try {
      parseApplyFile(bad)
    } catch (error) {
      problems = (error as FileError).problems
    }
    expect(problems).toEqual([
      'extra: unknown section',
      'users.a b: names are 1-64 characters of letters, digits and +=,.@_-',
      'users.a b.colour: unknown setting',
      'users.a b.path: must be / or /a/b/ (starting and ending with /)',
      'users.a b.tags.coffer:managed-by: reserved for iam apply',
      'roles.r.maxSessionDuration: seconds between 3600 and 43200',
      'roles.r.trustPolicy: required',
      'roles.r.trustPolicy: a policy document (a mapping, or JSON text) is required',
    ])
  })
})

describe('iam apply plan', () => {
  it('creates everything in dependency order on an empty account', () => {
    expect(lines(EMPTY)).toEqual([
      '+ create oidc-provider https://Token.Example.com/tenant',
      '+ create policy app-read',
      '+ create user ci',
      '+ put user ci inline policy read',
      '+ attach policy app-read to user ci',
      '+ create role app',
      '+ attach policy arn:aws:iam::aws:policy/AdministratorAccess to role app',
    ])
  })

  it('finds nothing to do when the account matches, whatever the document formatting', () => {
    const policyArn = 'arn:aws:iam::000000000000:policy/app/app-read'
    const state: CurrentState = {
      policies: [
        {
          name: 'app-read',
          arn: policyArn,
          path: '/app/',
          managed: true,
          document: JSON.stringify(JSON.parse(ALLOW), null, 2),
          versions: [{ id: 'v1', isDefault: true }],
        },
      ],
      users: [
        {
          name: 'CI',
          arn: 'u',
          path: '/ci/',
          managed: true,
          tags: { team: 'platform', ...MANAGED },
          inline: new Map([['read', ALLOW]]),
          attached: [policyArn],
          accessKeys: ['AKIA1'],
        },
      ],
      roles: [
        {
          name: 'app',
          arn: 'r',
          path: '/',
          managed: true,
          tags: MANAGED,
          boundary: policyArn,
          inline: new Map(),
          attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          maxSessionDuration: 7200,
          trust: TRUST,
        },
      ],
      oidcProviders: [
        {
          arn: 'o',
          url: 'token.example.com/tenant',
          clientIds: ['sts.amazonaws.com'],
          thumbprints: [],
          managed: true,
        },
      ],
    }
    expect(lines(state)).toEqual([])
  })

  it('updates what differs and deletes only managed entities no longer declared', () => {
    const state: CurrentState = {
      policies: [
        {
          name: 'app-read',
          arn: 'arn:p',
          path: '/app/',
          managed: false,
          document: '{"Version":"2012-10-17","Statement":[]}',
          versions: ['v1', 'v2', 'v3', 'v4', 'v5'].map((id) => ({ id, isDefault: id === 'v3' })),
        },
        {
          name: 'old',
          arn: 'arn:old',
          path: '/',
          managed: true,
          versions: [
            { id: 'v1', isDefault: false },
            { id: 'v2', isDefault: true },
          ],
        },
        { name: 'handmade', arn: 'arn:hand', path: '/', managed: false, versions: [] },
      ],
      users: [
        {
          name: 'ci',
          arn: 'u',
          path: '/',
          managed: false,
          tags: { Team: 'x', old: 'y' },
          inline: new Map([['stale', ALLOW]]),
          attached: ['arn:hand'],
          accessKeys: [],
        },
        {
          name: 'gone',
          arn: 'g',
          path: '/',
          managed: true,
          tags: MANAGED,
          inline: new Map([['p', ALLOW]]),
          attached: [],
          accessKeys: ['AKIA1'],
        },
        {
          name: 'admin',
          arn: 'a',
          path: '/',
          managed: false,
          tags: {},
          inline: new Map(),
          attached: [],
          accessKeys: ['AKIA2'],
        },
      ],
      roles: [
        {
          name: 'app',
          arn: 'r',
          path: '/',
          managed: true,
          tags: MANAGED,
          inline: new Map(),
          attached: [],
          maxSessionDuration: 3600,
          trust: ALLOW,
          description: 'd',
        },
      ],
      oidcProviders: [
        {
          arn: 'arn:o',
          url: 'token.example.com/tenant',
          clientIds: ['other'],
          thumbprints: [],
          managed: true,
        },
      ],
    }
    expect(lines(state)).toEqual([
      '~ replace oidc-provider https://Token.Example.com/tenant (client ids)',
      '~ update policy app-read (new default version, deleting v1)',
      '~ update user ci: path / -> /ci/',
      `~ update user ci: tags +team=platform +${MANAGED_TAG.Key}=${MANAGED_TAG.Value} -old`,
      '+ put user ci inline policy read',
      '- delete user ci inline policy stale',
      '+ attach policy app-read to user ci',
      '- detach policy arn:hand from user ci',
      '~ update role app: description, max session duration 3600 -> 7200',
      '~ update role app: trust policy',
      '~ update role app: permissions boundary -> app-read',
      '+ attach policy arn:aws:iam::aws:policy/AdministratorAccess to role app',
      '- delete user gone (with 1 access key, 1 inline policy)',
      '- delete policy old',
    ])
  })

  it('refuses to move roles or policies and to name unknown policies', () => {
    const state: CurrentState = {
      ...EMPTY,
      policies: [
        { name: 'app-read', arn: 'arn:p', path: '/other/', managed: true, document: ALLOW, versions: [] },
      ],
      roles: [
        {
          name: 'app',
          arn: 'r',
          path: '/x/',
          managed: true,
          tags: MANAGED,
          inline: new Map(),
          attached: [],
          maxSessionDuration: 7200,
          trust: TRUST,
        },
      ],
    }
    const file = FILE.replace('users:\n', 'users:\n  extra:\n    attachedPolicies: [missing]\n')
    const error = (() => {
      try {
        planChanges(parseApplyFile(file), state)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(PlanError)
    expect((error as PlanError).problems).toEqual([
      'policies.app-read.path: IAM cannot move a policy (/other/ -> /app/); delete it first',
      'users.extra.attachedPolicies[0]: policy missing is neither declared in the file nor exists in the account',
      'roles.app.path: IAM cannot move a role (/x/ -> /); delete it first',
    ])
  })

  it('compares tag keys ignoring case', () => {
    expect(tagDiff({ Team: 'a', x: '1' }, { team: 'a', X: '1' })).toEqual({
      add: { team: 'a', X: '1' },
      remove: [],
    })
    expect(tagDiff({ team: 'a', gone: '1' }, { team: 'a' })).toEqual({ add: {}, remove: ['gone'] })
  })
})
