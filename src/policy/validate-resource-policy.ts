/**
 * Secrets Manager `ValidateResourcePolicy`.
 *
 * CheckName values are the finding codes (UPPER_SNAKE, in the style of Access Analyzer issue
 * codes) and are stable:
 *  - every parser code of severity ERROR (INVALID_JSON, DUPLICATE_KEY, MISSING_RESOURCE,
 *    INVALID_PRINCIPAL, CONDITION_TYPE_MISMATCH, ... — see findings.ts);
 *  - ALLOW_WITH_NOT_PRINCIPAL (security warning from the parser);
 *  - PUBLIC_ACCESS: an Allow statement grants access to any principal/account (the check that
 *    `PutResourcePolicy` with `BlockPublicPolicy` enforces).
 * Errors and security warnings fail validation. Plain warnings and suggestions (MISSING_VERSION,
 * REDUNDANT_ACTION, ACTION_NOT_APPLICABLE, ...) are returned by `analyzeSecretResourcePolicy` but
 * left out of `ValidationErrors`, so a clean policy answers `[]` as AWS does.
 * AWS also checks that the caller does not lock itself out; that needs the caller's identity and
 * the evaluator, so it is not done here.
 */
import { parsePolicy } from './document.js'
import { finding, isBlocking, memberPath, type Finding } from './findings.js'
import { publicStatements } from './public-access.js'
import type { PolicyDocument } from './types.js'

export interface ValidationError {
  readonly CheckName: string
  readonly ErrorMessage: string
}

export interface ValidateResourcePolicyResult {
  readonly PolicyValidationPassed: boolean
  readonly ValidationErrors: ValidationError[]
}

/** Actions that cannot apply to a secret are dead weight in its policy (`*` and `secretsmanager:` can). */
function inapplicableActions(policy: PolicyDocument): Finding[] {
  const out: Finding[] = []
  for (const s of policy.statements) {
    if (s.action.not) continue
    for (const a of s.action.values) {
      const lower = a.toLowerCase()
      if (lower === '*' || lower.startsWith('secretsmanager:')) continue
      out.push(
        finding(
          'ACTION_NOT_APPLICABLE',
          memberPath(s.path, 'Action'),
          `The action ${JSON.stringify(a)} does not apply to secrets.`,
        ),
      )
    }
  }
  return out
}

/** All findings for a secret resource policy, including non-blocking ones. */
export function analyzeSecretResourcePolicy(text: string, _ownerAccountId: string): Finding[] {
  const parsed = parsePolicy(text, 'resource')
  if (!parsed.ok) return parsed.errors
  const findings = [...parsed.findings, ...inapplicableActions(parsed.policy)]
  for (const s of publicStatements(parsed.policy)) {
    findings.push(
      finding(
        'PUBLIC_ACCESS',
        s.path,
        'The policy grants access to any principal in any AWS account. Limit the Principal, or add a condition such as aws:PrincipalAccount or aws:PrincipalOrgID.',
      ),
    )
  }
  return findings
}

function toValidationError(f: Finding): ValidationError {
  const where = f.path === '' ? '' : ` (at ${f.path})`
  return { CheckName: f.code, ErrorMessage: `${f.message}${where}` }
}

export function validateSecretResourcePolicy(
  text: string,
  ownerAccountId: string,
): ValidateResourcePolicyResult {
  const errors = analyzeSecretResourcePolicy(text, ownerAccountId).filter(isBlocking).map(toValidationError)
  return { PolicyValidationPassed: errors.length === 0, ValidationErrors: errors }
}
