/** Who is calling: the identity a verified signature (or dev mode) resolved to. */
export interface Principal {
  readonly type: 'IAMUser' | 'AssumedRole' | 'Root'
  readonly accountId: string
  /** The caller's ARN: user ARN, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`, or the root ARN. */
  readonly arn: string
  /** What policies' `Principal` and `aws:PrincipalArn` match: the user ARN, the role ARN for role sessions, the root ARN. */
  readonly principalArn: string
  /** `aws:userid`: AIDA… for users, AROA…:session for role sessions, the account id for root. */
  readonly principalId: string
  readonly accessKeyId: string
  readonly userName?: string
  /** The IAM entity whose policies apply; absent for the account root. */
  readonly entity?: { readonly kind: 'user' | 'role'; readonly id: string }
  /** Present for temporary credentials (STS). */
  readonly session?: PrincipalSession
}

export interface PrincipalSession {
  /** Session policies (inline `Policy` and the documents of `PolicyArns`), as JSON texts. Empty = none. */
  readonly policies: readonly string[]
  /** Session tags (`aws:PrincipalTag/*` together with the role's own tags; session tags win). */
  readonly tags: Readonly<Record<string, string>>
  readonly transitiveTagKeys: readonly string[]
  /** Epoch ms. */
  readonly expiresAt: number
  /** When the credentials were issued, epoch ms (the audit trail's `sessionContext.attributes.creationDate`). */
  readonly createdAt?: number
  /** Credentials from a role session assuming a role (role chaining: at most 1 hour). */
  readonly chained: boolean
  readonly sourceIdentity?: string
}

export function userArn(accountId: string, path: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`
}

export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`
}
