import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import type { AuditLog } from './audit/index.js'
import type { DataDir } from './bootstrap.js'
import type { Config } from './config/config.js'
import { Pipeline } from './core/pipeline.js'
import { ApiDestinations } from './events/destinations.js'
import { readEventMetrics, type EventMetrics } from './events/metrics.js'
import { OutboxSignal } from './events/outbox-signal.js'
import { createEventStream } from './http/event-stream.js'
import { PolicyAuthorizer } from './core/policy-authorizer.js'
import { RequestAuditor } from './core/request-audit.js'
import { Authenticator } from './http/authenticate.js'
import { registerDeploymentGauges, registerEventGauges } from './metrics/gauges.js'
import { Metrics } from './metrics/metrics.js'
import { createRequestHandler } from './http/handler.js'
import { createFunctions } from './functions/index.js'
import { createCloudTrail } from './services/cloudtrail/index.js'
import { CredentialResolver } from './services/iam/credentials.js'
import { createKms } from './services/kms/index.js'
import { KmsKeys } from './services/kms/keys.js'
import { AccessKeyUsage } from './services/iam/access-key-usage.js'
import { createEvents } from './services/events/index.js'
import { createIam } from './services/iam/index.js'
import { createSecretsManager } from './services/secretsmanager/index.js'
import { createSsm } from './services/ssm/index.js'
import { createSts, OidcKeys } from './services/sts/index.js'
import { SqliteDeliveryStore } from './storage/sqlite/delivery-store.js'
import { SqliteReadOnlyEventRules, SqliteRuleStore } from './storage/sqlite/events-rule-store.js'
import { SqliteAuditStore } from './storage/sqlite/audit-store.js'
import { createSqliteIamStore } from './storage/sqlite/iam-store.js'
import { SqliteOutbox } from './storage/sqlite/outbox-store.js'
import { SqliteIdentityStore } from './storage/sqlite/identity-store.js'
import { SqliteDeploymentStats } from './storage/sqlite/deployment-stats.js'
import { SqliteKmsStore } from './storage/sqlite/kms-store.js'
import { SqlitePolicySource } from './storage/sqlite/policy-source.js'
import { SqliteSecretStore } from './storage/sqlite/secret-store.js'
import { SqliteStsStore } from './storage/sqlite/sts-store.js'
import { SqliteSsmStore } from './storage/sqlite/ssm-store.js'
import { SqliteRotationStore } from './storage/sqlite/rotation-store.js'
import { faultFromEnv } from './rotation/fault.js'
import { RotationSignal } from './rotation/signal.js'
import type { RotationParts } from './rotation/start.js'

export interface App {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void
  readonly secrets: SqliteSecretStore
  /** KMS's store and keys, for the purge job (deletion windows, automatic rotation). */
  readonly kms: { readonly store: SqliteKmsStore; readonly keys: KmsKeys }
  /** STS sessions, for the purge job (expired temporary credentials). */
  readonly sessions: SqliteStsStore
  /** For the rotation scheduler when it runs in this process. */
  readonly rotation: RotationParts
  /** Events: the signal appends in this process raise (the dispatcher listens), and delivery figures. */
  readonly events: { readonly signal: OutboxSignal; readonly metrics: () => Promise<EventMetrics> }
}

