/**
 * Shared helpers of the STS compatibility suite: IAM fixtures written straight into the server's
 * SQLite file (roles, inline policies, managed policies, OIDC providers — the server sees other
 * connections' commits at its next request), STS clients and error assertions.
 */
import { STSClient, STSServiceException } from '@aws-sdk/client-sts'
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { openReadWrite, type Db } from '../../support/db-snapshot.js'
import type { TestServer } from '../../support/server.js'

export const ACCOUNT = '000000000000'
export const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:user/admin`

export interface StaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

export function stsClient(server: TestServer, credentials?: StaticCredentials): STSClient {
  return new STSClient({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: credentials ?? {
      accessKeyId: server.credentials.accessKeyId,
      secretAccessKey: server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  })
}

/** The credentials of an AssumeRole / GetSessionToken answer, as client options take them. */
export function asCredentials(
  c:
    | {
        AccessKeyId?: string | undefined
        SecretAccessKey?: string | undefined
        SessionToken?: string | undefined
      }
    | undefined,
) {
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined)
    throw new Error('no credentials in the answer')
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }
}

export function trustPolicy(statement: Record<string, unknown> | Record<string, unknown>[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: Array.isArray(statement) ? statement : [statement],
  })
}

/** A trust policy letting `principalArn` assume the role (and tag the session / set a source identity). */
export function trustingPrincipal(principalArn: string, condition?: Record<string, unknown>): string {
  return trustPolicy({
    Effect: 'Allow',
    Principal: { AWS: principalArn },
    Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    ...(condition !== undefined && { Condition: condition }),
  })
}

export interface RoleFixture {
  readonly roleId: string
  readonly name: string
  readonly arn: string
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
function id(prefix: string): string {
  return prefix + [...randomBytes(17)].map((b) => ALNUM[b % ALNUM.length]).join('')
}

let counter = 0
export function uniqueRoleName(prefix = 'role'): string {
  return `${prefix}-${Date.now().toString(36)}-${++counter}`
}

/** Writes IAM fixtures into a running server's database. */
export class IamFixtures {
  readonly db: Db

  constructor(server: TestServer) {
    this.db = openReadWrite(server.dataDir)
  }

  role(options: {
    name?: string
    path?: string
    trust: string
    maxSessionDuration?: number
    tags?: { Key: string; Value: string }[]
    inline?: Record<string, string>
    account?: string
  }): RoleFixture {
    const name = options.name ?? uniqueRoleName()
    const account = options.account ?? ACCOUNT
    const path = options.path ?? '/'
    const roleId = id('AROA')
    const arn = `arn:aws:iam::${account}:role${path}${name}`
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
        .run(account, Date.now())
      this.db
        .prepare(
          `INSERT INTO iam_roles (role_id, account_id, role_name, path, arn, assume_role_policy, max_session_duration, tags, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          roleId,
          account,
          name,
          path,
          arn,
          options.trust,
          options.maxSessionDuration ?? 3600,
          JSON.stringify(options.tags ?? []),
          Date.now(),
        )
      for (const [policyName, document] of Object.entries(options.inline ?? {})) {
        this.db
          .prepare(
            "INSERT INTO iam_inline_policies (principal_kind, principal_id, policy_name, document) VALUES ('role', ?, ?, ?)",
          )
          .run(roleId, policyName, document)
      }
    })()
    return { roleId, name, arn }
  }

  managedPolicy(name: string, document: string, account = ACCOUNT): string {
    const arn = `arn:aws:iam::${account}:policy/${name}`
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO iam_policies (policy_id, account_id, policy_name, path, arn, default_version_id, created_at, updated_at)
           VALUES (?, ?, ?, '/', ?, 'v1', ?, ?)`,
        )
        .run(id('ANPA'), account, name, arn, Date.now(), Date.now())
      this.db
        .prepare(
          "INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, 'v1', ?, ?)",
        )
        .run(arn, document, Date.now())
    })()
    return arn
  }

  /** `url` as IAM stores it: `host/path` (no scheme). */
  oidcProvider(url: string, clientIds: string[], account = ACCOUNT): string {
    const arn = `arn:aws:iam::${account}:oidc-provider/${url}`
    this.db
      .prepare(
        'INSERT INTO iam_oidc_providers (arn, account_id, url, client_ids, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(arn, account, url, JSON.stringify(clientIds), Date.now())
    return arn
  }

  /** Makes a session expired, as if its time had passed. */
  expire(accessKeyId: string, at = Date.now() - 1000): void {
    const { changes } = this.db
      .prepare('UPDATE sts_sessions SET expires_at = ? WHERE access_key_id = ?')
      .run(at, accessKeyId)
    if (changes !== 1) throw new Error(`no session ${accessKeyId}`)
  }

  session(accessKeyId: string): Record<string, unknown> | undefined {
    return this.db.prepare('SELECT * FROM sts_sessions WHERE access_key_id = ?').get(accessKeyId) as
      Record<string, unknown> | undefined
  }

  close(): void {
    this.db.close()
  }
}

/** Awaits `promise`, expecting an STS error with `code`, HTTP `status` and (when given) the message. */
export async function expectStsError(
  promise: Promise<unknown>,
  code: string,
  status: number,
  message?: string | RegExp,
): Promise<STSServiceException> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok)
    throw new Error(`expected ${code}, but the call succeeded: ${JSON.stringify(outcome.value)}`)
  const e = outcome.error as STSServiceException
  expect({ name: e.name, message: e.message, status: e.$metadata?.httpStatusCode }).toMatchObject({
    name: code,
    status,
  })
  if (typeof message === 'string') expect(e.message).toBe(message)
  else if (message !== undefined) expect(e.message).toMatch(message)
  return e
}
