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
