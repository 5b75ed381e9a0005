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
