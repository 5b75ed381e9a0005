import type Database from 'better-sqlite3'
import type { DeploymentStats } from '../../metrics/gauges.js'
import type { Sample } from '../../metrics/metrics.js'

/** The metrics' database-derived counts (one indexed aggregate per scrape). */
export class SqliteDeploymentStats implements DeploymentStats {
  private readonly secrets: Database.Statement<[], { deleted: number; count: number }>
  private readonly runs: Database.Statement<[], { state: string; trigger: string; count: number }>

  constructor(db: Database.Database) {
    this.secrets = db.prepare(
      'SELECT deleted_at IS NOT NULL AS deleted, count(*) AS count FROM secrets GROUP BY deleted_at IS NOT NULL',
    )
    this.runs = db.prepare(
      'SELECT state, trigger, count(*) AS count FROM rotation_runs GROUP BY state, trigger',
    )
  }

  async rotationRuns(): Promise<readonly Sample[]> {
    return this.runs
      .all()
      .map((row) => ({ labels: { state: row.state, trigger: row.trigger }, value: row.count }))
  }

  async secretCounts(): Promise<readonly Sample[]> {
    const counts = { active: 0, scheduled_for_deletion: 0 }
    for (const row of this.secrets.all())
      counts[row.deleted === 1 ? 'scheduled_for_deletion' : 'active'] = row.count
    return Object.entries(counts).map(([state, value]) => ({ labels: { state }, value }))
  }
}
