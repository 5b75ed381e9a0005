import type {
  OidcProviderRecord,
  RoleRecord,
  SessionRecord,
  SessionUserRecord,
  StsStore,
  TagRecord,
} from '../../services/sts/store.js'
import type { SqliteDb } from './database.js'
import type { SqliteFreshness } from './freshness.js'
import { joinWriteScope } from '../write-scope.js'

interface RoleRow {
  role_id: string
  account_id: string
  role_name: string
  path: string
  arn: string
  assume_role_policy: string
  max_session_duration: number
  tags: string
}

interface SessionRow {
  access_key_id: string
  account_id: string
  sealed_secret: Buffer
  token_hash: string
  principal_kind: 'role' | 'user'
  principal_id: string
  role_arn: string | null
  session_name: string | null
  source_identity: string | null
  session_policies: string
  tags: string
  transitive_tag_keys: string
  chained: number
  created_at: number
  expires_at: number
}

/**
 * STS storage on SQLite: reads IAM's tables (migration 002) and owns `sts_sessions`. Tags are stored
 * as JSON arrays of `{Key, Value}` (IAM's format); anything else in a tags column reads as no tags.
 */
export class SqliteStsStore implements StsStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
  ) {}

  async findRole(arn: string): Promise<RoleRecord | undefined> {
    const row = this.db
      .prepare(
        `SELECT role_id, account_id, role_name, path, arn, assume_role_policy, max_session_duration, tags
         FROM iam_roles WHERE arn = ?`,
      )
      .get(arn) as RoleRow | undefined
    if (row === undefined) return undefined
    return {
      roleId: row.role_id,
      accountId: row.account_id,
      roleName: row.role_name,
      path: row.path,
      arn: row.arn,
      assumeRolePolicy: row.assume_role_policy,
      maxSessionDuration: row.max_session_duration,
      tags: parseTags(row.tags),
    }
  }

  async managedPolicyDocument(policyArn: string): Promise<string | undefined> {
    const row = this.db
      .prepare(
        `SELECT v.document FROM iam_policies p
         JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version_id
         WHERE p.arn = ?`,
      )
      .get(policyArn) as { document: string } | undefined
    return row?.document
  }

  async listOidcProviders(accountId: string): Promise<readonly OidcProviderRecord[]> {
    const rows = this.db
      .prepare('SELECT arn, account_id, url, client_ids FROM iam_oidc_providers WHERE account_id = ?')
      .all(accountId) as { arn: string; account_id: string; url: string; client_ids: string }[]
    return rows.map((row) => ({
      arn: row.arn,
      accountId: row.account_id,
      url: row.url,
      clientIds: parseStrings(row.client_ids),
    }))
  }

  async findSessionUser(userId: string): Promise<SessionUserRecord | undefined> {
    const row = this.db
      .prepare('SELECT user_id, account_id, user_name, arn, is_admin FROM iam_users WHERE user_id = ?')
      .get(userId) as
      { user_id: string; account_id: string; user_name: string; arn: string; is_admin: number } | undefined
    if (row === undefined) return undefined
    return {
      userId: row.user_id,
      accountId: row.account_id,
      userName: row.user_name,
      arn: row.arn,
      isAdmin: row.is_admin === 1,
    }
  }

  async insertSession(s: SessionRecord): Promise<void> {
    const insert = this.db.transaction(() => {
      joinWriteScope()
      this.db
        .prepare(
          `INSERT INTO sts_sessions (access_key_id, account_id, sealed_secret, token_hash, principal_kind,
           principal_id, role_arn, session_name, source_identity, session_policies, tags,
           transitive_tag_keys, chained, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          s.accessKeyId,
          s.accountId,
          s.sealedSecret,
          s.tokenHash,
          s.principalKind,
          s.principalId,
          s.roleArn ?? null,
          s.sessionName ?? null,
          s.sourceIdentity ?? null,
          JSON.stringify(s.sessionPolicies),
          JSON.stringify(s.tags),
          JSON.stringify(s.transitiveTagKeys),
          s.chained ? 1 : 0,
          s.createdAt,
          s.expiresAt,
        )
    })
    insert.immediate()
    this.freshness.written()
  }

  async findSession(accessKeyId: string): Promise<SessionRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM sts_sessions WHERE access_key_id = ?').get(accessKeyId) as
      SessionRow | undefined
    if (row === undefined) return undefined
    return {
      accessKeyId: row.access_key_id,
      accountId: row.account_id,
      sealedSecret: row.sealed_secret,
      tokenHash: row.token_hash,
      principalKind: row.principal_kind,
      principalId: row.principal_id,
      ...(row.role_arn !== null && { roleArn: row.role_arn }),
      ...(row.session_name !== null && { sessionName: row.session_name }),
      ...(row.source_identity !== null && { sourceIdentity: row.source_identity }),
      sessionPolicies: parseStrings(row.session_policies),
      tags: parseTags(row.tags),
      transitiveTagKeys: parseStrings(row.transitive_tag_keys),
      chained: row.chained === 1,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    }
  }

  async purgeSessions(before: number): Promise<number> {
    const { changes } = this.db.prepare('DELETE FROM sts_sessions WHERE expires_at < ?').run(before)
    if (changes > 0) this.freshness.written()
    return changes
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function parseStrings(text: string): string[] {
  const value = parseJson(text)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function parseTags(text: string): TagRecord[] {
  const value = parseJson(text)
  if (!Array.isArray(value)) return []
  return value.flatMap((t: unknown) => {
    const tag = t as { Key?: unknown; Value?: unknown } | null
    return tag !== null && typeof tag.Key === 'string' && typeof tag.Value === 'string'
      ? [{ Key: tag.Key, Value: tag.Value }]
      : []
  })
}
