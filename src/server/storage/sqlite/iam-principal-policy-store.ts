import type {
  AttachedPolicyRecord,
  PrincipalKind,
  PrincipalPolicyStore,
} from '../../services/iam/iam-store.js'
import type { IamTables } from './iam-common.js'

const OF_PRINCIPAL = 'principal_kind = ? AND principal_id = ?'

/** The SQLite adapter of `PrincipalPolicyStore`: inline documents and attachments of users and roles. */
export class SqlitePrincipalPolicyStore implements PrincipalPolicyStore {
  constructor(private readonly t: IamTables) {}

  async putInlinePolicy(
    kind: PrincipalKind,
    principalId: string,
    policy: { name: string; document: string },
    check: (otherDocuments: readonly string[]) => void,
  ): Promise<boolean> {
    return this.t.write(
      () => {
        if (!this.t.principalExists(kind, principalId)) return false
        const others = this.t.db
          .prepare(`SELECT document FROM iam_inline_policies WHERE ${OF_PRINCIPAL} AND policy_name <> ?`)
          .pluck()
          .all(kind, principalId, policy.name) as string[]
        check(others)
        this.t.db
          .prepare(
            `INSERT INTO iam_inline_policies (principal_kind, principal_id, policy_name, document) VALUES (?, ?, ?, ?)
             ON CONFLICT (principal_kind, principal_id, policy_name) DO UPDATE SET document = excluded.document`,
          )
          .run(kind, principalId, policy.name, policy.document)
        return true
      },
      (written) => written,
    )
  }

  async getInlinePolicy(kind: PrincipalKind, principalId: string, name: string): Promise<string | undefined> {
    return this.t.db
      .prepare(`SELECT document FROM iam_inline_policies WHERE ${OF_PRINCIPAL} AND policy_name = ?`)
      .pluck()
      .get(kind, principalId, name) as string | undefined
  }

  async listInlinePolicies(kind: PrincipalKind, principalId: string): Promise<string[]> {
    return this.t.db
      .prepare(`SELECT policy_name FROM iam_inline_policies WHERE ${OF_PRINCIPAL} ORDER BY policy_name`)
      .pluck()
      .all(kind, principalId) as string[]
  }

  async deleteInlinePolicy(kind: PrincipalKind, principalId: string, name: string): Promise<boolean> {
    return this.t.write(
      () =>
        this.t.db
          .prepare(`DELETE FROM iam_inline_policies WHERE ${OF_PRINCIPAL} AND policy_name = ?`)
          .run(kind, principalId, name).changes > 0,
      (deleted) => deleted,
    )
  }

  async attachPolicy(
    kind: PrincipalKind,
    principalId: string,
    policyArn: string,
    maxAttached: number,
  ): Promise<'attached' | 'limit' | 'missing'> {
    return this.t.write(
      () => {
        const db = this.t.db
        if (!this.t.principalExists(kind, principalId)) return 'missing'
        if (db.prepare('SELECT 1 FROM iam_policies WHERE arn = ?').get(policyArn) === undefined)
          return 'missing'
        const attached = db
          .prepare(`SELECT policy_arn FROM iam_attached_policies WHERE ${OF_PRINCIPAL}`)
          .pluck()
          .all(kind, principalId) as string[]
        if (attached.includes(policyArn)) return 'attached'
        if (attached.length >= maxAttached) return 'limit'
        db.prepare(
          'INSERT INTO iam_attached_policies (principal_kind, principal_id, policy_arn) VALUES (?, ?, ?)',
        ).run(kind, principalId, policyArn)
        return 'attached'
      },
      (outcome) => outcome === 'attached',
    )
  }

  async detachPolicy(kind: PrincipalKind, principalId: string, policyArn: string): Promise<boolean> {
    return this.t.write(
      () =>
        this.t.db
          .prepare(`DELETE FROM iam_attached_policies WHERE ${OF_PRINCIPAL} AND policy_arn = ?`)
          .run(kind, principalId, policyArn).changes > 0,
      (detached) => detached,
    )
  }

  async listAttachedPolicies(kind: PrincipalKind, principalId: string): Promise<AttachedPolicyRecord[]> {
    const rows = this.t.db
      .prepare(
        `SELECT p.policy_name, p.arn, p.path FROM iam_attached_policies a JOIN iam_policies p ON p.arn = a.policy_arn
         WHERE a.principal_kind = ? AND a.principal_id = ? ORDER BY lower(p.policy_name), p.arn`,
      )
      .all(kind, principalId) as { policy_name: string; arn: string; path: string }[]
    return rows.map((row) => ({ policyName: row.policy_name, policyArn: row.arn, path: row.path }))
  }
}
