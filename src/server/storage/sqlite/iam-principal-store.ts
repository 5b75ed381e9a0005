import type {
  DeleteOutcome,
  IamRole,
  IamUser,
  PrincipalKind,
  PrincipalStore,
  Tag,
} from '../../services/iam/iam-store.js'
import { parseTags, type IamTables } from './iam-common.js'

interface UserRow {
  user_id: string
  account_id: string
  user_name: string
  path: string
  arn: string
  created_at: number
  permissions_boundary: string | null
  tags: string
}

interface RoleRow {
  role_id: string
  account_id: string
  role_name: string
  path: string
  arn: string
  assume_role_policy: string
  description: string | null
  max_session_duration: number
  permissions_boundary: string | null
  tags: string
  created_at: number
  last_used_at: number | null
  last_used_region: string | null
}

const TABLE = {
  user: { table: 'iam_users', id: 'user_id' },
  role: { table: 'iam_roles', id: 'role_id' },
} as const

/** The SQLite adapter of `PrincipalStore`. Name lookups use the `lower(name)` unique indexes. */
export class SqlitePrincipalStore implements PrincipalStore {
  constructor(private readonly t: IamTables) {}

  async createUser(user: IamUser): Promise<void> {
    this.t.write(() => {
      this.t.ensureAccount(user.accountId, user.createdAt)
      this.t.db
        .prepare(
          `INSERT INTO iam_users (user_id, account_id, user_name, path, arn, created_at, permissions_boundary, tags)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          user.userId,
          user.accountId,
          user.userName,
          user.path,
          user.arn,
          user.createdAt,
          user.permissionsBoundary ?? null,
          JSON.stringify(user.tags),
        )
    })
  }

  async findUser(accountId: string, userName: string): Promise<IamUser | undefined> {
    const row = this.t.db
      .prepare('SELECT * FROM iam_users WHERE account_id = ? AND lower(user_name) = lower(?)')
      .get(accountId, userName) as UserRow | undefined
    return row === undefined ? undefined : toUser(row)
  }

  async listUsers(accountId: string): Promise<IamUser[]> {
    const rows = this.t.db
      .prepare('SELECT * FROM iam_users WHERE account_id = ? ORDER BY lower(user_name), user_name')
      .all(accountId) as UserRow[]
    return rows.map(toUser)
  }

  async renameUser(
    userId: string,
    change: { userName: string; path: string; arn: string },
  ): Promise<boolean> {
    return this.t.write(
      () =>
        this.t.db
          .prepare('UPDATE iam_users SET user_name = ?, path = ?, arn = ? WHERE user_id = ?')
          .run(change.userName, change.path, change.arn, userId).changes > 0,
      (changed) => changed,
    )
  }

  async deleteUser(userId: string): Promise<DeleteOutcome> {
    return this.t.write(
      () => {
        const db = this.t.db
        if (!this.t.principalExists('user', userId)) return { deleted: false }
        if (db.prepare('SELECT 1 FROM access_keys WHERE user_id = ?').get(userId) !== undefined)
          return { deleted: false, blockedBy: 'access-keys' }
        const blocked = this.policyBlocker('user', userId)
        if (blocked !== undefined) return blocked
        db.prepare('DELETE FROM iam_users WHERE user_id = ?').run(userId)
        return { deleted: true }
      },
      (outcome) => outcome.deleted,
    )
  }

  async createRole(role: IamRole): Promise<void> {
    this.t.write(() => {
      this.t.ensureAccount(role.accountId, role.createdAt)
      this.t.db
        .prepare(
          `INSERT INTO iam_roles (role_id, account_id, role_name, path, arn, assume_role_policy, description,
             max_session_duration, permissions_boundary, tags, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          role.roleId,
          role.accountId,
          role.roleName,
          role.path,
          role.arn,
          role.assumeRolePolicy,
          role.description ?? null,
          role.maxSessionDuration,
          role.permissionsBoundary ?? null,
          JSON.stringify(role.tags),
          role.createdAt,
        )
    })
  }

  async findRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    const row = this.t.db
      .prepare('SELECT * FROM iam_roles WHERE account_id = ? AND lower(role_name) = lower(?)')
      .get(accountId, roleName) as RoleRow | undefined
    return row === undefined ? undefined : toRole(row)
  }

  async listRoles(accountId: string): Promise<IamRole[]> {
    const rows = this.t.db
      .prepare('SELECT * FROM iam_roles WHERE account_id = ? ORDER BY lower(role_name), role_name')
      .all(accountId) as RoleRow[]
    return rows.map(toRole)
  }

