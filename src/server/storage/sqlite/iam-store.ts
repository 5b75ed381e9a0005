import type { IamStore } from '../../services/iam/iam-store.js'
import type { SqliteDb } from './database.js'
import type { SqliteFreshness } from './freshness.js'
import { SqliteAccessKeyStore } from './iam-access-key-store.js'
import { IamTables } from './iam-common.js'
import { SqliteOidcProviderStore } from './iam-oidc-store.js'
import { SqlitePrincipalPolicyStore } from './iam-principal-policy-store.js'
import { SqlitePrincipalStore } from './iam-principal-store.js'
import { SqliteManagedPolicyStore } from './iam-policy-store.js'

/**
 * The SQLite adapter of the IAM port (schema: migrations 001–003). Writes go through this process's
 * connection and signal `freshness` after every commit, so caches here and in other processes (which
 * notice `PRAGMA data_version`) never serve a deactivated key or a replaced policy.
 */
export function createSqliteIamStore(db: SqliteDb, freshness: SqliteFreshness): IamStore {
  const tables = new IamTables(db, freshness)
  return {
    principals: new SqlitePrincipalStore(tables),
    principalPolicies: new SqlitePrincipalPolicyStore(tables),
    accessKeys: new SqliteAccessKeyStore(tables),
    policies: new SqliteManagedPolicyStore(tables),
    oidc: new SqliteOidcProviderStore(tables),
  }
}
