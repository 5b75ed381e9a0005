import type { Clock } from '../../../lib/clock.js'
import type { Random } from '../../../lib/random.js'
import type { FunctionRegistry } from '../../functions/contract.js'
import type { RotationStarter } from './rotation-start.js'
import type { SecretLookup } from './secret-lookup.js'
import type { SecretStore } from './store.js'
import type { ValueCrypto } from './value-crypto.js'
import type { ValueReader } from './value-reader.js'
import type { SecretWriter } from './secret-writer.js'

/** What Secrets Manager's operations share; built once by `createSecretsManager`. */
export interface SecretsManagerDeps {
  readonly store: SecretStore
  readonly lookup: SecretLookup
  readonly crypto: ValueCrypto
  readonly reader: ValueReader
  readonly writer: SecretWriter
  readonly clock: Clock
  readonly random: Random
  readonly rotation: {
    /** Where RotateSecret checks that the function exists. */
    readonly registry: FunctionRegistry
    readonly starter: RotationStarter
  }
}
