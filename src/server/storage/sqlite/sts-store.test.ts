import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stsStoreContract } from '../contract/sts-store.contract.js'
import { openSqlite } from './database.js'
import { SqliteFreshness } from './freshness.js'
import { SqliteStsStore } from './sts-store.js'

stsStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-sts-contract-'))
  const db = openSqlite(join(dir, 'coffer.db'))
  const account = (id: string) =>
    db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0) ON CONFLICT DO NOTHING').run(id)
  return {
    store: new SqliteStsStore(db, new SqliteFreshness(db)),
    seed: {
      role(r) {
        account(r.accountId)
        db.prepare(
          `INSERT INTO iam_roles (role_id, account_id, role_name, path, arn, assume_role_policy, max_session_duration, tags, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        ).run(
          r.roleId,
          r.accountId,
          r.roleName,
          r.path,
          r.arn,
          r.assumeRolePolicy,
          r.maxSessionDuration,
          JSON.stringify(r.tags),
        )
      },
      managedPolicy(arn, accountId, document) {
        db.prepare(
          `INSERT INTO iam_policies (policy_id, account_id, policy_name, arn, default_version_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'v2', 0, 0)`,
        ).run(`ANPA${arn.length}`, accountId, arn.slice(arn.lastIndexOf('/') + 1), arn)
        const version = db.prepare(
          'INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, ?, ?, 0)',
        )
        version.run(arn, 'v1', '{"old":true}')
        version.run(arn, 'v2', document)
      },
      oidcProvider(arn, accountId, url, clientIds) {
        account(accountId)
        db.prepare(
          'INSERT INTO iam_oidc_providers (arn, account_id, url, client_ids, created_at) VALUES (?, ?, ?, ?, 0)',
        ).run(arn, accountId, url, JSON.stringify(clientIds))
      },
      user(userId, accountId, userName, isAdmin) {
        account(accountId)
        db.prepare(
          'INSERT INTO iam_users (user_id, account_id, user_name, path, arn, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, 0)',
        ).run(userId, accountId, userName, '/', `arn:aws:iam::${accountId}:user/${userName}`, isAdmin ? 1 : 0)
      },
    },
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
