import type { PrincipalKind, Tag } from '../../services/iam/iam-store.js'
import type { SqliteDb } from './database.js'
import { translateSqliteError } from './errors.js'
import type { SqliteFreshness } from './freshness.js'
import { joinWriteScope } from '../write-scope.js'

/** SQLite constraint (as named in its error messages) → the port's neutral constraint name. */
const UNIQUE = {
  iam_users_name: 'user_name',
  'iam_users.arn': 'user_name',
  'iam_users.account_id, iam_users.user_name': 'user_name',
  iam_roles_name: 'role_name',
  'iam_roles.arn': 'role_name',
  iam_policies_name: 'policy_name',
  'iam_policies.arn': 'policy_name',
  'iam_oidc_providers.account_id, iam_oidc_providers.url': 'oidc_url',
  'iam_oidc_providers.arn': 'oidc_url',
  'access_keys.access_key_id': 'access_key_id',
}

/** What every IAM adapter shares: the connection, the write discipline and the principal tables. */
export class IamTables {
  constructor(
    readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
  ) {}

  /**
   * Runs `work` in one IMMEDIATE transaction, maps constraint failures to neutral errors and, once
   * committed, tells every cache of stored data (this process now; others via `data_version`).
   */
  write<T>(work: () => T, changed: (result: T) => boolean = () => true): T {
    let result: T
    try {
      result = this.db
        .transaction(() => {
          joinWriteScope()
          return work()
        })
        .immediate()
    } catch (error) {
      return translateSqliteError(error, UNIQUE)
    }
    if (changed(result)) this.freshness.written()
    return result
  }

  /** Accounts are created on first use (the deployment's default account exists from the start). */
  ensureAccount(accountId: string, now: number): void {
    this.db
      .prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
      .run(accountId, now)
  }

  principalExists(kind: PrincipalKind, principalId: string): boolean {
    const sql =
      kind === 'user'
        ? 'SELECT 1 FROM iam_users WHERE user_id = ?'
        : 'SELECT 1 FROM iam_roles WHERE role_id = ?'
    return this.db.prepare(sql).get(principalId) !== undefined
  }
}

export function parseTags(json: string): Tag[] {
  return JSON.parse(json) as Tag[]
}

export function parseStrings(json: string): string[] {
  return JSON.parse(json) as string[]
}
