import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type { Barrier } from '../barrier/barrier.js'
import type { AuditConfig } from '../config/config.js'
import { AuditTrail, FileChain } from './audit-log.js'
import { AuditFile } from './file-device.js'
import { loadDigestSigner } from './signing-key.js'
import type { AuditStore } from './store.js'

export type { AuditLog, ServiceEvent } from './audit-log.js'
export { AuditTrail } from './audit-log.js'

/**
 * Opens the configured audit devices and the digest signer; `undefined` when the trail is disabled.
 * The database store always holds the signing keys; it holds the records when `database` is a device.
 */
export async function openAuditTrail(
  config: AuditConfig,
  deps: {
    store: AuditStore
    barrier: Pick<Barrier, 'seal' | 'open'>
    clock: Clock
    random: Pick<Random, 'uuid'>
    logger: Logger
    stdout: (text: string) => void
  },
): Promise<AuditTrail | undefined> {
  if (!config.enabled) return undefined
  const signer = await loadDigestSigner(deps.store, deps.barrier, deps.clock.now())
  const file = config.devices.includes('file') ? new AuditFile(config.file) : undefined
  if (file !== undefined && config.devices.includes('database')) {
    // Under the chain's lock: lines a killed process wrote but never committed are cut off.
    await deps.store.append((tail) => {
      file.dropAfter({ seq: tail.seq, digestSeq: tail.lastDigest?.digestSeq ?? 0 })
      return { records: [] }
    })
  }
  return new AuditTrail(
    {
      chain: config.devices.includes('database') ? deps.store : new FileChain(file),
      ...(file !== undefined && { file }),
      ...(config.devices.includes('stdout') && { stdout: deps.stdout }),
      signer,
      clock: deps.clock,
      random: deps.random,
      logger: deps.logger,
    },
    {
      maxBatch: config.maxBatch,
      digestEveryRecords: config.digest.everyRecords,
      digestEveryMs: config.digest.everySeconds * 1000,
    },
  )
}

/** The retention job: records older than `retentionDays`, in whole digest ranges. */
export function purgeAuditRecords(
  store: Pick<AuditStore, 'purge'>,
  now: number,
  retentionDays: number,
): Promise<number> {
  return store.purge(Math.floor(now / 1000) - retentionDays * 86_400)
}
