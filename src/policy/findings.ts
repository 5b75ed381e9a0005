/**
 * Findings reported by the policy parser and analysers.
 *
 * Codes are part of the API: `ValidateResourcePolicy` returns them as `CheckName`, so never rename
 * one. Each code has exactly one severity (table below) so callers can rely on it.
 */

export type Severity = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION'

const SEVERITY = {
  // Document level.
  INVALID_JSON: 'ERROR',
  POLICY_NOT_OBJECT: 'ERROR',
  DUPLICATE_KEY: 'ERROR',
  UNKNOWN_POLICY_ELEMENT: 'ERROR',
  INVALID_VERSION: 'ERROR',
  MISSING_VERSION: 'WARNING',
  POLICY_VARIABLES_REQUIRE_VERSION: 'WARNING',
  INVALID_ID: 'ERROR',
  MISSING_STATEMENT: 'ERROR',
  INVALID_STATEMENT: 'ERROR',
  // Statement level.
  UNKNOWN_STATEMENT_ELEMENT: 'ERROR',
  INVALID_SID: 'ERROR',
  DUPLICATE_SID: 'ERROR',
  MISSING_EFFECT: 'ERROR',
  INVALID_EFFECT: 'ERROR',
  MISSING_ACTION: 'ERROR',
  ACTION_AND_NOT_ACTION: 'ERROR',
  INVALID_ACTION: 'ERROR',
  REDUNDANT_ACTION: 'SUGGESTION',
  MISSING_RESOURCE: 'ERROR',
  RESOURCE_AND_NOT_RESOURCE: 'ERROR',
  RESOURCE_NOT_ALLOWED: 'ERROR',
  INVALID_RESOURCE: 'ERROR',
  REDUNDANT_RESOURCE: 'SUGGESTION',
  MISSING_PRINCIPAL: 'ERROR',
  PRINCIPAL_AND_NOT_PRINCIPAL: 'ERROR',
  PRINCIPAL_NOT_ALLOWED: 'ERROR',
  INVALID_PRINCIPAL: 'ERROR',
  ALLOW_WITH_NOT_PRINCIPAL: 'SECURITY_WARNING',
  INVALID_CONDITION: 'ERROR',
  INVALID_CONDITION_OPERATOR: 'ERROR',
  INVALID_CONDITION_KEY: 'ERROR',
  INVALID_CONDITION_VALUE: 'ERROR',
  CONDITION_TYPE_MISMATCH: 'ERROR',
  // Analysers (public-access / resource-specific checks).
  PUBLIC_ACCESS: 'SECURITY_WARNING',
  ACTION_NOT_APPLICABLE: 'WARNING',
} as const satisfies Record<string, Severity>

export type FindingCode = keyof typeof SEVERITY

export interface Finding {
  readonly code: FindingCode
  readonly severity: Severity
  readonly message: string
  /** Location in the document as written, e.g. `Statement[0].Principal.AWS[1]`; `''` = whole document. */
  readonly path: string
}

export function finding(code: FindingCode, path: string, message: string): Finding {
  return { code, severity: SEVERITY[code], message, path }
}

export function severityOf(code: FindingCode): Severity {
  return SEVERITY[code]
}

/** True for findings that make a document unusable (parse) or a validation fail. */
export function isBlocking(f: Finding): boolean {
  return f.severity === 'ERROR' || f.severity === 'SECURITY_WARNING'
}

/** `Statement` + `Effect` → `Statement.Effect`; keys that would be ambiguous are bracket-quoted. */
export function memberPath(base: string, key: string): string {
  const simple = key !== '' && !/[.[\]"\s]/.test(key)
  if (!simple) return `${base}[${JSON.stringify(key)}]`
  return base === '' ? key : `${base}.${key}`
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`
}

/**
 * Renders a user-supplied value for a message. Containers are only named, never serialised: they
 * may be arbitrarily deep (stringifying could overflow the stack) or huge. Long text is truncated.
 */
export function quote(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object' && value !== null) return 'an object'
  if (typeof value !== 'string') return String(value)
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
}