  async updateRole(
    roleId: string,
    change: { description?: string; maxSessionDuration?: number; assumeRolePolicy?: string },
  ): Promise<boolean> {
    const columns: string[] = []
    const values: unknown[] = []
    if (change.description !== undefined) {
      columns.push('description = ?')
      values.push(change.description === '' ? null : change.description)
    }
    if (change.maxSessionDuration !== undefined) {
      columns.push('max_session_duration = ?')
      values.push(change.maxSessionDuration)
    }
    if (change.assumeRolePolicy !== undefined) {
      columns.push('assume_role_policy = ?')
      values.push(change.assumeRolePolicy)
    }
    const sql =
      columns.length === 0
        ? 'SELECT 1 FROM iam_roles WHERE role_id = ?'
        : `UPDATE iam_roles SET ${columns.join(', ')} WHERE role_id = ?`
    if (columns.length === 0) return this.t.db.prepare(sql).get(roleId) !== undefined
    return this.t.write(
      () => this.t.db.prepare(sql).run(...values, roleId).changes > 0,
      (changed) => changed,
    )
  }

  async deleteRole(roleId: string): Promise<DeleteOutcome> {
    return this.t.write(
      () => {
        if (!this.t.principalExists('role', roleId)) return { deleted: false }
        const blocked = this.policyBlocker('role', roleId)
        if (blocked !== undefined) return blocked
        this.t.db.prepare('DELETE FROM iam_roles WHERE role_id = ?').run(roleId)
        return { deleted: true }
      },
      (outcome) => outcome.deleted,
    )
  }

  async updateTags(
    kind: PrincipalKind,
    principalId: string,
    update: (current: readonly Tag[]) => readonly Tag[],
  ): Promise<boolean> {
    const { table, id } = TABLE[kind]
    return this.t.write(
      () => {
        const row = this.t.db.prepare(`SELECT tags FROM ${table} WHERE ${id} = ?`).get(principalId) as
          { tags: string } | undefined
        if (row === undefined) return false
        const next = update(parseTags(row.tags))
        this.t.db
          .prepare(`UPDATE ${table} SET tags = ? WHERE ${id} = ?`)
          .run(JSON.stringify(next), principalId)
        return true
      },
      (changed) => changed,
    )
  }

  async setPermissionsBoundary(
    kind: PrincipalKind,
    principalId: string,
    policyArn: string | undefined,
  ): Promise<boolean> {
    const { table, id } = TABLE[kind]
    return this.t.write(
      () =>
        this.t.db
          .prepare(`UPDATE ${table} SET permissions_boundary = ? WHERE ${id} = ?`)
          .run(policyArn ?? null, principalId).changes > 0,
      (changed) => changed,
    )
  }

  /** IAM refuses to delete a principal that still has attached, then inline, policies. */
  private policyBlocker(kind: PrincipalKind, principalId: string): DeleteOutcome | undefined {
    const db = this.t.db
    const where = 'WHERE principal_kind = ? AND principal_id = ?'
    if (db.prepare(`SELECT 1 FROM iam_attached_policies ${where}`).get(kind, principalId) !== undefined)
      return { deleted: false, blockedBy: 'attached-policies' }
    if (db.prepare(`SELECT 1 FROM iam_inline_policies ${where}`).get(kind, principalId) !== undefined)
      return { deleted: false, blockedBy: 'inline-policies' }
    return undefined
  }
}

function toUser(row: UserRow): IamUser {
  return {
    userId: row.user_id,
    accountId: row.account_id,
    userName: row.user_name,
    path: row.path,
    arn: row.arn,
    createdAt: row.created_at,
    ...(row.permissions_boundary !== null && { permissionsBoundary: row.permissions_boundary }),
    tags: parseTags(row.tags),
  }
}

function toRole(row: RoleRow): IamRole {
  return {
    roleId: row.role_id,
    accountId: row.account_id,
    roleName: row.role_name,
    path: row.path,
    arn: row.arn,
    assumeRolePolicy: row.assume_role_policy,
    ...(row.description !== null && { description: row.description }),
    maxSessionDuration: row.max_session_duration,
    ...(row.permissions_boundary !== null && { permissionsBoundary: row.permissions_boundary }),
    tags: parseTags(row.tags),
    createdAt: row.created_at,
    ...(row.last_used_at !== null && { lastUsedAt: row.last_used_at }),
    ...(row.last_used_region !== null && { lastUsedRegion: row.last_used_region }),
  }
}
