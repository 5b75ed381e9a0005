import type { Barrier } from '../../barrier/barrier.js'
import { ExpiringCache } from '../../../lib/expiring-cache.js'
import { accessKeyAad } from './bootstrap.js'
import type { Principal } from './principal.js'
import type { IdentityStore } from './store.js'

export interface ResolvedCredential {
  readonly secretAccessKey: string
  readonly principal: Principal
}

/**
 * Access key → secret and principal, for signature verification. Lookups are cached briefly: a
 * deactivated or deleted key stops working within `ttlMs` on every node without cross-node messages.
 */
export class CredentialResolver {
  private readonly cache: ExpiringCache<string, ResolvedCredential | null>

  constructor(
    private readonly deps: { store: IdentityStore; barrier: Barrier },
    options: { ttlMs: number; maxEntries: number },
  ) {
    this.cache = new ExpiringCache({ maxEntries: options.maxEntries, ttlMs: options.ttlMs })
  }

  /** `undefined` when the key is unknown or inactive. */
  async resolve(accessKeyId: string): Promise<ResolvedCredential | undefined> {
    const cached = this.cache.get(accessKeyId)
    if (cached !== undefined) return cached ?? undefined
    const found = await this.deps.store.findAccessKey(accessKeyId)
    let resolved: ResolvedCredential | null = null
    if (found !== undefined && found.key.status === 'Active') {
      const { user } = found
      resolved = {
        secretAccessKey: this.deps.barrier
          .open(found.key.sealedSecret, accessKeyAad(accessKeyId))
          .toString('utf8'),
        principal: {
          type: 'IAMUser',
          accountId: user.accountId,
          arn: user.arn,
          principalId: user.userId,
          accessKeyId,
          userName: user.userName,
          isAdmin: user.isAdmin,
        },
      }
    }
    this.cache.set(accessKeyId, resolved)
    return resolved ?? undefined
  }
}
