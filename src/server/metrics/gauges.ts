import type { Metrics, Sample } from './metrics.js'

/** Counts read from the database at scrape time: the same in every process. */
export interface DeploymentStats {
  /** Secrets by state: `active`, `scheduled_for_deletion`. */
  secretCounts(): Promise<readonly Sample[]>
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
}
