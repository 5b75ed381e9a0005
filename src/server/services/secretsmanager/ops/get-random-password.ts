import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { generatePassword } from '../domain/random-password.js'

export const getRandomPassword = (d: SecretsManagerDeps) =>
  smOperation('GetRandomPassword', { readOnly: true }, async (input) => ({
    RandomPassword: generatePassword(input, (n) => d.random.int(n)),
  }))
