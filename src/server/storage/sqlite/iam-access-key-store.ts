import type { AccessKeyInfo, AccessKeyStore, KeyUse, NewAccessKey } from '../../services/iam/iam-store.js'
import type { IamTables } from './iam-common.js'

interface KeyRow {
  access_key_id: string
  user_id: string
  user_name: string
  account_id: string
  status: 'Active' | 'Inactive'
  created_at: number
  last_used_at: number | null
  last_used_service: string | null
  last_used_region: string | null
}

const SELECT_KEYS = `SELECT k.access_key_id, k.user_id, u.user_name, u.account_id, k.status, k.created_at,
    k.last_used_at, k.last_used_service, k.last_used_region
  FROM access_keys k JOIN iam_users u ON u.user_id = k.user_id`

/**
 * The SQLite adapter of `AccessKeyStore`. Status changes and deletions signal `Freshness` on commit:
 * the credential cache of every process drops the key before its next request.
 */
export class SqliteAccessKeyStore implements AccessKeyStore {
  constructor(private readonly t: IamTables) {}

  async createAccessKey(key: NewAccessKey, maxPerUser: number): Promise<'created' | 'limit' | 'missing'> {
    return this.t.write(
      () => {
        const db = this.t.db
        if (!this.t.principalExists('user', key.userId)) return 'missing'
        const count = db.prepare('SELECT count(*) FROM access_keys WHERE user_id = ?').pluck().get(key.userId)
        if ((count as number) >= maxPerUser) return 'limit'
        db.prepare(
          'INSERT INTO access_keys (access_key_id, user_id, sealed_secret, status, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(key.accessKeyId, key.userId, key.sealedSecret, key.status, key.createdAt)
        return 'created'
      },
      (outcome) => outcome === 'created',
    )
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeyInfo | undefined> {
    const row = this.t.db.prepare(`${SELECT_KEYS} WHERE k.access_key_id = ?`).get(accessKeyId) as
      KeyRow | undefined
    return row === undefined ? undefined : toKey(row)
  }

  async listAccessKeys(userId: string): Promise<AccessKeyInfo[]> {
    const rows = this.t.db
      .prepare(`${SELECT_KEYS} WHERE k.user_id = ? ORDER BY k.created_at, k.access_key_id`)
      .all(userId) as KeyRow[]
    return rows.map(toKey)
  }

  async setAccessKeyStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<boolean> {
    return this.t.write(
      () =>
        this.t.db
          .prepare('UPDATE access_keys SET status = ? WHERE access_key_id = ?')
          .run(status, accessKeyId).changes > 0,
      (changed) => changed,
    )
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return this.t.write(
      () => this.t.db.prepare('DELETE FROM access_keys WHERE access_key_id = ?').run(accessKeyId).changes > 0,
      (deleted) => deleted,
    )
  }

  async recordKeyUse(accessKeyId: string, use: KeyUse): Promise<boolean> {
    return this.t.write(
      () =>
        this.t.db
          .prepare(
            `UPDATE access_keys SET last_used_at = ?, last_used_service = ?, last_used_region = ?
             WHERE access_key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
          )
          .run(use.at, use.service, use.region, accessKeyId, use.at).changes > 0,
      (written) => written,
    )
  }
}

function toKey(row: KeyRow): AccessKeyInfo {
  return {
    accessKeyId: row.access_key_id,
    userId: row.user_id,
    userName: row.user_name,
    accountId: row.account_id,
    status: row.status,
    createdAt: row.created_at,
    ...(row.last_used_at !== null && {
      lastUsed: {
        at: row.last_used_at,
        service: row.last_used_service ?? 'N/A',
        region: row.last_used_region ?? 'N/A',
      },
    }),
  }
}
