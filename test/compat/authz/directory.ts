/**
 * IAM users, access keys and policies and KMS keys for the authorization tests and the policy
 * benchmark, created through the server's own IAM and KMS APIs by an administrator of the account.
 * Only what no API can do is written into the database: another account, with its first administrator
 * (its access key sealed with the server's barrier, opened from the data directory's root key — the
 * very code the server uses). The server notices those commits at its next request, as it would
 * another worker's. No vitest here (the benchmark imports it).
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam'
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { STSClient } from '@aws-sdk/client-sts'
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { Barrier } from '../../../src/server/barrier/barrier.js'
import { readRootKey } from '../../../src/server/barrier/root-key.js'
import { accessKeyAad } from '../../../src/server/services/iam/bootstrap.js'
import { SqliteKeyringStore } from '../../../src/server/storage/sqlite/keyring-store.js'

export const OTHER_ACCOUNT = '111122223333'
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'

export type PolicyDocument = Record<string, unknown>

/** Statements → a policy document (Version 2012-10-17). */
export function policy(...statements: Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements }
}

export interface Keys {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** The server the directory works on: its data directory, endpoint, region and administrator. */
export interface DirectoryServer {
  readonly dataDir: string
  readonly endpoint: string
  readonly credentials: Keys & { readonly region: string }
}

export interface TestUser extends Keys {
  readonly name: string
  readonly userId: string
  readonly accountId: string
  readonly arn: string
  /** Clients signing as this user. */
  readonly sm: SecretsManagerClient
  readonly sts: STSClient
}

const upperAlnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charAt(b % 32)).join('')

export class Directory {
  private db: Database.Database | undefined
  private readonly iamByAccount = new Map<string, IAMClient>()
  private readonly clients: { destroy(): void }[] = []
  private defaultAccount: string | undefined
  private kmsClient: KMSClient | undefined

  constructor(private readonly server: DirectoryServer) {}

  /** The deployment's default account (the administrator's). */
  get accountId(): string {
    this.defaultAccount ??= this.database()
      .prepare('SELECT default_account_id FROM deployment')
      .pluck()
      .get() as string
    return this.defaultAccount
  }

