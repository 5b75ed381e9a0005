import type { EventMetrics } from '../events/metrics.js'
import type { Metrics, Sample } from './metrics.js'

/** Counts read from the database at scrape time: the same in every process. */
export interface DeploymentStats {
  /** Secrets by state: `active`, `scheduled_for_deletion`. */
  secretCounts(): Promise<readonly Sample[]>
  /** Rotation runs by state (`running`, `succeeded`, `failed`, `cancelled`) and trigger. */
  rotationRuns(): Promise<readonly Sample[]>
}

export function registerDeploymentGauges(metrics: Metrics, stats: DeploymentStats): void {
  metrics.gauge(
    {
      name: 'coffer_secrets',
      help: 'Secrets by state (active, scheduled_for_deletion), all accounts and regions.',
      labelNames: ['state'],
      perDeployment: true,
    },
    () => stats.secretCounts(),
  )
  metrics.gauge(
    {
      name: 'coffer_rotation_runs',
      help: 'Rotation runs recorded, by state and trigger (immediate, scheduled, test-only): outcomes over time.',
      labelNames: ['state', 'trigger'],
      perDeployment: true,
    },
    () => stats.rotationRuns(),
  )
}

/** Event delivery: the outbox's lag and backlogs (read from the database at scrape time). */
export function registerEventGauges(metrics: Metrics, read: () => Promise<EventMetrics>): void {
  const gauges: [string, string, (m: EventMetrics) => number][] = [
    [
      'coffer_events_delivery_lag_seconds',
      'Age of the oldest event not yet delivered to every target (0 when none).',
      (m) => m.oldestUndeliveredAgeSeconds,
    ],
    ['coffer_events_undispatched', 'Outbox events not yet matched against the rules.', (m) => m.undispatched],
    [
      'coffer_events_pending_deliveries',
      'Deliveries waiting for an attempt or a retry.',
      (m) => m.pendingDeliveries,
    ],
    [
      'coffer_events_dead_letters',
      'Deliveries given up on (coffer events dead-letters).',
      (m) => m.deadLetters,
    ],
  ]
  for (const [name, help, pick] of gauges) {
    metrics.gauge({ name, help, perDeployment: true }, async () => [{ value: pick(await read()) }])
  }
}
