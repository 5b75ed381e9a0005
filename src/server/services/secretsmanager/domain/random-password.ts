/**
 * GetRandomPassword (spec 3.10).
 *
 * Character types: upper, lower, digits, punctuation, and space when `IncludeSpace`. `ExcludeCharacters`
 * removes characters from every type; a type left empty counts as not included, so excluding all digits
 * by hand does not make `RequireEachIncludedType` fail.
 *
 * With `RequireEachIncludedType` (default) one character of every included type is placed at distinct,
 * uniformly random positions, and every other position draws from all allowed characters. Nothing is
 * retried, so the number of `random` calls is bounded (length + 2 × types).
 */
import { InvalidParameterException } from '../../../../aws-api/secretsmanager/errors.js'

/** Uniform integer in `[0, maxExclusive)`; the server passes `crypto.randomInt`. */
export type RandomInt = (maxExclusive: number) => number

export interface PasswordOptions {
  readonly PasswordLength?: number | undefined
  readonly ExcludeCharacters?: string | undefined
  readonly ExcludeNumbers?: boolean | undefined
  readonly ExcludePunctuation?: boolean | undefined
  readonly ExcludeUppercase?: boolean | undefined
  readonly ExcludeLowercase?: boolean | undefined
  readonly IncludeSpace?: boolean | undefined
  readonly RequireEachIncludedType?: boolean | undefined
}

export const DEFAULT_PASSWORD_LENGTH = 32
export const MAX_PASSWORD_LENGTH = 4096

export const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
export const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz'
export const DIGITS = '0123456789'
/** The 32 punctuation characters of the model documentation, in ASCII order. */
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'

/** The non-empty character types the options leave, each as an array of single characters. */
function includedTypes(opts: PasswordOptions): string[][] {
  const excluded = new Set(opts.ExcludeCharacters ?? '')
  const types: string[] = []
  if (!opts.ExcludeUppercase) types.push(UPPERCASE)
  if (!opts.ExcludeLowercase) types.push(LOWERCASE)
  if (!opts.ExcludeNumbers) types.push(DIGITS)
  if (!opts.ExcludePunctuation) types.push(PUNCTUATION)
  if (opts.IncludeSpace) types.push(' ')
  return types.map((chars) => [...chars].filter((c) => !excluded.has(c))).filter((chars) => chars.length > 0)
}

/** Throws `InvalidParameterException` when no password can satisfy the options. */
export function generatePassword(opts: PasswordOptions, random: RandomInt): string {
  const length = opts.PasswordLength ?? DEFAULT_PASSWORD_LENGTH
  // The model validator enforces 1-4096; checked again because a wrong length would loop or allocate.
  if (!Number.isInteger(length) || length < 1 || length > MAX_PASSWORD_LENGTH) {
    throw new InvalidParameterException(`Password length must be between 1 and ${MAX_PASSWORD_LENGTH}.`) // text unverified
  }
  const types = includedTypes(opts)
  if (types.length === 0) {
    // Text unverified (no recording of this case).
    throw new InvalidParameterException(
      'The password cannot be generated because all characters are excluded.',
    )
  }
  const required = opts.RequireEachIncludedType ?? true
  if (required && length < types.length) {
    // Text from moto, unverified against AWS (spec 3.10).
    throw new InvalidParameterException('Password length is too short based on the required types.')
  }

  const alphabet = types.flat()
  const pick = (chars: readonly string[]): string => chars[random(chars.length)] ?? ''
  const password = Array.from({ length }, () => '')

  if (required) {
    // Partial Fisher-Yates over positions: positions[0..types.length) is a uniformly random
    // ordered selection of distinct slots, one per required type.
    const positions = Array.from({ length }, (_, i) => i)
    types.forEach((chars, t) => {
      const j = t + random(length - t)
      const slot = positions[j] ?? 0
      positions[j] = positions[t] ?? 0
      positions[t] = slot
      password[slot] = pick(chars)
    })
  }
  for (let i = 0; i < length; i++) if (password[i] === '') password[i] = pick(alphabet)
  return password.join('')
}
