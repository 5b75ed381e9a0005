import type Database from 'better-sqlite3'
import type { DeploymentStats } from '../../metrics/gauges.js'
import type { Sample } from '../../metrics/metrics.js'

/** The metrics' database-derived counts (one indexed aggregate per scrape). */
export class SqliteDeploymentStats implements DeploymentStats {
  private readonly secrets: Database.Statement<[], { deleted: number; count: number }>

  constructor(db: Database.Database) {
    this.secrets = db.prepare(
      'SELECT deleted_at IS NOT NULL AS deleted, count(*) AS count FROM secrets GROUP BY deleted_at IS NOT NULL',
    )
  }

  async secretCounts(): Promise<readonly Sample[]> {
    const counts = { active: 0, scheduled_for_deletion: 0 }
    for (const row of this.secrets.all())
      counts[row.deleted === 1 ? 'scheduled_for_deletion' : 'active'] = row.count
    return Object.entries(counts).map(([state, value]) => ({ labels: { state }, value }))
  }
}
