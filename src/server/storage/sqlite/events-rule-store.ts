import type { Statement } from 'better-sqlite3'
import type { RuleState } from '../../../aws-api/events/types.js'
import type { ReadOnlyEventRules } from '../../events/outbox.js'
import type {
  RuleRecord,
  RuleStore,
  RuleTag,
  RuleWithTargets,
  TargetRecord,
} from '../../services/events/store.js'
import type { SqliteDb } from './database.js'
import type { SqliteFreshness } from './freshness.js'
import { joinWriteScope } from '../write-scope.js'

interface RuleRow {
  arn: string
  account_id: string
  region: string
  name: string
  event_pattern: string
  state: RuleState
  description: string | null
  tags: string
}

interface TargetRow {
  rule_arn: string
  target_id: string
  arn: string
  input: string | null
}

const RULE_COLUMNS = 'arn, account_id, region, name, event_pattern, state, description, tags'

function rule(row: RuleRow): RuleRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    eventPattern: row.event_pattern,
    state: row.state,
    ...(row.description !== null && { description: row.description }),
    tags: JSON.parse(row.tags) as RuleTag[],
  }
}

function target(row: TargetRow): TargetRecord {
  return { id: row.target_id, arn: row.arn, ...(row.input !== null && { input: row.input }) }
}

/**
 * EventBridge rules and targets on SQLite (migration 009). Writes tell `freshness`, so that what is
 * cached from rules on this connection (`SqliteReadOnlyEventRules`) is dropped.
 */
