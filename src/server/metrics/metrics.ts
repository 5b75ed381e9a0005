import cluster from 'node:cluster'
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type MetricConfiguration,
} from 'prom-client'
import type { CacheStats } from '../../lib/expiring-cache.js'

/** One request as the HTTP layer saw it: no input, no output, nothing a secret could be in. */
export interface RequestObservation {
  /** The service's signing name (`secretsmanager`, `kms`, …), or `unknown` before routing. */
  readonly service: string
  /** The operation, or `unknown` when none was routed. */
  readonly operation: string
  /** The AWS error code, absent on success. */
  readonly errorCode?: string
  readonly seconds: number
}

/** A labelled sample read at scrape time. */
export interface Sample {
  readonly labels?: Readonly<Record<string, string>>
  readonly value: number
}

/**
 * Coffer's Prometheus metrics (prom-client), one registry per process. Request counts and latency are
 * observed by the HTTP layer; everything else is read when `/metrics` is scraped — cache hit counters
 * from the caches themselves, database-derived gauges from collectors. Labels are service, operation,
 * error code, cache and state names only: never identifiers or values.
 *
 * With node:cluster, each worker keeps its own registry and the primary aggregates them
 * (`clusterText`): request counters add up; database-derived gauges are the same in every worker and
 * are taken once (`aggregator: 'first'`).
 */
export class Metrics {
  readonly registry = new Registry()
  private readonly requests: Counter<'service' | 'operation' | 'error'>
  private readonly latency: Histogram<'service' | 'operation'>
  private readonly caches = new Map<string, CacheStats>()

  constructor() {
    if (cluster.isWorker) {
      // prom-client answers the primary's aggregation requests once an AggregatorRegistry exists.
      AggregatorRegistry.setRegistries([this.registry])
      workerAggregation ??= new AggregatorRegistry()
    }
    collectDefaultMetrics({ register: this.registry, prefix: 'coffer_' })
    this.requests = new Counter({
      name: 'coffer_requests_total',
      help: 'Requests by service, operation and error code (empty when the request succeeded).',
      labelNames: ['service', 'operation', 'error'],
      registers: [this.registry],
    })
    this.latency = new Histogram({
      name: 'coffer_request_duration_seconds',
      help: 'Time from the request arriving to its answer being written, by service and operation.',
      labelNames: ['service', 'operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    })
    const caches = this.caches
    new Counter({
      name: 'coffer_cache_lookups_total',
      help: 'Lookups in in-memory caches by cache and result (hit or miss); hit ratio = hit / (hit + miss).',
      labelNames: ['cache', 'result'],
      registers: [this.registry],
      collect() {
        this.reset()
        for (const [cache, stats] of caches) {
          this.inc({ cache, result: 'hit' }, stats.hits)
          this.inc({ cache, result: 'miss' }, stats.misses)
        }
      },
    })
  }

  observeRequest(o: RequestObservation): void {
    this.requests.inc({ service: o.service, operation: o.operation, error: o.errorCode ?? '' })
    this.latency.observe({ service: o.service, operation: o.operation }, o.seconds)
  }

  /** Reports a cache's hit and miss counts (read at scrape time). */
  cache(name: string, stats: CacheStats): void {
    this.caches.set(name, stats)
  }

  /**
   * A gauge computed at scrape time (e.g. from the database). `perDeployment`: the same value in every
   * process (database-derived), so a cluster reports it once rather than summed.
   */
  gauge(
    config: { name: string; help: string; labelNames?: readonly string[]; perDeployment?: boolean },
    read: () => Promise<readonly Sample[]>,
  ): void {
    const options: MetricConfiguration<string> & { aggregator?: 'first' | 'sum' } = {
      name: config.name,
      help: config.help,
      labelNames: config.labelNames ?? [],
      registers: [this.registry],
      ...(config.perDeployment === true && { aggregator: 'first' }),
    }
    new Gauge({
      ...options,
      async collect() {
        this.reset()
        for (const sample of await read()) this.set(sample.labels ?? {}, sample.value)
      },
    })
  }

  /** The exposition text: this process's, or in a cluster worker the whole cluster's. */
  text(): Promise<string> {
    return cluster.isWorker ? this.clusterText() : this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /**
   * In a cluster worker: this registry joins the primary's aggregation, and the text served is the
   * whole cluster's, asked of the primary (any worker may receive the scrape).
   */
  private clusterText(timeoutMs = 5_000): Promise<string> {
    const id = ++requestCounter
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        process.off('message', onMessage)
        reject(new Error('the primary did not answer the metrics request'))
      }, timeoutMs)
      const onMessage = (message: { type?: string; id?: number; text?: string; error?: string }) => {
        if (message.type !== METRICS_RESULT || message.id !== id) return
        clearTimeout(timer)
        process.off('message', onMessage)
        if (message.text !== undefined) resolve(message.text)
        else reject(new Error(message.error ?? 'metrics aggregation failed'))
      }
      process.on('message', onMessage)
      process.send?.({ type: METRICS_REQUEST, id })
    })
  }
}

const METRICS_REQUEST = 'coffer:metrics'
const METRICS_RESULT = 'coffer:metrics-result'
let requestCounter = 0
let workerAggregation: unknown

/** In the cluster primary: answers workers' metrics requests with every worker's metrics aggregated. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message.type !== METRICS_REQUEST) return
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_RESULT, id: message.id, text }),
      (error: unknown) =>
        worker.send({
          type: METRICS_RESULT,
          id: message.id,
          error: error instanceof Error ? error.message : 'failed',
        }),
    )
  })
}
