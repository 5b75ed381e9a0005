import { describe, expect, it } from 'vitest'
import {
  assertCreatableName,
  isUnder,
  isValidName,
  keyOf,
  normalizePath,
  parameterArn,
  parentOf,
  parseReference,
  trimName,
} from './names.js'

const scope = { accountId: '111122223333', region: 'eu-west-1' }
const arnPrefix = 'arn:aws:ssm:eu-west-1:111122223333:parameter/'

describe('parameter names (spec §5.1)', () => {
  it('makes `name` and `/name` one key; hierarchical names keep theirs', () => {
    expect(keyOf('param-x')).toBe('/param-x')
    expect(keyOf('/param-x')).toBe('/param-x')
    expect(keyOf('/a/b')).toBe('/a/b')
    expect(parameterArn(scope, '/param-x')).toBe(`${arnPrefix}param-x`)
    expect(parameterArn(scope, '/a/b')).toBe(`${arnPrefix}a/b`)
  })

  it('accepts letters, digits and ._- in segments; hierarchies start with a slash', () => {
    for (const ok of ['a', '/a', 'A.b_c-9', '/a/b/c', `/${'x/'.repeat(14)}x`])
      expect(isValidName(ok, scope)).toBe(true)
    for (const bad of [
      '',
      '/',
      'a/b',
      '//a',
      '/a//b',
      '/a/',
      'a b',
      'a$',
      'é',
      'a:b',
      `/${'x/'.repeat(15)}x`,
    ]) {
      expect(isValidName(bad, scope), bad).toBe(false)
    }
  })

  it('counts the ARN prefix into the 1011-character limit', () => {
    const room = 1011 - arnPrefix.length
    expect(isValidName(`/${'n'.repeat(room)}`, scope)).toBe(true)
    expect(isValidName(`/${'n'.repeat(room + 1)}`, scope)).toBe(false)
    expect(isValidName('n'.repeat(room), scope)).toBe(true)
  })

  it('trims spaces around a name and refuses whitespace inside', () => {
    expect(trimName('  /a/b ')).toBe('/a/b')
    expect(() => trimName('/a b')).toThrow(expect.objectContaining({ code: 'ValidationException' }))
    expect(() => trimName('/a\tb')).toThrow(expect.objectContaining({ code: 'ValidationException' }))
  })

  it('reserves aws/ssm prefixes for creation: ValidationException, AccessDenied under /aws/', () => {
    expect(() => assertCreatableName('awsx', scope)).toThrow(
      expect.objectContaining({ code: 'ValidationException' }),
    )
    expect(() => assertCreatableName('/SSM-x', scope)).toThrow(
      expect.objectContaining({ code: 'ValidationException' }),
    )
    expect(() => assertCreatableName('/ssm/x', scope)).toThrow(
      expect.objectContaining({ code: 'ValidationException' }),
    )
    expect(() => assertCreatableName('/AWS/x', scope)).toThrow(
      expect.objectContaining({ code: 'AccessDeniedException' }),
    )
    expect(() => assertCreatableName(`/${'l/'.repeat(15)}l`, scope)).toThrow(
      expect.objectContaining({ code: 'HierarchyLevelLimitExceededException' }),
    )
    expect(() => assertCreatableName('/app/aws', scope)).not.toThrow()
  })
})

describe('references (reads)', () => {
  it('parses names, ARNs and selectors', () => {
    expect(parseReference('param-x', scope)).toEqual({ echo: 'param-x', key: '/param-x' })
    expect(parseReference('/a/b:3', scope)).toEqual({
      echo: '/a/b',
      key: '/a/b',
      selector: { kind: 'version', version: 3, text: ':3' },
    })
    expect(parseReference('/a/b:prod', scope)?.selector).toEqual({
      kind: 'label',
      label: 'prod',
      text: ':prod',
    })
    expect(parseReference(`${arnPrefix}a/b:prod`, scope)).toMatchObject({ echo: undefined, key: '/a/b' })
    expect(parseReference(`${arnPrefix}param-x`, scope)).toMatchObject({ key: '/param-x' })
  })

  it('rejects what no parameter can match', () => {
    for (const bad of [
      'a/b',
      '/a:',
      '/a:b:c',
      'arn:aws:ssm:us-east-1:111122223333:parameter/a',
      `${arnPrefix}`,
    ]) {
      expect(parseReference(bad, scope), bad).toBeUndefined()
    }
  })
})

describe('paths', () => {
  it('normalises paths and tells what lies under them', () => {
    expect(normalizePath('/')).toBe('/')
    expect(normalizePath('//')).toBe('/')
    expect(normalizePath('/a/b/')).toBe('/a/b')
    expect(normalizePath('a')).toBeUndefined()
    expect(normalizePath('/a//b')).toBeUndefined()
    expect(parentOf('/a/b')).toBe('/a')
    expect(parentOf('/a')).toBe('/')
    expect(isUnder('/a/b/c', '/a')).toBe(true)
    expect(isUnder('/ab', '/a')).toBe(false)
    expect(isUnder('/x', '/')).toBe(true)
  })
})
