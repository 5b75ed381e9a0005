import type {
  AccessKeyRecord,
  DeploymentRecord,
  IdentityStore,
  UserRecord,
} from '../../services/iam/store.js'
import type { SqliteDb } from './database.js'

/** The AWS-managed policy installed by migration 002 and attached to the deployment's administrator. */
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'

interface KeyRow {
  access_key_id: string
  user_id: string
  sealed_secret: Buffer
  status: 'Active' | 'Inactive'
  key_created_at: number
  account_id: string
  user_name: string
  path: string
  arn: string
  is_admin: number
  user_created_at: number
}

export class SqliteIdentityStore implements IdentityStore {
  constructor(private readonly db: SqliteDb) {}

  async getDeployment(): Promise<DeploymentRecord | undefined> {
    const row = this.db
      .prepare('SELECT default_account_id, default_region, created_at FROM deployment WHERE id = 1')
      .get() as { default_account_id: string; default_region: string; created_at: number } | undefined
    return row === undefined
      ? undefined
      : {
          defaultAccountId: row.default_account_id,
          defaultRegion: row.default_region,
          createdAt: row.created_at,
        }
  }

  async initialize(init: {
    deployment: DeploymentRecord
    admin: UserRecord
    accessKey: AccessKeyRecord
  }): Promise<boolean> {
    const { deployment, admin, accessKey } = init
    return this.db
      .transaction(() => {
        const inserted = this.db
          .prepare(
            'INSERT INTO deployment (id, default_account_id, default_region, created_at) VALUES (1, ?, ?, ?) ON CONFLICT DO NOTHING',
          )
          .run(deployment.defaultAccountId, deployment.defaultRegion, deployment.createdAt)
        if (inserted.changes === 0) return false
        this.db
          .prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
          .run(deployment.defaultAccountId, deployment.createdAt)
        this.db
          .prepare(
            `INSERT INTO iam_users (user_id, account_id, user_name, path, arn, is_admin, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            admin.userId,
            admin.accountId,
            admin.userName,
            admin.path,
            admin.arn,
            admin.isAdmin ? 1 : 0,
            admin.createdAt,
          )
        if (admin.isAdmin) {
          this.db
            .prepare(
              "INSERT INTO iam_attached_policies (principal_kind, principal_id, policy_arn) VALUES ('user', ?, ?)",
            )
            .run(admin.userId, ADMINISTRATOR_ACCESS)
        }
        this.db
          .prepare(
            'INSERT INTO access_keys (access_key_id, user_id, sealed_secret, status, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            accessKey.accessKeyId,
            accessKey.userId,
            accessKey.sealedSecret,
            accessKey.status,
            accessKey.createdAt,
          )
        return true
      })
      .immediate()
  }

  async findAccessKey(accessKeyId: string): Promise<{ key: AccessKeyRecord; user: UserRecord } | undefined> {
    const row = this.db
      .prepare(
        `SELECT k.access_key_id, k.user_id, k.sealed_secret, k.status, k.created_at AS key_created_at,
                u.account_id, u.user_name, u.path, u.arn, u.is_admin, u.created_at AS user_created_at
         FROM access_keys k JOIN iam_users u ON u.user_id = k.user_id WHERE k.access_key_id = ?`,
      )
      .get(accessKeyId) as KeyRow | undefined
    if (row === undefined) return undefined
    return {
      key: {
        accessKeyId: row.access_key_id,
        userId: row.user_id,
        sealedSecret: row.sealed_secret,
        status: row.status,
        createdAt: row.key_created_at,
      },
      user: {
        userId: row.user_id,
        accountId: row.account_id,
        userName: row.user_name,
        path: row.path,
        arn: row.arn,
        isAdmin: row.is_admin === 1,
        createdAt: row.user_created_at,
      },
    }
  }
}
