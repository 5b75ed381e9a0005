/** ARNs and ids STS reads and writes (spec §6.2). */

/** `arn:<partition>:iam::<account>:role/<path/><name>` with IAM's name and path characters. */
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/

export interface RoleArnParts {
  readonly partition: string
  readonly accountId: string
  readonly path: string
  readonly roleName: string
}

/** The parts of a role ARN, or `undefined` when the text is not one (`ValidationError "<arn> is invalid"`). */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const m = ROLE_ARN.exec(arn)
  if (m === null) return undefined
  return { partition: m[1]!, accountId: m[2]!, path: m[3]!, roleName: m[4]! }
}

/** `arn:aws:sts::<acct>:assumed-role/<role name>/<session>`: the role's path is not part of it. */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`
}

/** `aws:userid` of a role session: `<role id>:<session name>`. */
export function assumedRoleId(roleId: string, sessionName: string): string {
  return `${roleId}:${sessionName}`
}

/** The role name is the ARN's last path segment. */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1)
}

/** An issuer or provider URL as IAM names it: no scheme, no trailing slash (`host/path`). */
export function providerPath(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/+$/, '')
}

/** How providers are told apart: `host/path` with the host lower-cased (IAM's normal form). */
export function providerKey(url: string): string {
  const path = providerPath(url)
  const slash = path.indexOf('/')
  return slash === -1 ? path.toLowerCase() : `${path.slice(0, slash).toLowerCase()}${path.slice(slash)}`
}
