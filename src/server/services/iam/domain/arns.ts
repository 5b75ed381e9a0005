/**
 * IAM ARNs. Paths are part of them (`arn:aws:iam::<acct>:user/<path without leading slash><name>`);
 * AWS-managed policies live in the pseudo-account `aws`.
 */
export const AWS_MANAGED_ACCOUNT = 'aws'

function iamArn(accountId: string, type: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${type}${path}${name}`
}

export function roleArn(accountId: string, path: string, roleName: string): string {
  return iamArn(accountId, 'role', path, roleName)
}

export function policyArn(accountId: string, path: string, policyName: string): string {
  return iamArn(accountId, 'policy', path, policyName)
}

/** `url` without its scheme, as stored. */
export function oidcProviderArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${url}`
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[A-Za-z0-9.,+@=_-]+\/)*)([\w+=,.@-]+)$/

/** A managed policy ARN's parts, or `undefined` when it is not one. */
export function parsePolicyArn(arn: string): { accountId: string; path: string; name: string } | undefined {
  const match = POLICY_ARN.exec(arn)
  if (match === null) return undefined
  return { accountId: match[1] ?? '', path: match[2] ?? '/', name: match[3] ?? '' }
}

/**
 * `https://Host/path` → `host/path`: the provider's identity as its ARN and GetOpenIDConnectProvider
 * show it (scheme dropped, host lower-cased, the rest kept as is). `undefined` unless https with a host.
 */
export function normaliseOidcUrl(url: string): string | undefined {
  const match = /^https:\/\/([^/?#\s]+)([^?#\s]*)$/i.exec(url)
  if (match === null || match[1] === undefined) return undefined
  return `${match[1].toLowerCase()}${match[2] ?? ''}`
}