/** Wiring only: stores → services → core → HTTP. `audit` is absent when the trail is disabled. */
export function createApp(
  config: Config,
  data: DataDir,
  deps: { clock: Clock; random: Random; logger: Logger; audit?: AuditLog | undefined },
): App {
  // Wakes this process's outbox readers (dispatcher, `/events` streams) when a commit appends events.
  const signal = new OutboxSignal()
  const secrets = new SqliteSecretStore(data.db, data.freshness, signal)
  const rotationRuns = new SqliteRotationStore(data.db, data.freshness, signal)
  const rotationSignal = new RotationSignal()
  const kmsStore = new SqliteKmsStore(data.db, data.freshness)
  const kms = new KmsKeys(
    {
      store: kmsStore,
      barrier: data.barrier,
      clock: deps.clock,
      random: deps.random,
      freshness: data.freshness,
    },
    { keyCacheTtlMs: 60_000, materialCacheTtlMs: 300_000, cacheMaxEntries: 10_000 },
  )
  const stsStore = new SqliteStsStore(data.db, data.freshness)
  const functions = createFunctions(data, {
    dataDir: config.dataDir,
    sessions: stsStore,
    clock: deps.clock,
    random: deps.random,
  })
  const secretsManager = createSecretsManager({
    store: secrets,
    kms,
    clock: deps.clock,
    random: deps.random,
    ...(deps.audit !== undefined && { audit: deps.audit }),
    envelope: {
      dataKeyCacheTtlMs: config.cache.dataKeyTtlSeconds * 1000,
      dataKeyCacheMaxEntries: config.cache.dataKeyMaxEntries,
    },
    rotation: { registry: functions.registry, runs: rotationRuns, signal: rotationSignal },
  })
  const credentials = new CredentialResolver(
    {
      store: new SqliteIdentityStore(data.db),
      sessions: stsStore,
      barrier: data.barrier,
      freshness: data.freshness,
      clock: deps.clock,
    },
    { maxEntries: 10_000 },
  )
  const sts = createSts({
    store: stsStore,
    barrier: data.barrier,
    random: deps.random,
    oidc: { keys: new OidcKeys(config.oidc), clockSkewSeconds: config.oidc.clockSkewSeconds },
  })
  const authenticator = new Authenticator(
    { credentials, clock: deps.clock },
    {
      dev: config.dev,
      regions: new Set([config.region, ...config.regions]),
      defaultRegion: config.region,
      defaultAccountId: data.deployment.defaultAccountId,
    },
  )
  const authorizer = new PolicyAuthorizer(
    { source: new SqlitePolicySource(data.db), freshness: data.freshness },
    { maxEntities: 10_000 },
  )
  // SSM Parameter Store; its /aws/reference/secretsmanager/ passthrough reads through Secrets Manager's read path.
  const ssm = createSsm({
    store: new SqliteSsmStore(data.db, data.freshness),
    kms,
    clock: deps.clock,
    secrets: secretsManager.readPath,
  })
  const metrics = new Metrics()
  for (const caches of [secretsManager.cacheStats, kms.cacheStats, credentials.cacheStats])
    for (const [name, stats] of Object.entries(caches)) metrics.cache(name, stats)
  registerDeploymentGauges(metrics, new SqliteDeploymentStats(data.db))
  const deliveries = new SqliteDeliveryStore(data.db)
  const eventMetrics = () => readEventMetrics(deliveries, deps.clock.now())
  registerEventGauges(metrics, eventMetrics)
  const iamStore = createSqliteIamStore(data.db, data.freshness)
  const keyUsage = new AccessKeyUsage(iamStore.accessKeys)
  const outbox = new SqliteOutbox(data.db, signal, deps.clock)
  const events = createEvents({
    store: new SqliteRuleStore(data.db, data.freshness),
    destinations: new ApiDestinations(config.events.destinations),
  })
  const pipeline = new Pipeline({ authorizer })
  const handler = createRequestHandler({
    services: [
      secretsManager.service,
      ssm,
      createKms({ store: kmsStore, keys: kms, random: deps.random }),
      sts,
      createIam({ store: iamStore, barrier: data.barrier, random: deps.random }),
      events.service,
      createCloudTrail({ reader: new SqliteAuditStore(data.auditDb), clock: deps.clock }),
    ],
    pipeline,
    metrics,
    authenticator,
    clock: deps.clock,
    logger: deps.logger,
    maxBodyBytes: config.maxBodyBytes,
    beforeRequest: () => data.freshness.refresh(),
    // Records are built also with the trail disabled: they are the API calls' events too.
    audit: new RequestAuditor(
      {
        ...(deps.audit !== undefined && { log: deps.audit }),
        events: outbox,
        readOnlyEvents: new SqliteReadOnlyEventRules(data.db, data.freshness),
        clock: deps.clock,
        random: deps.random,
        logger: deps.logger,
        fault: faultFromEnv(),
      },
      {
        failClosed: config.audit.failClosed,
        defaultAccountId: data.deployment.defaultAccountId,
        defaultRegion: config.region,
        holdMs: config.events.holdSeconds * 1000,
      },
    ),
    // GetAccessKeyLastUsed: at most one write per key per hour, off the request's path.
    afterAuthentication: (principal, service, region, now) => {
      if (principal.type !== 'IAMUser') return
      keyUsage.recordKeyUse(principal.accessKeyId, service, region, now).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'recording access key use failed')
      })
    },
    getRoutes: new Map([
      [
        '/events',
        createEventStream({
          authenticator,
          pipeline,
          service: events.service,
          outbox,
          signal,
          clock: deps.clock,
          logger: deps.logger,
          pollIntervalMs: config.events.pollIntervalMs,
          heartbeatSeconds: config.events.heartbeatSeconds,
        }),
      ],
    ]),
  })
  return {
    handler,
    secrets,
    kms: { store: kmsStore, keys: kms },
    sessions: stsStore,
    rotation: {
      runs: rotationRuns,
      secrets,
      starter: secretsManager.rotationPath.starter,
      ...functions,
      signal: rotationSignal,
      refresh: () => data.freshness.refresh(),
      audit: deps.audit,
    },
    events: { signal, metrics: eventMetrics },
  }
}
