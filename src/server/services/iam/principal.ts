/** Who is calling: the identity a verified signature (or dev mode) resolved to. */
export interface Principal {
  readonly type: 'IAMUser' | 'AssumedRole' | 'Root'
  readonly accountId: string
  readonly arn: string
  /** AIDA… for users, AROA…:session for roles, the account id for root. */
  readonly principalId: string
  readonly accessKeyId: string
  readonly userName?: string
  /** The deployment's administrator may do everything; policies refine this in the identity issue. */
  readonly isAdmin: boolean
}

export function userArn(accountId: string, path: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`
}
