import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import type { DataDir } from './bootstrap.js'
import type { Config } from './config/config.js'
import { administratorsOnly } from './core/authorize.js'
import { Pipeline } from './core/pipeline.js'
import { Authenticator } from './http/authenticate.js'
import { createRequestHandler } from './http/handler.js'
import { CredentialResolver } from './services/iam/credentials.js'
import { KmsKeys } from './services/kms/keys.js'
import { createSecretsManager } from './services/secretsmanager/index.js'
import { createSts } from './services/sts/index.js'
import { SqliteIdentityStore } from './storage/sqlite/identity-store.js'
import { SqliteKmsStore } from './storage/sqlite/kms-store.js'
import { SqliteSecretStore } from './storage/sqlite/secret-store.js'

export interface App {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void
  readonly secrets: SqliteSecretStore
}

/** Wiring only: stores → services → core → HTTP. */
export function createApp(
  config: Config,
  data: DataDir,
  deps: { clock: Clock; random: Random; logger: Logger },
): App {
  const secrets = new SqliteSecretStore(data.db, data.freshness)
  const kms = new KmsKeys(
    { store: new SqliteKmsStore(data.db), barrier: data.barrier, clock: deps.clock, random: deps.random },
    { keyCacheTtlMs: 1_000, materialCacheTtlMs: 300_000, cacheMaxEntries: 10_000 },
  )
  const secretsManager = createSecretsManager({
    store: secrets,
    kms,
    clock: deps.clock,
    random: deps.random,
    envelope: {
      dataKeyCacheTtlMs: config.cache.dataKeyTtlSeconds * 1000,
      dataKeyCacheMaxEntries: config.cache.dataKeyMaxEntries,
    },
  })
  const credentials = new CredentialResolver(
    { store: new SqliteIdentityStore(data.db), barrier: data.barrier, freshness: data.freshness },
    { maxEntries: 10_000 },
  )
  const authenticator = new Authenticator(
    { credentials, clock: deps.clock },
    {
      dev: config.dev,
      regions: new Set([config.region, ...config.regions]),
      defaultRegion: config.region,
      defaultAccountId: data.deployment.defaultAccountId,
    },
  )
  const handler = createRequestHandler({
    services: [secretsManager, createSts()],
    pipeline: new Pipeline({ authorizer: administratorsOnly }),
    authenticator,
    clock: deps.clock,
    logger: deps.logger,
    maxBodyBytes: config.maxBodyBytes,
    beforeRequest: () => data.freshness.refresh(),
  })
  return { handler, secrets }
}
