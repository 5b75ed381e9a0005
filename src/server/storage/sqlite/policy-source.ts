import type { Statement } from 'better-sqlite3'
import {
  ALLOWS_NOTHING,
  type EntityPolicies,
  type PolicyEntity,
  type PolicySource,
} from '../../services/iam/policy-source.js'
import type { SqliteDb } from './database.js'

type Kind = PolicyEntity['kind']

/**
 * The policies of a user or role, read from the IAM tables of migration 002: inline policies (by
 * name), then attached managed policies' default versions (by ARN), and the permissions boundary's
 * default version. Read-only; IAM's own store writes these tables.
 */
export class SqlitePolicySource implements PolicySource {
  private readonly entity: Record<Kind, Statement<[string], { tags: string; boundary: string | null }>>
  private readonly inline: Statement<[Kind, string], string>
  private readonly attached: Statement<[Kind, string], string>
  private readonly managed: Statement<[string], string>

  constructor(db: SqliteDb) {
    this.entity = {
      user: db.prepare('SELECT tags, permissions_boundary AS boundary FROM iam_users WHERE user_id = ?'),
      role: db.prepare('SELECT tags, permissions_boundary AS boundary FROM iam_roles WHERE role_id = ?'),
    }
    this.inline = db
      .prepare(
        'SELECT document FROM iam_inline_policies WHERE principal_kind = ? AND principal_id = ? ORDER BY policy_name',
      )
      .pluck() as Statement<[Kind, string], string>
    this.attached = db
      .prepare(
        `SELECT v.document FROM iam_attached_policies a
         JOIN iam_policies p ON p.arn = a.policy_arn
         JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version_id
         WHERE a.principal_kind = ? AND a.principal_id = ? ORDER BY a.policy_arn`,
      )
      .pluck() as Statement<[Kind, string], string>
    this.managed = db
      .prepare(
        `SELECT v.document FROM iam_policies p
         JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version_id
         WHERE p.arn = ?`,
      )
      .pluck() as Statement<[string], string>
  }

  async policiesOf(entity: PolicyEntity): Promise<EntityPolicies | undefined> {
    const row = this.entity[entity.kind].get(entity.id)
    if (row === undefined) return undefined
    const identity = [
      ...this.inline.all(entity.kind, entity.id),
      ...this.attached.all(entity.kind, entity.id),
    ]
    return {
      identity,
      ...(row.boundary !== null && { boundary: this.managed.get(row.boundary) ?? ALLOWS_NOTHING }),
      tags: parseTags(row.tags),
    }
  }
}

/** Stored tags: `[{"Key":…,"Value":…}]` (IAM's own shape); an object map is accepted too. */
function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return tags
  }
  if (Array.isArray(parsed)) {
    for (const tag of parsed as unknown[]) {
      if (typeof tag !== 'object' || tag === null) continue
      const { Key, Value } = tag as { Key?: unknown; Value?: unknown }
      if (typeof Key === 'string') tags[Key] = typeof Value === 'string' ? Value : ''
    }
  } else if (typeof parsed === 'object' && parsed !== null) {
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') tags[key] = value
  }
  return tags
}
