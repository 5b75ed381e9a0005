import type { Barrier } from '../../barrier/barrier.js'
import { ExpiredTokenException } from '../../../lib/aws/errors.js'
import type { Clock } from '../../../lib/clock.js'
import { ExpiringCache, type CacheStats } from '../../../lib/expiring-cache.js'
import { accessKeyAad } from './bootstrap.js'
import type { Freshness } from '../../storage/freshness.js'
import type { Principal } from './principal.js'
import type { IdentityStore } from './store.js'
import { assumedRoleArn, assumedRoleId, roleNameOf } from '../sts/domain/arns.js'
import { isTemporaryAccessKeyId, sessionSecretAad, sessionTokenMatches } from '../sts/domain/credentials.js'
import { tagsAsRecord } from '../sts/domain/session-tags.js'
import type { SessionRecord, StsStore } from '../sts/store.js'

export interface ResolvedCredential {
  readonly secretAccessKey: string
  readonly principal: Principal
}

/** A cache entry: temporary credentials also carry their token hash and expiry. */
interface Entry extends ResolvedCredential {
  readonly session?: { readonly tokenHash: string; readonly expiresAt: number }
}

/**
 * Access key (+ session token) → secret and principal, for signature verification. Long-term keys
 * (IAM access keys) must come without a token; temporary keys (`ASIA…`, issued by STS) with the token
 * issued alongside, and only until they expire — checked on every request, cached or not.
 *
 * Lookups are remembered until stored data may have changed (`Freshness`), so a deactivated or deleted
 * key is refused at once, by every process.
 */
export class CredentialResolver {
  private readonly cache: ExpiringCache<string, Entry | null>

  constructor(
    private readonly deps: {
      store: IdentityStore
      sessions: Pick<StsStore, 'findSession' | 'findSessionUser'>
      barrier: Barrier
      freshness: Freshness
      clock: Clock
    },
    options: { maxEntries: number },
  ) {
    this.cache = new ExpiringCache({ maxEntries: options.maxEntries, ttlMs: Number.POSITIVE_INFINITY })
    deps.freshness.subscribe(() => this.cache.clear())
  }

  /** Hit and miss counts of the credential cache (metrics). */
  get cacheStats(): Readonly<Record<string, CacheStats>> {
    return { credentials: this.cache.stats }
  }

  /**
   * `undefined` when the key is unknown or inactive, or the token does not belong to it (the caller
   * answers UnrecognizedClientException). Throws `ExpiredTokenException` for an expired session.
   */
  async resolve(accessKeyId: string, securityToken?: string): Promise<ResolvedCredential | undefined> {
    let entry = this.cache.get(accessKeyId)
    if (entry === undefined) {
      entry = (await this.load(accessKeyId)) ?? null
      this.cache.set(accessKeyId, entry)
    }
    if (entry === null) return undefined
    const { session } = entry
    if (session === undefined) return securityToken === undefined ? entry : undefined
    if (securityToken === undefined || !sessionTokenMatches(securityToken, session.tokenHash))
      return undefined
    if (this.deps.clock.now() >= session.expiresAt) throw new ExpiredTokenException()
    return entry
  }

  private async load(accessKeyId: string): Promise<Entry | undefined> {
    if (isTemporaryAccessKeyId(accessKeyId)) {
      const session = await this.deps.sessions.findSession(accessKeyId)
      return session === undefined ? undefined : this.sessionEntry(session)
    }
    const found = await this.deps.store.findAccessKey(accessKeyId)
    if (found === undefined || found.key.status !== 'Active') return undefined
    const { user } = found
    return {
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
      },
    }
  }

  private async sessionEntry(s: SessionRecord): Promise<Entry | undefined> {
    const session = {
      policies: s.sessionPolicies,
      tags: tagsAsRecord(s.tags),
      transitiveTagKeys: s.transitiveTagKeys,
      expiresAt: s.expiresAt,
      createdAt: s.createdAt,
      chained: s.chained,
      ...(s.sourceIdentity !== undefined && { sourceIdentity: s.sourceIdentity }),
    }
    let principal: Principal
    if (s.principalKind === 'role') {
      if (s.roleArn === undefined || s.sessionName === undefined) return undefined
      principal = {
        type: 'AssumedRole',
        accountId: s.accountId,
        arn: assumedRoleArn(s.accountId, roleNameOf(s.roleArn), s.sessionName),
        principalArn: s.roleArn,
        principalId: assumedRoleId(s.principalId, s.sessionName),
        accessKeyId: s.accessKeyId,
        entity: { kind: 'role', id: s.principalId },
        session,
      }
    } else {
      // GetSessionToken: the user's own permissions, for as long as the user exists.
      const user = await this.deps.sessions.findSessionUser(s.principalId)
      if (user === undefined) return undefined
      principal = {
        type: 'IAMUser',
        accountId: user.accountId,
        arn: user.arn,
        principalArn: user.arn,
        principalId: user.userId,
        accessKeyId: s.accessKeyId,
        userName: user.userName,
        entity: { kind: 'user', id: user.userId },
        session,
      }
    }
    return {
      secretAccessKey: this.deps.barrier
        .open(s.sealedSecret, sessionSecretAad(s.accessKeyId))
        .toString('utf8'),
      principal,
      session: { tokenHash: s.tokenHash, expiresAt: s.expiresAt },
    }
  }
}
