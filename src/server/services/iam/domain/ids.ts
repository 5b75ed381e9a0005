import { randomString, randomUpperAlnum, type Random } from '../../../../lib/random.js'

/** IAM unique-id prefixes: users, roles, managed policies (AWS's; the rest is 17 upper alphanumerics). */
export type IdPrefix = 'AIDA' | 'AROA' | 'ANPA'

export function newUniqueId(random: Random, prefix: IdPrefix): string {
  return `${prefix}${randomUpperAlnum(random, 17)}`
}

/** Long-term access key id: `AKIA` + 16 upper alphanumerics. */
export function newAccessKeyId(random: Random): string {
  return `AKIA${randomUpperAlnum(random, 16)}`
}

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** 40 characters of base64's alphabet, like AWS's secret access keys. */
export function newSecretAccessKey(random: Random): string {
  return randomString(random, 40, SECRET_ALPHABET)
}
