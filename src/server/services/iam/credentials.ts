import type { Barrier } from '../../barrier/barrier.js'
import { ExpiringCache } from '../../../lib/expiring-cache.js'
import { accessKeyAad } from './bootstrap.js'
import type { Freshness } from '../../storage/freshness.js'
import type { Principal } from './principal.js'
import type { IdentityStore } from './store.js'

export interface ResolvedCredential {
  readonly secretAccessKey: string
  readonly principal: Principal
}

/**
 * Access key → secret and principal, for signature verification. Lookups are remembered until stored
 * data may have changed (`Freshness`), so a deactivated or deleted key is refused at once, by every
 * process.
 */
export class CredentialResolver {
  private readonly cache: ExpiringCache<string, ResolvedCredential | null>

  constructor(
    private readonly deps: { store: IdentityStore; barrier: Barrier; freshness: Freshness },
    options: { maxEntries: number },
  ) {
    this.cache = new ExpiringCache({ maxEntries: options.maxEntries, ttlMs: Number.POSITIVE_INFINITY })
    deps.freshness.subscribe(() => this.cache.clear())
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
          principalArn: user.arn,
          entity: { kind: 'user', id: user.userId },
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
