/** A session tag or a role tag, as the APIs carry them. */
export interface TagRecord {
  readonly Key: string
  readonly Value: string
}

/** An IAM role as STS needs it (IAM owns the table; STS only reads). */
export interface RoleRecord {
  readonly roleId: string
  readonly accountId: string
  readonly roleName: string
  readonly path: string
  readonly arn: string
  /** The trust policy (JSON text). */
  readonly assumeRolePolicy: string
  /** Seconds, 3600-43200. */
  readonly maxSessionDuration: number
  readonly tags: readonly TagRecord[]
}

/** An IAM OIDC identity provider: the issuer URL as registered and the audiences it accepts. */
export interface OidcProviderRecord {
  readonly arn: string
  readonly accountId: string
  /** As stored by IAM, with or without `https://`. */
  readonly url: string
  readonly clientIds: readonly string[]
}

/** The IAM user behind a GetSessionToken session. */
export interface SessionUserRecord {
  readonly userId: string
  readonly accountId: string
  readonly userName: string
  readonly arn: string
  readonly isAdmin: boolean
}

/** Temporary credentials issued by STS. */
export interface SessionRecord {
  /** `ASIA…` */
  readonly accessKeyId: string
  /** The account the credentials act in (the role's or the user's). */
  readonly accountId: string
  /** The secret access key, sealed by the barrier with AAD naming the key id. */
  readonly sealedSecret: Buffer
  /** Hex SHA-256 of the session token; the token itself is never stored. */
  readonly tokenHash: string
  /** `role`: AssumeRole*; `user`: GetSessionToken. */
  readonly principalKind: 'role' | 'user'
  /** The role id (AROA…) or user id (AIDA…). */
  readonly principalId: string
  readonly roleArn?: string
  readonly sessionName?: string
  readonly sourceIdentity?: string
  /** Session policy documents (inline `Policy`, then the documents of `PolicyArns`). */
  readonly sessionPolicies: readonly string[]
  /** Effective session tags: role tags overridden by inherited transitive and requested tags. */
  readonly tags: readonly TagRecord[]
  readonly transitiveTagKeys: readonly string[]
  /** Assumed by a role session (role chaining). */
  readonly chained: boolean
  readonly createdAt: number
  /** Epoch ms. */
  readonly expiresAt: number
}

/**
 * Storage port of STS: reads of IAM's roles, managed policies, OIDC providers and users, and the
 * sessions it issues. Missing items are `undefined`, never errors. `insertSession` must make the new
 * session visible to every process's credential cache (SQLite: `Freshness.written()`).
 */
export interface StsStore {
  findRole(arn: string): Promise<RoleRecord | undefined>
  /** The default version's document of a managed policy, or `undefined` when there is no such policy. */
  managedPolicyDocument(policyArn: string): Promise<string | undefined>
  listOidcProviders(accountId: string): Promise<readonly OidcProviderRecord[]>
  findSessionUser(userId: string): Promise<SessionUserRecord | undefined>
  insertSession(session: SessionRecord): Promise<void>
  findSession(accessKeyId: string): Promise<SessionRecord | undefined>
  /** Deletes sessions that expired before `before` (epoch ms); returns how many. */
  purgeSessions(before: number): Promise<number>
}
