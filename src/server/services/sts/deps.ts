import type { Random } from '../../../lib/random.js'
import type { Barrier } from '../../barrier/barrier.js'
import type { OidcKeys } from './oidc/jwks.js'
import type { StsStore } from './store.js'

/** What the STS operations need, wired in app.ts. */
export interface StsDeps {
  readonly store: StsStore
  readonly barrier: Barrier
  readonly random: Random
  readonly oidc: { readonly keys: OidcKeys; readonly clockSkewSeconds: number }
}
