/**
 * The IAM storage port: users, roles, access keys, inline and managed policies, attachments and OIDC
 * providers, scoped by account.
 *
 * Contract shared by every method (the suite in `storage/contract/iam-store.contract.ts` pins it):
 * - a missing item is `undefined` (reads) or `false` / a `'missing'` outcome (writes), never an error;
 * - names of users, roles and managed policies are unique per account **ignoring case**, and lookups by
 *   name ignore case too; a write that would break uniqueness rejects with `UniqueViolationError`
 *   (`user_name`, `role_name`, `policy_name`, `oidc_url`);
 * - every write is one transaction; callbacks given to a write (`update`, `check`) run inside it, must be
 *   synchronous and pure, and may throw to abort it (the error propagates, nothing is written);
 * - after a commit the adapter tells caches of stored data (`Freshness`), so a deactivated or deleted
 *   access key is refused at once by every process;
 * - lists are complete and ordered (users, roles and policies by name ignoring case, keys by creation).
 */
export type PrincipalKind = 'user' | 'role'

export interface Tag {
  readonly Key: string
  readonly Value: string
}

export interface IamUser {
  readonly userId: string
  readonly accountId: string
  readonly userName: string
  readonly path: string
  readonly arn: string
  readonly createdAt: number
  readonly permissionsBoundary?: string
  readonly tags: readonly Tag[]
}

export interface IamRole {
  readonly roleId: string
  readonly accountId: string
  readonly roleName: string
  readonly path: string
  readonly arn: string
  /** The trust policy, as JSON text. */
  readonly assumeRolePolicy: string
  readonly description?: string
  /** Seconds, 3600–43200. */
  readonly maxSessionDuration: number
  readonly permissionsBoundary?: string
  readonly tags: readonly Tag[]
  readonly createdAt: number
  readonly lastUsedAt?: number
  readonly lastUsedRegion?: string
}

export interface NewAccessKey {
  readonly accessKeyId: string
  readonly userId: string
  /** The secret access key sealed by the barrier (AAD `accessKeyAad(id)`). */
  readonly sealedSecret: Buffer
  readonly status: 'Active' | 'Inactive'
  readonly createdAt: number
}

/** Access-key metadata; the secret never leaves the store after creation. */
export interface AccessKeyInfo {
  readonly accessKeyId: string
  readonly userId: string
  readonly userName: string
  readonly accountId: string
  readonly status: 'Active' | 'Inactive'
  readonly createdAt: number
  readonly lastUsed?: KeyUse
}

export interface KeyUse {
  readonly at: number
  readonly service: string
  readonly region: string
}

export interface ManagedPolicy {
  readonly policyId: string
  /** The owning account, or `aws` for AWS-managed policies. */
  readonly accountId: string
  readonly policyName: string
  readonly path: string
  readonly arn: string
  readonly description?: string
  readonly defaultVersionId: string
  readonly tags: readonly Tag[]
  readonly createdAt: number
  readonly updatedAt: number
  /** Users and roles the policy is attached to. */
  readonly attachmentCount: number
  /** Users and roles that use it as their permissions boundary. */
  readonly boundaryUsageCount: number
}

export interface NewPolicy {
  readonly policyId: string
  readonly accountId: string
  readonly policyName: string
  readonly path: string
  readonly arn: string
  readonly description?: string
  readonly tags: readonly Tag[]
  readonly createdAt: number
  /** The document of version `v1`, the default. */
  readonly document: string
}

export interface PolicyVersionRecord {
  readonly versionId: string
  readonly document: string
  readonly isDefault: boolean
  readonly createdAt: number
}

export interface AttachedPolicyRecord {
  readonly policyName: string
  readonly policyArn: string
  readonly path: string
}

export interface OidcProvider {
  readonly arn: string
  readonly accountId: string
  /** Without the scheme: `token.actions.githubusercontent.com`. */
  readonly url: string
  readonly clientIds: readonly string[]
  readonly thumbprints: readonly string[]
  readonly tags: readonly Tag[]
  readonly createdAt: number
}

/** Why a principal or policy could not be deleted (IAM's DeleteConflict cases). */
export type DeleteBlocker =
  'access-keys' | 'inline-policies' | 'attached-policies' | 'attachments' | 'versions'

export type DeleteOutcome =
  { readonly deleted: true } | { readonly deleted: false; readonly blockedBy?: DeleteBlocker }

/** Users and roles: the principals IAM policies attach to. */
export interface PrincipalStore {
  createUser(user: IamUser): Promise<void>
  findUser(accountId: string, userName: string): Promise<IamUser | undefined>
  listUsers(accountId: string): Promise<IamUser[]>
  /** Rename and/or move; `arn` follows. */
  renameUser(userId: string, change: { userName: string; path: string; arn: string }): Promise<boolean>
  /** Refused while the user has access keys, attached policies or inline policies (checked in that order). */
  deleteUser(userId: string): Promise<DeleteOutcome>

