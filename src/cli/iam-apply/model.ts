/**
 * The state `coffer iam apply` compares: what the file declares (desired) and what the IAM API reports
 * (current). Policy documents are JSON texts; two documents are equal when `canonicalJson` of both is.
 */

/** Entities created by `iam apply` carry this tag; only they are deleted when removed from the file. */
export const MANAGED_TAG = { Key: 'coffer:managed-by', Value: 'iam-apply' } as const

export type Tags = Readonly<Record<string, string>>

/** A managed policy named in the file: by ARN, or by name (declared in the file or existing locally). */
export type PolicyRef = { readonly arn: string } | { readonly name: string }

export interface DesiredPolicy {
  readonly name: string
  readonly path: string
  readonly description?: string
  readonly document: string
}

interface DesiredPrincipal {
  readonly name: string
  readonly path: string
  readonly boundary?: PolicyRef
  /** Inline policies by name. */
  readonly inline: ReadonlyMap<string, string>
  readonly attach: readonly PolicyRef[]
  readonly tags: Tags
}

export type DesiredUser = DesiredPrincipal

export interface DesiredRole extends DesiredPrincipal {
  readonly description?: string
  readonly maxSessionDuration: number
  readonly trust: string
}

export interface DesiredOidcProvider {
  /** As written (`https://…`). */
  readonly url: string
  readonly clientIds: readonly string[]
  readonly thumbprints: readonly string[]
}

export interface DesiredState {
  readonly policies: readonly DesiredPolicy[]
  readonly users: readonly DesiredUser[]
  readonly roles: readonly DesiredRole[]
  readonly oidcProviders: readonly DesiredOidcProvider[]
}

export interface CurrentPolicy {
  readonly name: string
  readonly arn: string
  readonly path: string
  readonly description?: string
  readonly managed: boolean
  /** The default version's document (only read for declared or managed policies). */
  readonly document?: string
  readonly versions: readonly { readonly id: string; readonly isDefault: boolean }[]
}

interface CurrentPrincipal {
  readonly name: string
  readonly arn: string
  readonly path: string
  readonly managed: boolean
  readonly tags: Tags
  readonly boundary?: string
  readonly inline: ReadonlyMap<string, string>
  readonly attached: readonly string[]
}

export interface CurrentUser extends CurrentPrincipal {
  readonly accessKeys: readonly string[]
}

export interface CurrentRole extends CurrentPrincipal {
  readonly description?: string
  readonly maxSessionDuration: number
  readonly trust: string
}

export interface CurrentOidcProvider {
  readonly arn: string
  /** Without the scheme, as IAM reports it. */
  readonly url: string
  readonly clientIds: readonly string[]
  readonly thumbprints: readonly string[]
  readonly managed: boolean
}

/**
 * The account as far as the plan needs it: every customer-managed policy, user, role and provider,
 * with details for those the file declares or that carry the managed tag.
 */
export interface CurrentState {
  readonly policies: readonly CurrentPolicy[]
  readonly users: readonly CurrentUser[]
  readonly roles: readonly CurrentRole[]
  readonly oidcProviders: readonly CurrentOidcProvider[]
}

/** JSON text with object keys sorted, for comparing documents regardless of formatting and key order. */
export function canonicalJson(text: string): string {
  return JSON.stringify(sortKeys(JSON.parse(text) as unknown))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  return Object.fromEntries(entries.map(([key, v]) => [key, sortKeys(v)]))
}

/** `https://Host/path` → `host/path`, the provider's identity as IAM shows it. */
export function oidcIdentity(url: string): string {
  const rest = url.replace(/^https:\/\//i, '')
  const slash = rest.indexOf('/')
  return slash === -1 ? rest.toLowerCase() : `${rest.slice(0, slash).toLowerCase()}${rest.slice(slash)}`
}

export function refLabel(ref: PolicyRef): string {
  return 'arn' in ref ? ref.arn : ref.name
}
