import type { OidcProvider, OidcProviderStore } from '../../services/iam/iam-store.js'
import { parseStrings, parseTags, type IamTables } from './iam-common.js'

interface ProviderRow {
  arn: string
  account_id: string
  url: string
  client_ids: string
  thumbprints: string
  tags: string
  created_at: number
}

/** The SQLite adapter of `OidcProviderStore`. One provider per (account, url). */
export class SqliteOidcProviderStore implements OidcProviderStore {
  constructor(private readonly t: IamTables) {}

  async createOidcProvider(provider: OidcProvider): Promise<void> {
    this.t.write(() => {
      this.t.ensureAccount(provider.accountId, provider.createdAt)
      this.t.db
        .prepare(
          `INSERT INTO iam_oidc_providers (arn, account_id, url, client_ids, thumbprints, tags, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          provider.arn,
          provider.accountId,
          provider.url,
          JSON.stringify(provider.clientIds),
          JSON.stringify(provider.thumbprints),
          JSON.stringify(provider.tags),
          provider.createdAt,
        )
    })
  }

  async findOidcProvider(arn: string): Promise<OidcProvider | undefined> {
    const row = this.t.db.prepare('SELECT * FROM iam_oidc_providers WHERE arn = ?').get(arn) as
      ProviderRow | undefined
    return row === undefined ? undefined : toProvider(row)
  }

  async listOidcProviders(accountId: string): Promise<OidcProvider[]> {
    const rows = this.t.db
      .prepare('SELECT * FROM iam_oidc_providers WHERE account_id = ? ORDER BY arn')
      .all(accountId) as ProviderRow[]
    return rows.map(toProvider)
  }

  async deleteOidcProvider(arn: string): Promise<boolean> {
    return this.t.write(
      () => this.t.db.prepare('DELETE FROM iam_oidc_providers WHERE arn = ?').run(arn).changes > 0,
      (deleted) => deleted,
    )
  }
}

function toProvider(row: ProviderRow): OidcProvider {
  return {
    arn: row.arn,
    accountId: row.account_id,
    url: row.url,
    clientIds: parseStrings(row.client_ids),
    thumbprints: parseStrings(row.thumbprints),
    tags: parseTags(row.tags),
    createdAt: row.created_at,
  }
}
