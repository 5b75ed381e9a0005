import type { Logger } from 'pino'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import { purgeAuditRecords, type AuditLog } from './audit/index.js'
import type { AuditStore } from './audit/store.js'
import type { DataDir } from './bootstrap.js'
import type { Config } from './config/config.js'
import type { DeliveryStore } from './events/delivery-store.js'
import { ApiDestinations } from './events/destinations.js'
import type { OutboxSignal } from './events/outbox-signal.js'
import { purgeEvents } from './events/purge.js'
import { startEventDelivery } from './events/runtime.js'
import { applyConfiguredRules } from './services/events/config-rules.js'
import { Rules } from './services/events/rules.js'
import { runKmsMaintenance } from './services/kms/jobs.js'
import { KmsKeys } from './services/kms/keys.js'
import type { KmsStore } from './services/kms/store.js'
import { purgeDeletedSecrets } from './services/secretsmanager/purge.js'
import type { SecretStore } from './services/secretsmanager/store.js'
import { purgeExpiredSessions } from './services/sts/purge.js'
import type { StsStore } from './services/sts/store.js'
import { SqliteDeliveryStore } from './storage/sqlite/delivery-store.js'
import { SqliteRuleStore } from './storage/sqlite/events-rule-store.js'
import { SqliteKmsStore } from './storage/sqlite/kms-store.js'
import { SqliteSecretStore } from './storage/sqlite/secret-store.js'
import { SqliteStsStore } from './storage/sqlite/sts-store.js'
import { SqliteRotationStore } from './storage/sqlite/rotation-store.js'
import { createSecretsManager } from './services/secretsmanager/index.js'
import { createFunctions } from './functions/index.js'
import { RotationSignal } from './rotation/signal.js'
import type { RotationParts } from './rotation/start.js'

/**
 * What the background jobs work on. In a single process these must be the instances requests use, so
 * their caches see the jobs' writes; the cluster primary builds its own (`jobStores`).
 */
export interface JobStores {
  readonly secrets: Pick<SecretStore, 'listDueForPurge' | 'deleteSecret'>
  readonly kms: { readonly store: KmsStore; readonly keys: KmsKeys; readonly random: Random }
  readonly sessions: StsStore
  readonly rotation: RotationParts
  /** The audit trail's records on the database device, kept `retentionDays`. */
  readonly audit?: { readonly store: Pick<AuditStore, 'purge'>; readonly retentionDays: number }
  /** Outbox events done with, kept `retentionDays` (`events.retentionDays`). */
  readonly events?: { readonly store: Pick<DeliveryStore, 'purgeEvents'>; readonly retentionDays: number }
}

export function jobStores(
  data: DataDir,
  dataDir: string,
  deps: { clock: Clock; random: Random; signal: OutboxSignal; audit?: AuditLog | undefined },
): JobStores {
  const kmsStore = new SqliteKmsStore(data.db, data.freshness)
  const keys = new KmsKeys(
    {
      store: kmsStore,
      barrier: data.barrier,
      clock: deps.clock,
      random: deps.random,
      freshness: data.freshness,
    },
    { keyCacheTtlMs: 60_000, materialCacheTtlMs: 60_000, cacheMaxEntries: 100 },
  )
  const secrets = new SqliteSecretStore(data.db, data.freshness, deps.signal)
  const sessions = new SqliteStsStore(data.db, data.freshness)
  const runs = new SqliteRotationStore(data.db, data.freshness, deps.signal)
  const signal = new RotationSignal()
  const functions = createFunctions(data, { dataDir, sessions, clock: deps.clock, random: deps.random })
  // Scheduled rotations start through Secrets Manager's own code path, on this process's instances.
  const secretsManager = createSecretsManager({
    store: secrets,
    kms: keys,
    clock: deps.clock,
    random: deps.random,
    envelope: { dataKeyCacheTtlMs: 60_000, dataKeyCacheMaxEntries: 100 },
    rotation: { registry: functions.registry, runs, signal },
    ...(deps.audit !== undefined && { audit: deps.audit }),
  })
  return {
    secrets,
    kms: { store: kmsStore, keys, random: deps.random },
    sessions,
    rotation: {
      runs,
      secrets,
      starter: secretsManager.rotationPath.starter,
      ...functions,
      signal,
      refresh: () => data.freshness.refresh(),
      audit: deps.audit,
    },
  }
}

/**
 * Every `intervalSeconds` (and once at start): purge secrets whose recovery window ended, delete KMS keys
 * whose waiting period ended and rotate keys that are due, drop expired STS sessions, and audit records
 * and delivered events past their retention. Each job fails alone, logged. Returns a function that
 * stops the schedule.
 */
export function startJobs(
  stores: JobStores,
  intervalSeconds: number,
  clock: Clock,
  logger: Logger,
): () => void {
  const job = async (name: string, run: (now: number) => Promise<void>) => {
    try {
      await run(clock.now())
    } catch (error) {
      logger.error({ err: error, job: name }, 'background job failed')
    }
  }
  const runAll = async () => {
    await job('purge-secrets', async (now) => {
      const purged = await purgeDeletedSecrets(stores.secrets, now)
      if (purged.length > 0)
        logger.info({ count: purged.length }, 'purged secrets whose recovery window ended')
    })
    await job('kms-maintenance', async (now) => {
      const { deleted, rotated, failed } = await runKmsMaintenance(stores.kms, now)
      if (deleted.length > 0) logger.info({ keys: deleted }, 'deleted KMS keys whose waiting period ended')
      if (rotated.length > 0) logger.info({ keys: rotated }, 'rotated KMS key material automatically')
      for (const { arn, error } of failed) logger.warn({ key: arn, err: error }, 'KMS key rotation failed')
    })
    await job('purge-sessions', async (now) => {
      const purged = await purgeExpiredSessions(stores.sessions, now)
      if (purged > 0) logger.info({ count: purged }, 'purged expired STS sessions')
    })
    const audit = stores.audit
    if (audit !== undefined) {
      await job('purge-audit', async (now) => {
        const purged = await purgeAuditRecords(audit.store, now, audit.retentionDays)
        if (purged > 0) logger.info({ count: purged }, 'purged audit records past their retention')
      })
    }
    const events = stores.events
    if (events !== undefined) {
      await job('purge-events', async (now) => {
        const purged = await purgeEvents(events.store, now, events.retentionDays)
        if (purged > 0) logger.info({ count: purged }, 'purged delivered events past their retention')
      })
    }
  }
  void runAll()
  const timer = setInterval(() => void runAll(), intervalSeconds * 1000)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * Events in the jobs process: applies the rules declared in the configuration (a ConfigError when one is
 * refused), then dispatches the outbox and delivers to webhooks until the returned function is called.
 */
export async function startEvents(
  config: Config,
  data: DataDir,
  deps: { clock: Clock; random: Random; logger: Logger; signal: OutboxSignal },
): Promise<() => Promise<void>> {
  const destinations = new ApiDestinations(config.events.destinations)
  const rules = new SqliteRuleStore(data.db, data.freshness)
  await applyConfiguredRules(new Rules({ store: rules, destinations }), config.events.rules, {
    accountId: data.deployment.defaultAccountId,
    region: config.region,
  })
  return startEventDelivery(
    { rules, deliveries: new SqliteDeliveryStore(data.db), destinations, ...deps },
    config.events,
  )
}
