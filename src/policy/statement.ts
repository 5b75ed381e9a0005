/**
 * One policy statement: element presence rules per policy kind, Effect/Sid/Action/Resource syntax.
 * Principal and Condition have their own modules. All problems are collected (not just the first)
 * so ValidateResourcePolicy can report everything at once.
 */
import { parseConditionBlock } from './conditions.js'
import { finding, indexPath, memberPath, quote, type Finding, type FindingCode } from './findings.js'
import { parsePrincipalBlock } from './principal.js'
import type { ConditionClause, Effect, MatchList, PolicyKind, PolicyStatement } from './types.js'

const STATEMENT_KEYS: ReadonlySet<string> = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
])

// `*` alone, or `service:action` where only the action part may use `*`/`?` wildcards. Matched
// case-insensitively because IAM matches actions case-insensitively.
const ACTION = /^(?:\*|[a-z0-9-]+:[a-z0-9_*?-]+)$/i
// `*`, or an ARN with at least six colon-separated parts (the resource part may contain colons and,
// e.g. for S3 object keys, spaces).
const RESOURCE = /^(?:\*|arn:[^:\s]+:[^:\s]*:[^:\s]*:[^:\s]*:\S.*)$/
// IAM (identity/trust policies) restricts Sid to alphanumerics; resource and key policies (e.g.
// KMS's "Enable IAM User Permissions") accept any string.
const STRICT_SID = /^[A-Za-z0-9]*$/

interface ListRule {
  readonly positive: 'Action' | 'Resource'
  readonly negative: 'NotAction' | 'NotResource'
  readonly both: FindingCode
  readonly invalid: FindingCode
  readonly redundant: FindingCode
  readonly pattern: RegExp
  readonly expected: string
  readonly caseInsensitive: boolean
}

const ACTION_RULE: ListRule = {
  positive: 'Action',
  negative: 'NotAction',
  both: 'ACTION_AND_NOT_ACTION',
  invalid: 'INVALID_ACTION',
  redundant: 'REDUNDANT_ACTION',
  pattern: ACTION,
  expected: '"*" or "service:action" (wildcards allowed in the action name)',
  caseInsensitive: true,
}

const RESOURCE_RULE: ListRule = {
  positive: 'Resource',
  negative: 'NotResource',
  both: 'RESOURCE_AND_NOT_RESOURCE',
  invalid: 'INVALID_RESOURCE',
  redundant: 'REDUNDANT_RESOURCE',
  pattern: RESOURCE,
  expected: '"*" or an ARN ("arn:partition:service:region:account:resource")',
  caseInsensitive: false,
}

/** Reads X/NotX. `undefined` when neither or both are present (the caller reports a missing one). */
function parseMatchList(
  stmt: Record<string, unknown>,
  path: string,
  rule: ListRule,
  out: Finding[],
): MatchList | undefined {
  const hasPos = Object.hasOwn(stmt, rule.positive)
  const hasNeg = Object.hasOwn(stmt, rule.negative)
  if (hasPos && hasNeg) {
    out.push(
      finding(rule.both, path, `A statement must not contain both ${rule.positive} and ${rule.negative}.`),
    )
    return undefined
  }
  if (!hasPos && !hasNeg) return undefined
  const el = hasPos ? rule.positive : rule.negative
  const at = memberPath(path, el)
  const raw = stmt[el]
  const isList = Array.isArray(raw)
  if ((!isList && typeof raw !== 'string') || (isList && raw.length === 0)) {
    out.push(finding(rule.invalid, at, `${el} must be a string or a non-empty array of strings.`))
    return { not: hasNeg, values: [] }
  }
  const list: unknown[] = isList ? raw : [raw]
  const values: string[] = []
  const seen = new Set<string>()
  list.forEach((v, i) => {
    const vPath = isList ? indexPath(at, i) : at
    if (typeof v !== 'string' || !rule.pattern.test(v)) {
      out.push(
        finding(
          rule.invalid,
          vPath,
          `Invalid ${rule.positive.toLowerCase()} ${quote(v)}: expected ${rule.expected}.`,
        ),
      )
      return
    }
    const norm = rule.caseInsensitive ? v.toLowerCase() : v
    if (seen.has(norm))
      out.push(finding(rule.redundant, vPath, `${quote(v)} is listed more than once in ${el}.`))
    seen.add(norm)
    values.push(v)
  })
  return { not: hasNeg, values }
}

