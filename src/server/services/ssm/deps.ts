import type { Clock } from '../../../lib/clock.js'
import type { ParameterReader } from './parameter-reader.js'
import type { SecretReferences } from './secret-reference.js'
import type { SecureValues } from './secure-values.js'
import type { SsmStore } from './store.js'

/** What Parameter Store's operations share; built once by `createSsm`. */
export interface SsmDeps {
  readonly store: SsmStore
  readonly reader: ParameterReader
  readonly secure: SecureValues
  readonly references: SecretReferences
  readonly clock: Clock
}
