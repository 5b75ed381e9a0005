import { randomBytes, randomInt, randomUUID } from 'node:crypto'

/** Randomness, injected so tests can make it deterministic. Implementations must be CSPRNG-backed in production. */
export interface Random {
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number
  bytes(n: number): Buffer
  uuid(): string
}

export const cryptoRandom: Random = {
  int: (max) => randomInt(max),
  bytes: (n) => randomBytes(n),
  uuid: () => randomUUID(),
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export function randomString(random: Random, length: number, alphabet: string = ALNUM): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[random.int(alphabet.length)]
  return out
}

export function randomUpperAlnum(random: Random, length: number): string {
  return randomString(random, length, UPPER_ALNUM)
}

/**
 * A UUID version 7 (RFC 9562): the first 48 bits are the time in ms, the rest `random`'s v4 bits with
 * the version set to 7. Ids made later sort later, so an index on them grows at its end instead of
 * touching a random page per insert.
 */
export function timeOrderedUuid(ms: number, random: Pick<Random, 'uuid'>): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0')
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.uuid().slice(15)}`
}
