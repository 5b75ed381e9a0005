import cluster from 'node:cluster'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { systemClock, type Clock } from '../lib/clock.js'
import { cryptoRandom, type Random } from '../lib/random.js'
import { createApp } from './app.js'
import { openDataDir, type DataDir } from './bootstrap.js'
import type { Config } from './config/config.js'
import { createLogger } from './logger.js'
import { runKmsMaintenance } from './services/kms/jobs.js'
import { KmsKeys } from './services/kms/keys.js'
import { purgeDeletedSecrets } from './services/secretsmanager/purge.js'
import { SqliteKmsStore } from './storage/sqlite/kms-store.js'
import { SqliteSecretStore } from './storage/sqlite/secret-store.js'

export interface RunningServer {
  readonly endpoint: string
  close(): Promise<void>
}

interface Deps {
  readonly clock: Clock
  readonly random: Random
  readonly print: (line: string) => void
}

const defaultDeps: Deps = {
  clock: systemClock,
  random: cryptoRandom,
  print: (line) => process.stdout.write(`${line}\n`),
}

/**
 * Composition root. One process serves HTTP and runs the background jobs; with `workers > 1` the
 * primary initialises the data directory and runs the jobs while node:cluster workers serve HTTP.
 */
export async function runServer(config: Config, deps: Deps = defaultDeps): Promise<RunningServer> {
  const logger = createLogger(config.logLevel)
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config, deps, logger)
  const data = await openDataDir(config, deps)
  const app = createApp(config, data, { ...deps, logger })
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, app.handler)
  const endpoint = await listen(server, config)
  if (cluster.isWorker) {
    process.send?.({ type: 'listening', endpoint })
    return { endpoint, close: () => closeServer(server, data) }
  }
  const stopJobs = startJobs(app.secrets, { ...app.kms, random: deps.random }, config, deps.clock, logger)
  announce(config, data, endpoint, deps.print, logger)
  return {
    endpoint,
    close: async () => {
      stopJobs()
      await closeServer(server, data)
    },
  }
}

async function runPrimary(config: Config, deps: Deps, logger: Logger): Promise<RunningServer> {
  const data = await openDataDir(config, deps)
  const kmsStore = new SqliteKmsStore(data.db, data.freshness)
  const kms = {
    store: kmsStore,
    keys: new KmsKeys(
      { store: kmsStore, barrier: data.barrier, clock: deps.clock, random: deps.random },
      { keyCacheTtlMs: 1_000, materialCacheTtlMs: 1_000, cacheMaxEntries: 100 },
    ),
    random: deps.random,
  }
  const stopJobs = startJobs(new SqliteSecretStore(data.db, data.freshness), kms, config, deps.clock, logger)
  let stopping = false
  const endpoint = await new Promise<string>((resolve, reject) => {
    for (let i = 0; i < config.workers; i++) cluster.fork()
    cluster.on('message', (_worker, message: { type?: string; endpoint?: string }) => {
      if (message.type === 'listening' && message.endpoint !== undefined) resolve(message.endpoint)
    })
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return
      logger.error({ pid: worker.process.pid, code, signal }, 'worker exited; starting another')
      if (code === 78) reject(new Error('worker failed to start'))
      else cluster.fork()
    })
  })
  announce(config, data, endpoint, deps.print, logger)
  return {
    endpoint,
    close: async () => {
      stopping = true
      stopJobs()
      await Promise.all(
        Object.values(cluster.workers ?? {}).map(
          (worker) =>
            new Promise<void>((resolve) =>
              worker === undefined ? resolve() : worker.once('exit', () => resolve()).kill(),
            ),
        ),
      )
      data.db.close()
    },
  }
}

/**
 * Background jobs. `store` (and KMS's store) must be the instances requests use, so their read caches
 * see the job's writes.
 */
function startJobs(
  store: SqliteSecretStore,
  kms: Parameters<typeof runKmsMaintenance>[0],
  config: Config,
  clock: Clock,
  logger: Logger,
): () => void {
  const purge = async () => {
    try {
      const purged = await purgeDeletedSecrets(store, clock.now())
      if (purged.length > 0)
        logger.info({ count: purged.length }, 'purged secrets whose recovery window ended')
    } catch (error) {
      logger.error({ err: error }, 'purge failed')
    }
    try {
      const { deleted, rotated, failed } = await runKmsMaintenance(kms, clock.now())
      if (deleted.length > 0) logger.info({ keys: deleted }, 'deleted KMS keys whose waiting period ended')
      if (rotated.length > 0) logger.info({ keys: rotated }, 'rotated KMS key material automatically')
      for (const { arn, error } of failed) logger.warn({ key: arn, err: error }, 'KMS key rotation failed')
    } catch (error) {
      logger.error({ err: error }, 'KMS maintenance failed')
    }
  }
  void purge()
  const timer = setInterval(() => void purge(), config.purgeIntervalSeconds * 1000)
  timer.unref()
  return () => clearInterval(timer)
}

function listen(server: Server, config: Config): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      const { port } = server.address() as AddressInfo
      const host = config.host.includes(':') ? `[${config.host}]` : config.host
      resolve(`http://${host}:${port}`)
    })
  })
}

function closeServer(server: Server, data: DataDir): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      data.db.close()
      resolve()
    })
    server.closeAllConnections()
  })
}

function announce(
  config: Config,
  data: DataDir,
  endpoint: string,
  print: (line: string) => void,
  logger: Logger,
): void {
  if (config.dev) {
    const warning =
      'DEV MODE: any credentials are accepted and every caller is an administrator. Never use it for real secrets.'
    print(`\n!!! ${warning} !!!\n`)
    logger.warn(warning)
  }
  print(`Coffer is listening`)
  print(`  Endpoint:     ${endpoint}`)
  print(`  Region:       ${config.region}`)
  print(`  Account:      ${data.deployment.defaultAccountId}`)
  print(`  Data dir:     ${config.dataDir}`)
  print(`  Credentials:  ${data.credentialsPath}${data.initialized ? ' (administrator, written now)' : ''}`)
  print(
    `  Try:          AWS_SHARED_CREDENTIALS_FILE=${data.credentialsPath} aws secretsmanager list-secrets --endpoint-url ${endpoint}`,
  )
  logger.info(
    { endpoint, region: config.region, dataDir: config.dataDir, workers: config.workers },
    'listening',
  )
}
