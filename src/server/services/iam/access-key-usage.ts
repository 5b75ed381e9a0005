import type { AccessKeyStore } from './iam-store.js'

const HOUR_MS = 3_600_000

/**
 * Access-key last use (GetAccessKeyLastUsed) without a write per request: a use is stored at most
 * once per key per clock hour (the date is the start of that hour), by whichever process sees it
 * first — the store ignores a use that is not later than the one it holds. Within the hour, the
 * service and region shown are those of the first use.
 */
export class AccessKeyUsage {
  /** Key → the hour last recorded by this process; bounded, emptied when full. */
  private readonly recorded = new Map<string, number>()

  constructor(
    private readonly store: Pick<AccessKeyStore, 'recordKeyUse'>,
    private readonly options: { maxEntries: number } = { maxEntries: 10_000 },
  ) {}

  /**
   * Call after a request signed with `accessKeyId` was authenticated; `service` is the signing name
   * (`iam`, `secretsmanager`, …), `region` the signed region, `now` epoch ms. Cheap when nothing needs
   * writing (one map lookup). Best effort: callers should not fail the request when it rejects.
   */
  async recordKeyUse(accessKeyId: string, service: string, region: string, now: number): Promise<void> {
    const hour = now - (now % HOUR_MS)
    if (this.recorded.get(accessKeyId) === hour) return
    if (this.recorded.size >= this.options.maxEntries) this.recorded.clear()
    this.recorded.set(accessKeyId, hour)
    await this.store.recordKeyUse(accessKeyId, { at: hour, service, region })
  }
}
