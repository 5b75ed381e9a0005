import { randomInt } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AwsError } from '../../../../lib/aws/errors.js'
import {
  DIGITS,
  generatePassword,
  LOWERCASE,
  PUNCTUATION,
  UPPERCASE,
  type PasswordOptions,
  type RandomInt,
} from './random-password.js'

const has = (password: string, chars: string) => [...password].some((c) => chars.includes(c))

/** Deterministic generator (mulberry32) so the statistical test can't flake. */
function seeded(seed: number): RandomInt {
  let a = seed >>> 0
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max)
  }
}

const errorOf = (opts: PasswordOptions) => {
  try {
    generatePassword(opts, randomInt)
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.status, message: e.message }
    throw e
  }
  return undefined
}

describe('GetRandomPassword (spec 3.10)', () => {
  it('defaults: 32 characters with upper, lower, digit and punctuation, no space', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword({}, randomInt)
      expect(password).toHaveLength(32)
      for (const chars of [UPPERCASE, LOWERCASE, DIGITS, PUNCTUATION]) expect(has(password, chars)).toBe(true)
      expect(password).not.toContain(' ')
    }
  })

  it('the punctuation set is the 32 documented characters', () => {
    expect(PUNCTUATION).toBe('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
    expect(PUNCTUATION).toHaveLength(32)
  })

  it('length 120 excluding xyzDje@?!. (AWS-validated example)', () => {
    const password = generatePassword({ PasswordLength: 120, ExcludeCharacters: 'xyzDje@?!.' }, randomInt)
    expect(password).toHaveLength(120)
    expect(has(password, 'xyzDje@?!.')).toBe(false)
  })

  it('IncludeSpace makes space a required type', () => {
    const password = generatePassword({ PasswordLength: 5, IncludeSpace: true }, randomInt)
    expect(password).toContain(' ')
  })

  it('too short for the required types is InvalidParameterException', () => {
    expect(errorOf({ PasswordLength: 3 })).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'Password length is too short based on the required types.',
    })
    expect(errorOf({ PasswordLength: 4, IncludeSpace: true })).toMatchObject({
      code: 'InvalidParameterException',
    })
    expect(errorOf({ PasswordLength: 3, RequireEachIncludedType: false })).toBeUndefined()
  })

  it('a type emptied by ExcludeCharacters is not required', () => {
    const password = generatePassword(
      { PasswordLength: 3, ExcludePunctuation: true, ExcludeCharacters: DIGITS },
      randomInt,
    )
    expect(password).toMatch(/^[A-Za-z]{3}$/)
  })

  it('nothing left to choose from is InvalidParameterException', () => {
    const all = {
      ExcludeUppercase: true,
      ExcludeLowercase: true,
      ExcludeNumbers: true,
      ExcludePunctuation: true,
    }
    expect(errorOf(all)).toMatchObject({ code: 'InvalidParameterException', status: 400 })
    expect(errorOf({ ExcludeCharacters: UPPERCASE + LOWERCASE + DIGITS + PUNCTUATION })).toMatchObject({
      code: 'InvalidParameterException',
    })
    expect(errorOf({ ...all, IncludeSpace: true, ExcludeCharacters: ' ' })).toMatchObject({
      code: 'InvalidParameterException',
    })
    expect(generatePassword({ ...all, IncludeSpace: true, PasswordLength: 3 }, randomInt)).toBe('   ')
  })

  it('rejects a length outside 1-4096 even if the validator was skipped', () => {
    expect(errorOf({ PasswordLength: 0 })).toMatchObject({ code: 'InvalidParameterException' })
    expect(errorOf({ PasswordLength: 4097 })).toMatchObject({ code: 'InvalidParameterException' })
    expect(errorOf({ PasswordLength: 2.5 })).toMatchObject({ code: 'InvalidParameterException' })
  })

  it('required characters can land in any position', () => {
    // Only 'A' and 'b' are left; both are required, so the random choice decides the order alone.
    const opts = {
      PasswordLength: 2,
      ExcludeNumbers: true,
      ExcludePunctuation: true,
      ExcludeCharacters: UPPERCASE.replace('A', '') + LOWERCASE.replace('b', ''),
    }
    expect(generatePassword(opts, () => 0)).toBe('Ab')
    expect(generatePassword(opts, (max) => max - 1)).toBe('bA')
  })

  it('the position of a required character is uniform', () => {
    // Length 4 with 4 required types: each position holds exactly one type.
    const random = seeded(42)
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 8000; i++) {
      const index = [...generatePassword({ PasswordLength: 4 }, random)].findIndex((c) =>
        UPPERCASE.includes(c),
      )
      counts[index] = (counts[index] ?? 0) + 1
    }
    for (const count of counts) expect(count).toBeGreaterThan(1850) // expected 2000, sigma ≈ 39
  })
})

describe('GetRandomPassword properties', () => {
  const options: fc.Arbitrary<PasswordOptions> = fc.record(
    {
      PasswordLength: fc.integer({ min: 1, max: 200 }),
      ExcludeCharacters: fc.string({
        unit: fc.constantFrom(...(UPPERCASE + LOWERCASE + DIGITS + PUNCTUATION + ' ')),
      }),
      ExcludeNumbers: fc.boolean(),
      ExcludePunctuation: fc.boolean(),
      ExcludeUppercase: fc.boolean(),
      ExcludeLowercase: fc.boolean(),
      IncludeSpace: fc.boolean(),
      RequireEachIncludedType: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  // Random choices come from fast-check, so failures shrink and replay.
  const choices = fc.array(fc.nat(), { minLength: 1, maxLength: 50 })
  const cycling = (xs: readonly number[]): RandomInt => {
    let i = 0
    return (max) => (xs[i++ % xs.length] ?? 0) % max
  }

  /** Independent oracle: the non-empty character types the options leave. */
  const expectedTypes = (opts: PasswordOptions): string[] =>
    [
      opts.ExcludeUppercase ? '' : UPPERCASE,
      opts.ExcludeLowercase ? '' : LOWERCASE,
      opts.ExcludeNumbers ? '' : DIGITS,
      opts.ExcludePunctuation ? '' : PUNCTUATION,
      opts.IncludeSpace ? ' ' : '',
    ]
      .map((chars) => [...chars].filter((c) => !(opts.ExcludeCharacters ?? '').includes(c)).join(''))
      .filter((chars) => chars !== '')

  it('exact length, only allowed characters, every required type present', () => {
    fc.assert(
      fc.property(options, choices, (opts, xs) => {
        const random = cycling(xs)
        const types = expectedTypes(opts)
        const length = opts.PasswordLength ?? 32
        const required = opts.RequireEachIncludedType ?? true
        if (types.length === 0 || (required && length < types.length)) {
          expect(() => generatePassword(opts, random)).toThrow(AwsError)
          return true
        }
        const password = generatePassword(opts, random)
        const allowed = types.join('')
        return (
          password.length === length &&
          [...password].every((c) => allowed.includes(c)) &&
          (!required || types.every((chars) => has(password, chars)))
        )
      }),
      { numRuns: 1000 },
    )
  })

  it('uses only the injected random source', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 64 }), fc.nat(), (length, seed) => {
        const a = generatePassword({ PasswordLength: length }, seeded(seed))
        const b = generatePassword({ PasswordLength: length }, seeded(seed))
        return a === b
      }),
    )
  })
})
