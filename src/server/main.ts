import cluster from 'node:cluster'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { systemClock, type Clock } from '../lib/clock.js'
import { cryptoRandom, type Random } from '../lib/random.js'
import { createApp } from './app.js'
import { openAuditTrail, type AuditTrail } from './audit/index.js'
import { closeDataDir, openDataDir, type DataDir } from './bootstrap.js'
import type { Config } from './config/config.js'
import { FunctionAdmin } from './functions/admin.js'
import { CodePackages } from './functions/code.js'
import { applyConfiguredFunctions } from './functions/configured.js'
import { createLogger } from './logger.js'
import { SqliteFunctionStore } from './storage/sqlite/function-store.js'
import { jobStores, startEvents, startJobs, type JobStores } from './jobs.js'
import { serveClusterMetrics } from './metrics/metrics.js'
import { withDevClock } from './dev-clock.js'
import { startRotation } from './rotation/start.js'
import { OutboxSignal } from './events/outbox-signal.js'
import { SqliteAuditStore } from './storage/sqlite/audit-store.js'
import { SqliteDeliveryStore } from './storage/sqlite/delivery-store.js'

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
export async function runServer(config: Config, given: Deps = defaultDeps): Promise<RunningServer> {
  const logger = createLogger(config.logLevel)
  const deps = { ...given, clock: withDevClock(config, given.clock, logger) }
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config, deps, logger)
  const data = await openDataDir(config, deps)
  if (!cluster.isWorker)
    await applyConfiguredFunctions(config.functions, functionAdmin(config, data, deps), logger)
  const audit = await openTrail(config, data, deps, logger)
  const app = createApp(config, data, { ...deps, logger, audit })
  const stopEvents = cluster.isWorker
    ? async () => {}
    : await startEvents(config, data, { ...deps, logger, signal: app.events.signal })
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, app.handler)
  const endpoint = await listen(server, config)
  if (cluster.isWorker) {
    process.send?.({ type: 'listening', endpoint })
    return { endpoint, close: () => closeServer(server, data, audit) }
  }
  const stopJobs = startJobs(
    {
      secrets: app.secrets,
      kms: { ...app.kms, random: deps.random },
      sessions: app.sessions,
      rotation: app.rotation,
      ...auditJob(config, data),
      ...eventsJob(config, data),
    },
    config.purgeIntervalSeconds,
    deps.clock,
    logger,
  )
  const stopRotation = config.rotation.scheduler
    ? startRotation(
        app.rotation,
        { endpoint, settings: config.rotation },
        { clock: deps.clock, random: deps.random, logger },
      )
    : async () => undefined
  announce(config, data, endpoint, deps.print, logger)
  return {
    endpoint,
    close: async () => {
      stopJobs()
      await stopRotation()
      await stopEvents()
      await closeServer(server, data, audit)
    },
  }
}

function openTrail(
  config: Config,
  data: DataDir,
  deps: Deps,
  logger: Logger,
): Promise<AuditTrail | undefined> {
  return openAuditTrail(config.audit, {
    store: new SqliteAuditStore(data.auditDb),
    barrier: data.barrier,
    clock: deps.clock,
    random: deps.random,
    logger,
    stdout: (text) => process.stdout.write(text),
  })
}

/** The retention purge runs where the other jobs run, on the database device's records. */
function auditJob(config: Config, data: DataDir): Pick<JobStores, 'audit'> {
  if (!config.audit.enabled || !config.audit.devices.includes('database')) return {}
  return { audit: { store: new SqliteAuditStore(data.auditDb), retentionDays: config.audit.retentionDays } }
}

/** Delivered events leave the outbox where deliveries are made (this process). */
function eventsJob(config: Config, data: DataDir): Pick<JobStores, 'events'> {
  return { events: { store: new SqliteDeliveryStore(data.db), retentionDays: config.events.retentionDays } }
}

async function runPrimary(config: Config, deps: Deps, logger: Logger): Promise<RunningServer> {
  const data = await openDataDir(config, deps)
  await applyConfiguredFunctions(config.functions, functionAdmin(config, data, deps), logger)
  // The primary runs scheduled rotations: their outcomes' records go to the trail from here.
  const audit = await openTrail(config, data, deps, logger)
  // Workers' appends are found by polling; the rotations and purges run here wake the dispatcher at once.
  const signal = new OutboxSignal()
  const stores = jobStores(data, config.dataDir, { ...deps, signal, audit })
  const stopJobs = startJobs(
    { ...stores, ...auditJob(config, data), ...eventsJob(config, data) },
    config.purgeIntervalSeconds,
    deps.clock,
    logger,
  )
  serveClusterMetrics()
  const stopEvents = await startEvents(config, data, { ...deps, logger, signal })
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
  const stopRotation = config.rotation.scheduler
    ? startRotation(
        stores.rotation,
        { endpoint, settings: config.rotation },
        { clock: deps.clock, random: deps.random, logger },
      )
    : async () => undefined
  announce(config, data, endpoint, deps.print, logger)
  return {
    endpoint,
    close: async () => {
      stopping = true
      stopJobs()
      await stopRotation()
      await stopEvents()
      await Promise.all(
        Object.values(cluster.workers ?? {}).map(
          (worker) =>
            new Promise<void>((resolve) =>
              worker === undefined ? resolve() : worker.once('exit', () => resolve()).kill(),
            ),
        ),
      )
      await audit?.close()
      closeDataDir(data)
    },
  }
}

/** Registers functions in the data directory (the config file's `functions:`; `coffer functions`). */
export function functionAdmin(
  config: Pick<Config, 'dataDir'>,
  data: DataDir,
  deps: Pick<Deps, 'clock' | 'random'>,
) {
  return new FunctionAdmin({
    store: new SqliteFunctionStore(data.db, data.freshness),
    barrier: data.barrier,
    packages: new CodePackages(config.dataDir),
    clock: deps.clock,
    random: deps.random,
    defaults: { accountId: data.deployment.defaultAccountId, region: data.deployment.defaultRegion },
  })
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

/** Stops taking requests, lets the audit trail commit what is queued and sign a last digest, closes the database. */
function closeServer(
  server: Server,
  data: DataDir,
  audit: { close(): Promise<void> } | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      const done = () => {
        closeDataDir(data)
        resolve()
      }
      if (audit === undefined) done()
      else audit.close().then(done, done)
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
