import { describe, expect, it } from 'vitest'
import { normaliseOidcUrl, parsePolicyArn } from './arns.js'
import { paginate } from './pagination.js'
import { policySize, requireValidPolicy } from './policy-document.js'
import { mergeTags, removeTags, requireUniqueTagKeys } from './tags.js'
import { encodePolicyDocument } from './url-encoding.js'
import { requireName, requirePath, requirePolicyPath } from './validation.js'

describe('IAM domain rules', () => {
  it('pages by key after an opaque marker, stable when items change between pages', () => {
    const items = ['d', 'a', 'c', 'b', 'e']
    const first = paginate(items, { MaxItems: 2 }, (x) => x)
    expect(first).toMatchObject({ items: ['a', 'b'], IsTruncated: true })
    const second = paginate(['a', 'c', 'd', 'e', 'bb'], { MaxItems: 2, Marker: first.Marker ?? '' }, (x) => x)
    expect(second).toMatchObject({ items: ['bb', 'c'], IsTruncated: true })
    expect(paginate(items, { MaxItems: 5 }, (x) => x)).toEqual({
      items: ['a', 'b', 'c', 'd', 'e'],
      IsTruncated: false,
    })
    expect(() => paginate(items, { Marker: 'garbage' }, (x) => x)).toThrow(/marker/)
  })

  it('merges tags ignoring key case, keeps positions, limits to 50', () => {
    const merged = mergeTags(
      [
        { Key: 'Team', Value: 'a' },
        { Key: 'x', Value: '1' },
      ],
      [{ Key: 'team', Value: 'b' }],
    )
    expect(merged).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'x', Value: '1' },
    ])
    expect(removeTags(merged, ['TEAM'])).toEqual([{ Key: 'x', Value: '1' }])
    expect(() =>
      requireUniqueTagKeys([
        { Key: 'a', Value: '' },
        { Key: 'A', Value: '' },
      ]),
    ).toThrow(/case insensitive/)
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' }))
    expect(mergeTags(fifty, [{ Key: 'K0', Value: 'x' }])).toHaveLength(50)
    expect(() => mergeTags(fifty, [{ Key: 'new', Value: '' }])).toThrow(/maximum/)
  })

  it('checks names and paths against the whole pattern', () => {
    expect(() => requireName('a-b_c.d@e+f=g,h', 'userName')).not.toThrow()
    expect(() => requireName('a b', 'userName')).toThrow(/Value 'a b' at 'userName'/)
    expect(() => requirePath('/a/b/')).not.toThrow()
    expect(() => requirePath('/a')).toThrow(/regular expression/)
    expect(() => requirePolicyPath('/a b/')).toThrow()
  })

  it('parses managed policy ARNs with paths and normalises OIDC URLs', () => {
    expect(parsePolicyArn('arn:aws:iam::123456789012:policy/a/b/name')).toEqual({
      accountId: '123456789012',
      path: '/a/b/',
      name: 'name',
    })
    expect(parsePolicyArn('arn:aws:iam::aws:policy/AdministratorAccess')?.accountId).toBe('aws')
    expect(parsePolicyArn('arn:aws:iam::aws:policy')).toBeUndefined()
    expect(normaliseOidcUrl('https://Token.Example.com/Tenant')).toBe('token.example.com/Tenant')
    expect(normaliseOidcUrl('http://token.example.com')).toBeUndefined()
  })

  it('maps policy grammar errors to AWS texts and sizes policies without whitespace', () => {
    expect(() => requireValidPolicy('{', 'identity')).toThrow('Syntax errors in policy.')
    expect(() =>
      requireValidPolicy(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}',
        'identity',
      ),
    ).toThrow('Policy statement must contain actions.')
    expect(policySize('{ "a" :\n 1 }')).toBe(7)
    expect(encodePolicyDocument('{"a": "b c"}')).toBe('%7B%22a%22%3A%20%22b%20c%22%7D')
  })
})