function parseEffect(stmt: Record<string, unknown>, path: string, out: Finding[]): Effect {
  if (!Object.hasOwn(stmt, 'Effect')) {
    out.push(finding('MISSING_EFFECT', path, 'The statement must contain an Effect of "Allow" or "Deny".'))
    return 'Deny'
  }
  const effect = stmt['Effect']
  if (effect === 'Allow' || effect === 'Deny') return effect
  out.push(
    finding(
      'INVALID_EFFECT',
      memberPath(path, 'Effect'),
      `Effect must be "Allow" or "Deny"; got ${quote(effect)}.`,
    ),
  )
  return 'Deny'
}

function parseSid(
  stmt: Record<string, unknown>,
  path: string,
  kind: PolicyKind,
  out: Finding[],
): string | undefined {
  if (!Object.hasOwn(stmt, 'Sid')) return undefined
  const sid = stmt['Sid']
  const at = memberPath(path, 'Sid')
  if (typeof sid !== 'string') {
    out.push(finding('INVALID_SID', at, 'Sid must be a string.'))
    return undefined
  }
  if ((kind === 'identity' || kind === 'trust') && !STRICT_SID.test(sid)) {
    out.push(
      finding(
        'INVALID_SID',
        at,
        `Invalid Sid ${quote(sid)}: only letters (A-Z, a-z) and digits are allowed.`,
      ),
    )
  }
  return sid
}

/**
 * Parses one statement object. Returns `undefined` when `raw` is not an object; otherwise a
 * statement that is only meaningful if no ERROR finding was added.
 */
export function parseStatement(
  raw: unknown,
  path: string,
  index: number,
  kind: PolicyKind,
  out: Finding[],
): PolicyStatement | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    out.push(finding('INVALID_STATEMENT', path, `Each statement must be a JSON object; got ${quote(raw)}.`))
    return undefined
  }
  const stmt = raw as Record<string, unknown>
  for (const key of Object.keys(stmt)) {
    if (!STATEMENT_KEYS.has(key)) {
      out.push(
        finding(
          'UNKNOWN_STATEMENT_ELEMENT',
          memberPath(path, key),
          `Unknown statement element ${quote(key)}.`,
        ),
      )
    }
  }
  const sid = parseSid(stmt, path, kind, out)
  const effect = parseEffect(stmt, path, out)
  const principal = parsePrincipalBlock(stmt, path, kind, out)
  if (principal?.not === true && effect === 'Allow') {
    out.push(
      finding(
        'ALLOW_WITH_NOT_PRINCIPAL',
        memberPath(path, 'NotPrincipal'),
        'Allow with NotPrincipal grants access to every principal except those listed, including anonymous users.',
      ),
    )
  }

  if (!Object.hasOwn(stmt, 'Action') && !Object.hasOwn(stmt, 'NotAction')) {
    out.push(finding('MISSING_ACTION', path, 'The statement must contain Action or NotAction.'))
  }
  const action = parseMatchList(stmt, path, ACTION_RULE, out) ?? { not: false, values: [] }

  let resource: MatchList | undefined
  const hasAnyResource = Object.hasOwn(stmt, 'Resource') || Object.hasOwn(stmt, 'NotResource')
  if (kind === 'trust') {
    if (hasAnyResource) {
      out.push(
        finding(
          'RESOURCE_NOT_ALLOWED',
          path,
          'Trust policies must not contain Resource or NotResource: the role is the resource.',
        ),
      )
    }
  } else {
    if (!hasAnyResource) {
      out.push(finding('MISSING_RESOURCE', path, 'The statement must contain Resource or NotResource.'))
    }
    resource = parseMatchList(stmt, path, RESOURCE_RULE, out) ?? { not: false, values: [] }
  }

  let conditions: ConditionClause[] = []
  if (Object.hasOwn(stmt, 'Condition')) {
    conditions = parseConditionBlock(stmt['Condition'], memberPath(path, 'Condition'), out)
  }
  return { index, path, sid, effect, principal, action, resource, conditions }
}
