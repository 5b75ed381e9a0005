/** A user with its account, as authentication needs it. */
export interface UserRecord {
  readonly userId: string
  readonly accountId: string
  readonly userName: string
  readonly path: string
  readonly arn: string
  readonly isAdmin: boolean
  readonly createdAt: number
}

export interface AccessKeyRecord {
  readonly accessKeyId: string
  readonly userId: string
  /** The secret access key, sealed by the barrier with AAD naming the key id. */
  readonly sealedSecret: Buffer
  readonly status: 'Active' | 'Inactive'
  readonly createdAt: number
}

export interface DeploymentRecord {
  readonly defaultAccountId: string
  readonly defaultRegion: string
  readonly createdAt: number
}

/**
 * Identity storage port. Missing items are `undefined`, never errors. `initialize` is atomic and
 * happens once per deployment: a second call (another process racing) returns false and changes nothing.
 */
export interface IdentityStore {
  getDeployment(): Promise<DeploymentRecord | undefined>
  initialize(init: {
    deployment: DeploymentRecord
    admin: UserRecord
    accessKey: AccessKeyRecord
  }): Promise<boolean>
  findAccessKey(accessKeyId: string): Promise<{ key: AccessKeyRecord; user: UserRecord } | undefined>
}
