import { afterEach, describe, expect, it } from 'vitest'
import { ALLOWS_NOTHING } from '../../services/iam/policy-source.js'
import { openSqlite, type SqliteDb } from './database.js'
import { SqlitePolicySource } from './policy-source.js'

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess'
const doc = (sid: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }],
  })

let db: SqliteDb | undefined
afterEach(() => db?.close())

function fixture(): SqliteDb {
  db = openSqlite(':memory:')
  db.exec(`
    INSERT INTO accounts VALUES ('123456789012', 0);
    INSERT INTO iam_users (user_id, account_id, user_name, arn, created_at, tags, permissions_boundary)
      VALUES ('AIDA1', '123456789012', 'alice', 'arn:aws:iam::123456789012:user/alice', 0,
              '[{"Key":"team","Value":"blue"}]', 'arn:aws:iam::123456789012:policy/boundary');
    INSERT INTO iam_users (user_id, account_id, user_name, arn, created_at, permissions_boundary)
      VALUES ('AIDA2', '123456789012', 'bob', 'arn:aws:iam::123456789012:user/bob', 0, 'arn:aws:iam::123456789012:policy/gone');
    INSERT INTO iam_roles (role_id, account_id, role_name, arn, assume_role_policy, created_at, tags)
      VALUES ('AROA1', '123456789012', 'app', 'arn:aws:iam::123456789012:role/app', '{}', 0, '[]');
    INSERT INTO iam_policies (policy_id, account_id, policy_name, arn, default_version_id, created_at, updated_at)
      VALUES ('ANPA1', '123456789012', 'boundary', 'arn:aws:iam::123456789012:policy/boundary', 'v2', 0, 0);
    INSERT INTO iam_policy_versions VALUES ('arn:aws:iam::123456789012:policy/boundary', 'v1', '${doc('old')}', 0);
    INSERT INTO iam_policy_versions VALUES ('arn:aws:iam::123456789012:policy/boundary', 'v2', '${doc('boundary')}', 0);
    INSERT INTO iam_inline_policies VALUES ('user', 'AIDA1', 'b', '${doc('inline-b')}');
    INSERT INTO iam_inline_policies VALUES ('user', 'AIDA1', 'a', '${doc('inline-a')}');
    INSERT INTO iam_inline_policies VALUES ('role', 'AIDA1', 'x', '${doc('not-the-user')}');
    INSERT INTO iam_attached_policies VALUES ('user', 'AIDA1', '${ADMIN}');
    INSERT INTO iam_attached_policies VALUES ('role', 'AROA1', 'arn:aws:iam::123456789012:policy/boundary');
  `)
  return db
}

const sids = (texts: readonly string[]) =>
  texts.map((text) => (JSON.parse(text) as { Statement: { Sid?: string }[] }).Statement[0]?.Sid ?? 'admin')

describe('SqlitePolicySource', () => {
  it('inline policies by name, then attached managed policies (AWS-managed too) at their default version', async () => {
    const source = new SqlitePolicySource(fixture())
    const alice = await source.policiesOf({ kind: 'user', id: 'AIDA1' })
    expect(sids(alice?.identity ?? [])).toEqual(['inline-a', 'inline-b', 'admin'])
    expect(sids([alice?.boundary ?? ''])).toEqual(['boundary'])
    expect(alice?.tags).toEqual({ team: 'blue' })
    const role = await source.policiesOf({ kind: 'role', id: 'AROA1' })
    expect(role).toEqual({ identity: [doc('boundary')], tags: {} })
  })

  it('a boundary naming a missing policy allows nothing; an unknown entity is undefined', async () => {
    const source = new SqlitePolicySource(fixture())
    expect((await source.policiesOf({ kind: 'user', id: 'AIDA2' }))?.boundary).toBe(ALLOWS_NOTHING)
    expect(await source.policiesOf({ kind: 'user', id: 'AIDA9' })).toBeUndefined()
    expect(await source.policiesOf({ kind: 'role', id: 'AIDA1' })).toBeUndefined()
  })
})