  createRole(role: IamRole): Promise<void>
  findRole(accountId: string, roleName: string): Promise<IamRole | undefined>
  listRoles(accountId: string): Promise<IamRole[]>
  /** An empty `description` clears it. */
  updateRole(
    roleId: string,
    change: { description?: string; maxSessionDuration?: number; assumeRolePolicy?: string },
  ): Promise<boolean>
  /** Refused while the role has attached policies or inline policies (in that order). */
  deleteRole(roleId: string): Promise<DeleteOutcome>

  updateTags(
    kind: PrincipalKind,
    principalId: string,
    update: (current: readonly Tag[]) => readonly Tag[],
  ): Promise<boolean>
  setPermissionsBoundary(
    kind: PrincipalKind,
    principalId: string,
    policyArn: string | undefined,
  ): Promise<boolean>
}

/** The policies of a principal: inline documents and attached managed policies. */
export interface PrincipalPolicyStore {
  /**
   * Creates or replaces. `check` sees the principal's other inline documents (aggregate size limits).
   * `false` when the principal is gone.
   */
  putInlinePolicy(
    kind: PrincipalKind,
    principalId: string,
    policy: { name: string; document: string },
    check: (otherDocuments: readonly string[]) => void,
  ): Promise<boolean>
  getInlinePolicy(kind: PrincipalKind, principalId: string, name: string): Promise<string | undefined>
  /** Names, sorted. */
  listInlinePolicies(kind: PrincipalKind, principalId: string): Promise<string[]>
  deleteInlinePolicy(kind: PrincipalKind, principalId: string, name: string): Promise<boolean>

  /** Idempotent. `limit`: `maxAttached` other policies are attached; `missing`: principal or policy gone. */
  attachPolicy(
    kind: PrincipalKind,
    principalId: string,
    policyArn: string,
    maxAttached: number,
  ): Promise<'attached' | 'limit' | 'missing'>
  detachPolicy(kind: PrincipalKind, principalId: string, policyArn: string): Promise<boolean>
  /** Ordered by policy name. */
  listAttachedPolicies(kind: PrincipalKind, principalId: string): Promise<AttachedPolicyRecord[]>
}

/** Long-term access keys of users. */
export interface AccessKeyStore {
  /** `limit`: the user already has `maxPerUser` keys; `missing`: the user is gone. */
  createAccessKey(key: NewAccessKey, maxPerUser: number): Promise<'created' | 'limit' | 'missing'>
  findAccessKey(accessKeyId: string): Promise<AccessKeyInfo | undefined>
  /** Oldest first. */
  listAccessKeys(userId: string): Promise<AccessKeyInfo[]>
  setAccessKeyStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<boolean>
  deleteAccessKey(accessKeyId: string): Promise<boolean>
  /**
   * Records a use if it is later than the one stored (a no-op otherwise, and for unknown keys such as
   * STS session keys). Returns whether anything was written.
   */
  recordKeyUse(accessKeyId: string, use: KeyUse): Promise<boolean>
}

/** Managed policies and their versions. */
export interface ManagedPolicyStore {
  createPolicy(policy: NewPolicy): Promise<ManagedPolicy>
  findPolicy(arn: string): Promise<ManagedPolicy | undefined>
  /** The policies of these accounts (`aws` for AWS-managed ones). */
  listPolicies(accountIds: readonly string[]): Promise<ManagedPolicy[]>
  /** Refused while attached or used as a boundary (`attachments`), or while it has non-default versions. */
  deletePolicy(arn: string): Promise<DeleteOutcome>
  /**
   * Adds version `v<n>` (n never reused; the policy's update date becomes `createdAt`). `limit`: the
   * policy has `maxVersions` already.
   */
  addPolicyVersion(
    arn: string,
    version: { document: string; createdAt: number; setAsDefault: boolean },
    maxVersions: number,
  ): Promise<{ versionId: string } | 'limit' | 'missing'>
  getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersionRecord | undefined>
  /** Newest first. */
  listPolicyVersions(arn: string): Promise<PolicyVersionRecord[]>
  deletePolicyVersion(arn: string, versionId: string): Promise<'deleted' | 'default' | 'missing'>
  setDefaultPolicyVersion(arn: string, versionId: string): Promise<boolean>
}

/** OpenID Connect identity providers (for AssumeRoleWithWebIdentity). */
export interface OidcProviderStore {
  createOidcProvider(provider: OidcProvider): Promise<void>
  findOidcProvider(arn: string): Promise<OidcProvider | undefined>
  /** Ordered by ARN. */
  listOidcProviders(accountId: string): Promise<OidcProvider[]>
  deleteOidcProvider(arn: string): Promise<boolean>
}

/** The whole port, one adapter object per concept (Kysely-style: same file set per dialect). */
export interface IamStore {
  readonly principals: PrincipalStore
  readonly principalPolicies: PrincipalPolicyStore
  readonly accessKeys: AccessKeyStore
  readonly policies: ManagedPolicyStore
  readonly oidc: OidcProviderStore
}