export class SqliteRuleStore implements RuleStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
  ) {}

  async findRule(arn: string): Promise<RuleRecord | undefined> {
    const row = this.db.prepare(`SELECT ${RULE_COLUMNS} FROM events_rules WHERE arn = ?`).get(arn) as
      RuleRow | undefined
    return row === undefined ? undefined : rule(row)
  }

  async putRule(r: RuleRecord): Promise<void> {
    this.inRequest(r.arn, () =>
      this.db
        .prepare(
          `INSERT INTO events_rules (${RULE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (arn) DO UPDATE SET
           event_pattern = excluded.event_pattern, state = excluded.state, description = excluded.description`,
        )
        .run(
          r.arn,
          r.accountId,
          r.region,
          r.name,
          r.eventPattern,
          r.state,
          r.description ?? null,
          JSON.stringify(r.tags),
        ),
    )
  }

  async setState(arn: string, state: RuleState): Promise<boolean> {
    return this.inRequest(
      arn,
      () => this.db.prepare('UPDATE events_rules SET state = ? WHERE arn = ?').run(state, arn).changes > 0,
    )
  }

  async deleteRule(arn: string): Promise<'deleted' | 'has-targets'> {
    return this.inRequest(arn, () => {
      const targets = this.db
        .prepare('SELECT count(*) FROM events_targets WHERE rule_arn = ?')
        .pluck()
        .get(arn) as number
      if (targets > 0) return 'has-targets' as const
      this.db.prepare('DELETE FROM events_rules WHERE arn = ?').run(arn)
      return 'deleted' as const
    })
  }

  async listRules(
    accountId: string,
    region: string,
    options: { readonly prefix?: string; readonly after?: string; readonly limit: number },
  ): Promise<readonly RuleRecord[]> {
    // substr, not LIKE: names are case-sensitive.
    const rows = this.db
      .prepare(
        `SELECT ${RULE_COLUMNS} FROM events_rules
         WHERE account_id = @accountId AND region = @region
           AND substr(name, 1, length(@prefix)) = @prefix AND name > @after
         ORDER BY name LIMIT @limit`,
      )
      .all({
        accountId,
        region,
        prefix: options.prefix ?? '',
        after: options.after ?? '',
        limit: options.limit,
      }) as RuleRow[]
    return rows.map(rule)
  }

  async listTargets(
    ruleArn: string,
    options: { readonly after?: string; readonly limit: number },
  ): Promise<readonly TargetRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT rule_arn, target_id, arn, input FROM events_targets
         WHERE rule_arn = ? AND target_id > ? ORDER BY target_id LIMIT ?`,
      )
      .all(ruleArn, options.after ?? '', options.limit) as TargetRow[]
    return rows.map(target)
  }

  async putTargets(
    ruleArn: string,
    targets: readonly TargetRecord[],
    maxTargets: number,
  ): Promise<'ok' | 'limit' | 'missing'> {
    return this.inRequest(ruleArn, () => {
      if (this.db.prepare('SELECT 1 FROM events_rules WHERE arn = ?').get(ruleArn) === undefined)
        return 'missing' as const
      const existing = new Set(
        this.db
          .prepare('SELECT target_id FROM events_targets WHERE rule_arn = ?')
          .pluck()
          .all(ruleArn) as string[],
      )
      for (const t of targets) existing.add(t.id)
      if (existing.size > maxTargets) return 'limit' as const
      const upsert = this.db.prepare(
        `INSERT INTO events_targets (rule_arn, target_id, arn, input) VALUES (?, ?, ?, ?)
         ON CONFLICT (rule_arn, target_id) DO UPDATE SET arn = excluded.arn, input = excluded.input`,
      )
      for (const t of targets) upsert.run(ruleArn, t.id, t.arn, t.input ?? null)
      return 'ok' as const
    })
  }

  async removeTargets(ruleArn: string, ids: readonly string[]): Promise<boolean> {
    return this.inRequest(ruleArn, () => {
      if (this.db.prepare('SELECT 1 FROM events_rules WHERE arn = ?').get(ruleArn) === undefined) return false
      const remove = this.db.prepare('DELETE FROM events_targets WHERE rule_arn = ? AND target_id = ?')
      for (const id of ids) remove.run(ruleArn, id)
      return true
    })
  }

  /** One write of a request's, in a transaction its write scope joins (its event is held with it). */
  private inRequest<T>(arn: string, write: () => T): T {
    try {
      return this.db
        .transaction(() => {
          joinWriteScope(arn)
          return write()
        })
        .immediate()
    } finally {
      this.freshness.written()
    }
  }

  async activeRules(): Promise<readonly RuleWithTargets[]> {
    const rules = this.db
      .prepare(
        `SELECT ${RULE_COLUMNS} FROM events_rules
         WHERE state <> 'DISABLED' AND EXISTS (SELECT 1 FROM events_targets t WHERE t.rule_arn = events_rules.arn)`,
      )
      .all() as RuleRow[]
    const targets = this.db
      .prepare(
        `SELECT t.rule_arn, t.target_id, t.arn, t.input FROM events_targets t
         JOIN events_rules r ON r.arn = t.rule_arn WHERE r.state <> 'DISABLED' ORDER BY t.rule_arn, t.target_id`,
      )
      .all() as TargetRow[]
    const byRule = new Map<string, TargetRecord[]>()
    for (const row of targets) {
      const list = byRule.get(row.rule_arn) ?? []
      list.push(target(row))
      byRule.set(row.rule_arn, list)
    }
    return rules.map((row) => ({ ...rule(row), targets: byRule.get(row.arn) ?? [] }))
  }
}

/**
 * `ReadOnlyEventRules` on SQLite: one indexed query per account and Region, cached until this
 * connection sees a commit (its own or another process's, through `freshness`).
 */
export class SqliteReadOnlyEventRules implements ReadOnlyEventRules {
  private readonly cache = new Map<string, boolean>()
  private readonly query: Statement<[string, string], number>

  constructor(db: SqliteDb, freshness: SqliteFreshness) {
    freshness.subscribe(() => this.cache.clear())
    this.query = db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM events_rules r
           WHERE r.account_id = ? AND r.region = ? AND r.state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'
             AND EXISTS (SELECT 1 FROM events_targets t WHERE t.rule_arn = r.arn))`,
      )
      .pluck() as Statement<[string, string], number>
  }

  wanted(accountId: string, region: string): boolean {
    const key = `${accountId}\n${region}`
    let wanted = this.cache.get(key)
    if (wanted === undefined) {
      wanted = this.query.get(accountId, region) === 1
      this.cache.set(key, wanted)
    }
    return wanted
  }
}
