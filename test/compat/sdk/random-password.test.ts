/** GetRandomPassword (spec §3.10). */
import { GetRandomPasswordCommand, type GetRandomPasswordCommandInput } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, useServer } from './support.js'

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
const escape = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&')
const has = (password: string, chars: string) => new RegExp(`[${escape(chars)}]`).test(password)
const only = (password: string, chars: string) => new RegExp(`^[${escape(chars)}]*$`).test(password)

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'

describe('GetRandomPassword', () => {
  const t = useServer()

  const generate = async (input: GetRandomPasswordCommandInput = {}) =>
    (await t.client.send(new GetRandomPasswordCommand(input))).RandomPassword ?? ''

  it('defaults to 32 characters with every type and no space', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 5; i++) {
      const password = await generate()
      expect(password).toHaveLength(32)
      for (const chars of [UPPER, LOWER, DIGITS, PUNCTUATION]) expect(has(password, chars)).toBe(true)
      expect(password).not.toContain(' ')
      expect(only(password, UPPER + LOWER + DIGITS + PUNCTUATION)).toBe(true)
      seen.add(password)
    }
    expect(seen.size).toBe(5)
  })

  it('honours length, exclusions and IncludeSpace', async () => {
    const long = await generate({ PasswordLength: 120, ExcludeCharacters: 'xyzDje@?!.' })
    expect(long).toHaveLength(120)
    expect(has(long, 'xyzDje@?!.')).toBe(false)
    const lettersOnly = await generate({ PasswordLength: 64, ExcludeNumbers: true, ExcludePunctuation: true })
    expect(only(lettersOnly, UPPER + LOWER)).toBe(true)
    expect(has(lettersOnly, UPPER) && has(lettersOnly, LOWER)).toBe(true)
    const digits = await generate({
      PasswordLength: 40,
      ExcludeUppercase: true,
      ExcludeLowercase: true,
      ExcludePunctuation: true,
    })
    expect(only(digits, DIGITS)).toBe(true)
    const spaced = await generate({ PasswordLength: 200, IncludeSpace: true, RequireEachIncludedType: true })
    expect(spaced).toContain(' ')
    expect(await generate({ PasswordLength: 1, RequireEachIncludedType: false })).toHaveLength(1)
    expect(await generate({ PasswordLength: 4096 })).toHaveLength(4096)
  })

  it('refuses a length too short for the required types, and lengths outside 1-4096', async () => {
    await expectAwsError(
      t.client.send(new GetRandomPasswordCommand({ PasswordLength: 3 })),
      'InvalidParameterException',
      /too short/,
    )
    await expectAwsError(
      t.client.send(new GetRandomPasswordCommand({ PasswordLength: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to 1",
    )
    await expectAwsError(
      t.client.send(new GetRandomPasswordCommand({ PasswordLength: 4097 })),
      'ValidationException',
      "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096",
    )
  })

  it('refuses options that exclude every character', async () => {
    await expectAwsError(
      t.client.send(
        new GetRandomPasswordCommand({
          ExcludeUppercase: true,
          ExcludeLowercase: true,
          ExcludeNumbers: true,
          ExcludePunctuation: true,
        }),
      ),
      'InvalidParameterException',
    )
  })
})
