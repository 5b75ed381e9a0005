import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Model } from './model.js'
import { applyPatches } from './patches.js'
import { modelsDir } from './paths.js'
import { translatePattern } from './regex.js'
import { VENDORED_MODELS } from './vendor-models.js'

const compile = (pattern: string): RegExp => {
  const { source, flags } = translatePattern(pattern)
  return new RegExp(source, flags)
}

describe('Java pattern translation', () => {
  it('keeps patterns that are already valid in unicode mode', () => {
    expect(translatePattern('^[a-zA-Z0-9\\-]+$')).toEqual({ source: '^(?:^[a-zA-Z0-9\\-]+$)$', flags: 'u' })
    expect(compile('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+').test('ünïcödé 1')).toBe(true)
  })

  it('normalises escapes that unicode mode rejects', () => {
    const re = compile('^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$')
    expect(re.flags).toContain('u')
    expect(re.test('!a=b')).toBe(true)
    expect(re.test('a#b')).toBe(false)
    expect(compile('[\\w-\\/]+').test('a-b/c')).toBe(true) // `-` after \w is a literal in Java
  })

  it('turns leading inline flags into RegExp flags', () => {
    expect(compile('(?i)all|[0-9]{12}').test('ALL')).toBe(true)
    expect(compile('(?s)^.*$').test('a\nb')).toBe(true)
  })

  it('matches the whole value, as AWS does (not search semantics)', () => {
    expect(compile('[0-9]+h').test('12h')).toBe(true)
    expect(compile('[0-9]+h').test('x12hx')).toBe(false)
    expect(compile('[\\w+=,.@-]*').test('Session1:2')).toBe(false)
    expect(compile('^([a-z]+-)+\\d+$').test('us-east-1')).toBe(true)
  })

  it('translates Java-only constructs it can express', () => {
    expect(compile('\\p{Alpha}+').test('é')).toBe(false) // POSIX classes are ASCII in Java
    expect(compile('[\\p{Alnum}_]+').test('a_1')).toBe(true)
    expect(compile('\\Qa.b\\E').test('a.b')).toBe(true)
    expect(compile('\\Qa.b\\E').test('axb')).toBe(false)
    expect(compile('\\Aab\\z').test('ab')).toBe(true)
    expect(compile('[]a]').test(']')).toBe(true)
  })

  it('refuses what it cannot express', () => {
    for (const bad of ['[a-z&&[^b]]', '[a[b]]', 'a++', 'a(?i)b', '\\h', '\\p{javaLowerCase}', '(?x)a']) {
      expect(() => translatePattern(bad), bad).toThrow()
    }
  })

  it('compiles every pattern of every vendored model', async () => {
    let count = 0
    for (const model of VENDORED_MODELS) {
      const parsed = JSON.parse(
        await readFile(path.join(modelsDir, model, 'service-2.json'), 'utf8'),
      ) as Model
      for (const [name, shape] of Object.entries(parsed.shapes)) {
        if (shape.pattern === undefined) continue
        count++
        expect(() => compile(shape.pattern ?? ''), `${model} ${name}`).not.toThrow()
      }
    }
    expect(count).toBeGreaterThan(300)
  })
})

describe('model patches', () => {
  const model = {
    metadata: { apiVersion: '1', endpointPrefix: 'x', protocol: 'json', serviceId: 'X' },
    operations: {},
    shapes: {
      S: { type: 'string', pattern: '(?x) a' },
      T: { type: 'structure', members: { M: { shape: 'S' } } },
    },
  } as unknown as Model

  it('apply with a matching `from`', () => {
    const patched = applyPatches(
      model,
      [
        { shape: 'S', trait: 'pattern', from: '(?x) a', to: 'a', reason: 'comments mode' },
        { shape: 'T', member: 'M', trait: 'locationName', from: null, to: 'm', reason: 'wire name' },
      ],
      'x',
    )
    expect(patched.shapes['S']?.pattern).toBe('a')
    expect(patched.shapes['T']?.members?.['M']?.locationName).toBe('m')
    expect(model.shapes['S']?.pattern).toBe('(?x) a') // the input is not mutated
  })

  it('fail when stale', () => {
    expect(() =>
      applyPatches(model, [{ shape: 'S', trait: 'pattern', from: 'old', to: 'a', reason: 'r' }], 'x'),
    ).toThrow('stale patch')
  })
})
