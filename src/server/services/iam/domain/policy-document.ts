import { MalformedPolicyDocumentException } from '../../../../aws-api/iam/errors.js'
import { parsePolicy, type Finding, type FindingCode } from '../../../../policy/index.js'
import { msg } from '../messages.js'

/** AWS's MalformedPolicyDocument texts for the parser's findings; others keep the parser's own words. */
const AWS_TEXT: Partial<Record<FindingCode, string>> = {
  INVALID_JSON: msg.syntaxErrors,
  POLICY_NOT_OBJECT: msg.syntaxErrors,
  DUPLICATE_KEY: msg.syntaxErrors,
  UNKNOWN_POLICY_ELEMENT: msg.syntaxErrors,
  UNKNOWN_STATEMENT_ELEMENT: msg.syntaxErrors,
  INVALID_STATEMENT: msg.syntaxErrors,
  MISSING_STATEMENT: msg.syntaxErrors,
  INVALID_VERSION: msg.legacyParsing,
  PRINCIPAL_NOT_ALLOWED: msg.principalNotAllowed,
  RESOURCE_NOT_ALLOWED: msg.resourceNotAllowed,
  MISSING_PRINCIPAL: msg.missingPrincipal,
  MISSING_ACTION: msg.missingAction,
  MISSING_RESOURCE: msg.missingResource,
}

/**
 * Checks a policy document's grammar: `identity` for inline, managed and boundary policies, `trust` for
 * a role's assume-role policy. Throws MalformedPolicyDocument naming the first error.
 */
export function requireValidPolicy(text: string, kind: 'identity' | 'trust'): void {
  const parsed = parsePolicy(text, kind)
  if (parsed.ok) return
  const first: Finding | undefined = parsed.errors[0]
  throw new MalformedPolicyDocumentException(
    first === undefined ? msg.syntaxErrors : (AWS_TEXT[first.code] ?? first.message),
  )
}

/** IAM's policy size: characters, whitespace not counted. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length
}

/** Quotas on policy sizes (IAM defaults). */
export const POLICY_SIZE = {
  managed: 6144,
  trust: 2048,
  userInline: 2048,
  roleInline: 10240,
} as const
