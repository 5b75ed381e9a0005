import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { assumedRoleArn, parseRoleArn, providerKey } from './arns.js'
import { checkPatterns, requireRoleArn } from './input.js'
import { packedPolicySize } from './session-policies.js'
import { checkRequestedTags, inheritedTags, sessionTags, tagContext } from './session-tags.js'

describe('STS ARNs', () => {
  it('parses role ARNs with paths and refuses everything else', () => {
    expect(parseRoleArn('arn:aws:iam::111122223333:role/ci/deploy/Deployer')).toEqual({
      partition: 'aws',
      accountId: '111122223333',
      path: '/ci/deploy/',
      roleName: 'Deployer',
    })
    expect(parseRoleArn('arn:aws:iam::111122223333:role/Deployer')?.path).toBe('/')
    for (const bad of [
      'arn:aws:iam::111122223333:user/Deployer',
      'arn:aws:iam::11112222333:role/Deployer',
      'arn:aws:sts::111122223333:role/Deployer',
      'arn:aws:iam::111122223333:role/',
      'arn:aws:iam::111122223333:role/bad:name',
    ]) {
      expect(parseRoleArn(bad), bad).toBeUndefined()
    }
    expect(() => requireRoleArn('nope-nope-nope-nope-nope')).toThrow('nope-nope-nope-nope-nope is invalid')
    expect(assumedRoleArn('111122223333', 'Deployer', 's')).toBe(
      'arn:aws:sts::111122223333:assumed-role/Deployer/s',
    )
  })

  it('compares provider URLs by host (any case) and path', () => {
    expect(providerKey('https://OIDC.eks.example.com/id/ABC/')).toBe('oidc.eks.example.com/id/ABC')
    expect(providerKey('token.actions.githubusercontent.com')).toBe('token.actions.githubusercontent.com')
  })
})

describe('STS input patterns (matched in full)', () => {
  it('reports every violation in one ValidationError', () => {
    expect(() => checkPatterns({ RoleSessionName: 'Session1:2' })).toThrow(
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    )
    expect(() =>
      checkPatterns({ ExternalId: 'a b', Tags: [{ Key: 'k!', Value: 'v' }], TransitiveTagKeys: ['x#'] }),
    ).toThrow(
      /^3 validation errors detected: .*'externalId'.*'tags\.1\.member\.key'.*'transitiveTagKeys\.1\.member'/,
    )
    expect(() =>
      checkPatterns({ ExternalId: 'arn:aws:x/y=z', Tags: [{ Key: 'Cost Center', Value: '' }] }),
    ).not.toThrow()
    expect(() => checkPatterns({ Policy: 'x'.repeat(2049) })).toThrow(/less than or equal to 2048/)
  })
})

describe('session tags', () => {
  it('refuses duplicate keys (any case) and transitive keys that are not requested', () => {
    expect(() =>
      checkRequestedTags(
        [
          { Key: 'A', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
        [],
      ),
    ).toThrow('Duplicate tag keys found. Please note that Tag keys are case insensitive.')
    expect(() => checkRequestedTags([{ Key: 'A', Value: '1' }], ['B'])).toThrow(
      'The specified transitive tag key must be included in the requested tags.',
    )
    expect(() => checkRequestedTags([{ Key: 'A', Value: '1' }], ['a'])).not.toThrow()
  })

  it('merges role, inherited and requested tags; requested ones may not redefine inherited ones', () => {
    const inherited = inheritedTags({
      policies: [],
      tags: { Project: 'Unicorn', Private: 'x' },
      transitiveTagKeys: ['project'],
      expiresAt: 0,
      chained: false,
    })
    expect(inherited).toEqual({
      tags: [{ Key: 'Project', Value: 'Unicorn' }],
      transitiveTagKeys: ['project'],
    })
    const merged = sessionTags(
      [
        { Key: 'team', Value: 'role' },
        { Key: 'project', Value: 'role' },
      ],
      inherited,
      [{ Key: 'Team', Value: 'session' }],
      ['Team'],
    )
    expect(merged).toEqual({
      tags: [
        { Key: 'Team', Value: 'session' },
        { Key: 'Project', Value: 'Unicorn' },
      ],
      transitiveTagKeys: ['project', 'Team'],
    })
    expect(() => sessionTags([], inherited, [{ Key: 'PROJECT', Value: 'y' }], [])).toThrow(
      /conflicts with a transitive/,
    )
  })

  it('exposes the request tags as condition keys', () => {
    expect(tagContext([{ Key: 'Project', Value: 'U' }], ['Project'])).toEqual([
      ['aws:requesttag/project', 'U'],
      ['aws:tagkeys', ['Project']],
      ['sts:transitivetagkeys', ['Project']],
    ])
  })
})

describe('packed policy size', () => {
  it('is absent without policies and tags, a percentage otherwise, and refused over 100', () => {
    expect(packedPolicySize(undefined, [], [])).toBeUndefined()
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}'
    const tags = [
      { Key: 'Project', Value: 'Unicorn' },
      { Key: 'Team', Value: 'Automation' },
      { Key: 'Cost-Center', Value: '12345' },
    ]
    // The model's AssumeRole example answers 8.
    expect(packedPolicySize(policy, [], tags)).toBe(8)
    const random = Array.from({ length: 30 }, (_, i) => ({
      Key: `k${i}`,
      Value: randomBytes(100).toString('hex'),
    }))
    expect(() => packedPolicySize(undefined, [], random)).toThrow(
      /^Packed policy consumes \d+% of allotted space/,
    )
  })
})
