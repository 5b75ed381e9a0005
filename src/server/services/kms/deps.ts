import type { Random } from '../../../lib/random.js'
import type { KeyAdmin } from './admin.js'
import type { KmsKeys } from './keys.js'
import type { KmsStore } from './store.js'

/** What KMS's operations share; built once by `createKms`. */
export interface KmsDeps {
  readonly keys: KmsKeys
  readonly store: KmsStore
  readonly admin: KeyAdmin
  readonly random: Random
}