  /** Another account, with an administrator (AdministratorAccess) through whom its users are created. */
  async createAccount(accountId: string): Promise<void> {
    const db = this.database()
    const userId = `AIDA${upperAlnum(17)}`
    const keys = { accessKeyId: `AKIA${upperAlnum(16)}`, secretAccessKey: randomBytes(30).toString('base64') }
    const sealed = (await this.barrier()).seal(
      Buffer.from(keys.secretAccessKey),
      accessKeyAad(keys.accessKeyId),
    )
    const now = Date.now()
    db.transaction(() => {
      db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, ?)').run(accountId, now)
      db.prepare(
        `INSERT INTO iam_users (user_id, account_id, user_name, path, arn, created_at) VALUES (?, ?, 'admin', '/', ?, ?)`,
      ).run(userId, accountId, `arn:aws:iam::${accountId}:user/admin`, now)
      db.prepare(
        "INSERT INTO iam_attached_policies (principal_kind, principal_id, policy_arn) VALUES ('user', ?, ?)",
      ).run(userId, ADMINISTRATOR_ACCESS)
      db.prepare(
        "INSERT INTO access_keys (access_key_id, user_id, sealed_secret, status, created_at) VALUES (?, ?, ?, 'Active', ?)",
      ).run(keys.accessKeyId, userId, sealed, now)
    })()
    this.iamByAccount.set(accountId, this.iamClient(keys))
  }

  /** A user with one access key, inline policies (`inline-0`, `inline-1`, …) and tags. */
  async createUser(
    name: string,
    options: {
      accountId?: string
      path?: string
      inline?: readonly PolicyDocument[]
      tags?: Record<string, string>
    } = {},
  ): Promise<TestUser> {
    const accountId = options.accountId ?? this.accountId
    const iam = this.iam(accountId)
    const { User } = await iam.send(
      new CreateUserCommand({
        UserName: name,
        ...(options.path !== undefined && { Path: options.path }),
        ...(options.tags !== undefined && {
          Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      }),
    )
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }))
    const keys = {
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    }
    const user = { name, accountId, userId: User?.UserId ?? '', arn: User?.Arn ?? '', ...keys }
    for (const [i, doc] of (options.inline ?? []).entries())
      await this.putUserPolicy(user, `inline-${i}`, doc)
    const client = {
      endpoint: this.server.endpoint,
      region: this.server.credentials.region,
      credentials: keys,
      maxAttempts: 1,
    }
    const sm = new SecretsManagerClient(client)
    const sts = new STSClient(client)
    this.clients.push(sm, sts)
    return { ...user, sm, sts }
  }

  /** A role of the default account trusting `trust` (the principal element), with inline policies; its ARN. */
  async createRole(name: string, trust: unknown, inline: readonly PolicyDocument[] = []): Promise<string> {
    const iam = this.iam(this.accountId)
    const assume = policy({ Effect: 'Allow', Principal: trust, Action: ['sts:AssumeRole', 'sts:TagSession'] })
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(assume) }),
    )
    for (const [i, doc] of inline.entries()) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: `inline-${i}`,
          PolicyDocument: JSON.stringify(doc),
        }),
      )
    }
    return Role?.Arn ?? ''
  }

  async putUserPolicy(user: UserRef, policyName: string, doc: PolicyDocument): Promise<void> {
    await this.iam(user.accountId).send(
      new PutUserPolicyCommand({
        UserName: user.name,
        PolicyName: policyName,
        PolicyDocument: JSON.stringify(doc),
      }),
    )
  }

  async deleteUserPolicy(user: UserRef, policyName: string): Promise<void> {
    await this.iam(user.accountId).send(
      new DeleteUserPolicyCommand({ UserName: user.name, PolicyName: policyName }),
    )
  }

  /** A customer-managed policy in the default account; returns its ARN. */
  async createPolicy(name: string, doc: PolicyDocument): Promise<string> {
    const { Policy } = await this.iam(this.accountId).send(
      new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(doc) }),
    )
    return Policy?.Arn ?? ''
  }

  async attachUserPolicy(user: UserRef, policyArn: string): Promise<void> {
    await this.iam(user.accountId).send(
      new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: policyArn }),
    )
  }

  async setUserBoundary(user: UserRef, policyArn: string | null): Promise<void> {
    const iam = this.iam(user.accountId)
    if (policyArn === null) await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: user.name }))
    else
      await iam.send(
        new PutUserPermissionsBoundaryCommand({ UserName: user.name, PermissionsBoundary: policyArn }),
      )
  }

  async setAccessKeyStatus(
    user: UserRef & { accessKeyId: string },
    status: 'Active' | 'Inactive',
  ): Promise<void> {
    await this.iam(user.accountId).send(
      new UpdateAccessKeyCommand({ UserName: user.name, AccessKeyId: user.accessKeyId, Status: status }),
    )
  }

  /**
   * A symmetric customer-managed KMS key of the default account (with `keyPolicy`, else KMS's default
   * policy, which delegates to the account's IAM policies); returns its ARN.
   */
  async createCustomerKey(keyPolicy?: PolicyDocument): Promise<string> {
    const { KeyMetadata } = await this.kms().send(
      new CreateKeyCommand({
        Description: 'authorization tests',
        ...(keyPolicy !== undefined && { Policy: JSON.stringify(keyPolicy) }),
      }),
    )
    return KeyMetadata?.Arn ?? ''
  }

  /** The administrator's KMS client (destroyed by `close`). */
  kms(): KMSClient {
    this.kmsClient ??= new KMSClient({
      endpoint: this.server.endpoint,
      region: this.server.credentials.region,
      credentials: this.server.credentials,
      maxAttempts: 1,
    })
    return this.kmsClient
  }

  close(): void {
    for (const client of [...this.clients, ...this.iamByAccount.values()]) client.destroy()
    this.kmsClient?.destroy()
    this.db?.close()
  }

  private iam(accountId: string): IAMClient {
    let client = this.iamByAccount.get(accountId)
    if (client === undefined) {
      if (accountId !== this.accountId)
        throw new Error(`no administrator for account ${accountId}: createAccount first`)
      client = this.iamClient(this.server.credentials)
      this.iamByAccount.set(accountId, client)
    }
    return client
  }

  private iamClient(credentials: Keys): IAMClient {
    return new IAMClient({
      endpoint: this.server.endpoint,
      region: this.server.credentials.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      maxAttempts: 1,
    })
  }

  private database(): Database.Database {
    if (this.db === undefined) {
      this.db = new Database(join(this.server.dataDir, 'coffer.db'))
      this.db.pragma('busy_timeout = 10000')
      this.db.pragma('foreign_keys = ON')
    }
    return this.db
  }

  private async barrier(): Promise<Barrier> {
    const rootKey = readRootKey(join(this.server.dataDir, 'root.key'))
    try {
      return await Barrier.unseal(rootKey, new SqliteKeyringStore(this.database()), Date.now())
    } finally {
      rootKey.fill(0)
    }
  }
}

type UserRef = Pick<TestUser, 'name' | 'accountId'>
