import type { Random } from '../../../lib/random.js'
import type { Barrier } from '../../barrier/barrier.js'
import type { IamStore } from './iam-store.js'
import type { IamLookup } from './lookup.js'

/** What IAM's operations share; built once by `createIam`. Time comes from the request (`ctx.now`). */
export interface IamDeps {
  readonly store: IamStore
  readonly lookup: IamLookup
  /** Seals new secret access keys (AAD `accessKeyAad(id)`). */
  readonly barrier: Pick<Barrier, 'seal'>
  readonly random: Random
}
