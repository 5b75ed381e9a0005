import type {
  DeleteOutcome,
  ManagedPolicy,
  ManagedPolicyStore,
  NewPolicy,
  PolicyVersionRecord,
} from '../../services/iam/iam-store.js'
import { parseTags, type IamTables } from './iam-common.js'

interface PolicyRow {
  policy_id: string
  account_id: string
  policy_name: string
  path: string
  arn: string
  description: string | null
  default_version_id: string
  tags: string
  created_at: number
  updated_at: number
  attachment_count: number
  boundary_count: number
}

interface VersionRow {
  version_id: string
  document: string
  created_at: number
  is_default: number
}

const SELECT_POLICIES = `SELECT p.*,
    (SELECT count(*) FROM iam_attached_policies a WHERE a.policy_arn = p.arn) AS attachment_count,
    (SELECT count(*) FROM iam_users u WHERE u.permissions_boundary = p.arn)
      + (SELECT count(*) FROM iam_roles r WHERE r.permissions_boundary = p.arn) AS boundary_count
  FROM iam_policies p`

const SELECT_VERSIONS = `SELECT v.version_id, v.document, v.created_at, v.version_id = p.default_version_id AS is_default
  FROM iam_policy_versions v JOIN iam_policies p ON p.arn = v.policy_arn`

/** Version ids are `v<n>`: ordered by n, not as text (v10 after v9). */
const VERSION_NUMBER = 'CAST(substr(v.version_id, 2) AS INTEGER)'

/** The SQLite adapter of `ManagedPolicyStore`. */
export class SqliteManagedPolicyStore implements ManagedPolicyStore {
  constructor(private readonly t: IamTables) {}

  async createPolicy(policy: NewPolicy): Promise<ManagedPolicy> {
    this.t.write(() => {
      this.t.db
        .prepare(
          `INSERT INTO iam_policies (policy_id, account_id, policy_name, path, arn, description, default_version_id,
             tags, created_at, updated_at, next_version)
           VALUES (?, ?, ?, ?, ?, ?, 'v1', ?, ?, ?, 2)`,
        )
        .run(
          policy.policyId,
          policy.accountId,
          policy.policyName,
          policy.path,
          policy.arn,
          policy.description ?? null,
          JSON.stringify(policy.tags),
          policy.createdAt,
          policy.createdAt,
        )
      this.t.db
        .prepare(
          "INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, 'v1', ?, ?)",
        )
        .run(policy.arn, policy.document, policy.createdAt)
    })
    const { document: _document, ...rest } = policy
    return {
      ...rest,
      defaultVersionId: 'v1',
      updatedAt: policy.createdAt,
      attachmentCount: 0,
      boundaryUsageCount: 0,
    }
  }

  async findPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    const row = this.t.db.prepare(`${SELECT_POLICIES} WHERE p.arn = ?`).get(arn) as PolicyRow | undefined
    return row === undefined ? undefined : toPolicy(row)
  }

  async listPolicies(accountIds: readonly string[]): Promise<ManagedPolicy[]> {
    if (accountIds.length === 0) return []
    const rows = this.t.db
      .prepare(
        `${SELECT_POLICIES} WHERE p.account_id IN (${accountIds.map(() => '?').join(', ')})
         ORDER BY lower(p.policy_name), p.arn`,
      )
      .all(...accountIds) as PolicyRow[]
    return rows.map(toPolicy)
  }

  async deletePolicy(arn: string): Promise<DeleteOutcome> {
    return this.t.write(
      () => {
        const row = this.t.db.prepare(`${SELECT_POLICIES} WHERE p.arn = ?`).get(arn) as PolicyRow | undefined
        if (row === undefined) return { deleted: false }
        if (row.attachment_count + row.boundary_count > 0) return { deleted: false, blockedBy: 'attachments' }
        const versions = this.t.db
          .prepare('SELECT count(*) FROM iam_policy_versions WHERE policy_arn = ?')
          .pluck()
          .get(arn) as number
        if (versions > 1) return { deleted: false, blockedBy: 'versions' }
        this.t.db.prepare('DELETE FROM iam_policies WHERE arn = ?').run(arn)
        return { deleted: true }
      },
      (outcome) => outcome.deleted,
    )
  }

  async addPolicyVersion(
    arn: string,
    version: { document: string; createdAt: number; setAsDefault: boolean },
    maxVersions: number,
  ): Promise<{ versionId: string } | 'limit' | 'missing'> {
    return this.t.write(
      () => {
        const db = this.t.db
        const policy = db
          .prepare(
            `SELECT p.next_version, (SELECT count(*) FROM iam_policy_versions v WHERE v.policy_arn = p.arn) AS versions
             FROM iam_policies p WHERE p.arn = ?`,
          )
          .get(arn) as { next_version: number; versions: number } | undefined
        if (policy === undefined) return 'missing'
        if (policy.versions >= maxVersions) return 'limit'
        const versionId = `v${policy.next_version}`
        db.prepare(
          'INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, ?, ?, ?)',
        ).run(arn, versionId, version.document, version.createdAt)
        db.prepare(
          `UPDATE iam_policies SET next_version = next_version + 1, updated_at = ?,
             default_version_id = CASE WHEN ? THEN ? ELSE default_version_id END
           WHERE arn = ?`,
        ).run(version.createdAt, version.setAsDefault ? 1 : 0, versionId, arn)
        return { versionId }
      },
      (outcome) => typeof outcome === 'object',
    )
  }

  async getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined> {
    const row = this.t.db
      .prepare(`${SELECT_VERSIONS} WHERE v.policy_arn = ? AND v.version_id = ?`)
      .get(arn, versionId) as VersionRow | undefined
    return row === undefined ? undefined : toVersion(row)
  }

  async listPolicyVersions(arn: string): Promise<PolicyVersionRecord[]> {
    const rows = this.t.db
      .prepare(`${SELECT_VERSIONS} WHERE v.policy_arn = ? ORDER BY ${VERSION_NUMBER} DESC`)
      .all(arn) as VersionRow[]
    return rows.map(toVersion)
  }

  async deletePolicyVersion(arn: string, versionId: string): Promise<'deleted' | 'default' | 'missing'> {
    return this.t.write(
      () => {
        const row = this.t.db
          .prepare(`${SELECT_VERSIONS} WHERE v.policy_arn = ? AND v.version_id = ?`)
          .get(arn, versionId) as VersionRow | undefined
        if (row === undefined) return 'missing'
        if (row.is_default === 1) return 'default'
        this.t.db
          .prepare('DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?')
          .run(arn, versionId)
        return 'deleted'
      },
      (outcome) => outcome === 'deleted',
    )
  }

  async setDefaultPolicyVersion(arn: string, versionId: string): Promise<boolean> {
    return this.t.write(
      () =>
        this.t.db
          .prepare(
            `UPDATE iam_policies SET default_version_id = ?
             WHERE arn = ? AND EXISTS (SELECT 1 FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?)`,
          )
          .run(versionId, arn, arn, versionId).changes > 0,
      (changed) => changed,
    )
  }
}

function toPolicy(row: PolicyRow): ManagedPolicy {
  return {
    policyId: row.policy_id,
    accountId: row.account_id,
    policyName: row.policy_name,
    path: row.path,
    arn: row.arn,
    ...(row.description !== null && { description: row.description }),
    defaultVersionId: row.default_version_id,
    tags: parseTags(row.tags),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attachmentCount: row.attachment_count,
    boundaryUsageCount: row.boundary_count,
  }
}

function toVersion(row: VersionRow): PolicyVersionRecord {
  return {
    versionId: row.version_id,
    document: row.document,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
  }
}
