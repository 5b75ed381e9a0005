/**
 * `parsePolicy`: JSON text → validated, normalised, frozen `PolicyDocument`, or the list of errors.
 *
 * Never throws, whatever the input: every problem becomes a `Finding`. Size limits are the callers'
 * business (they differ per service). The document is parsed once and then cached by callers; the
 * evaluator builds on the normalised form (see types.ts).
 */
import { finding, indexPath, quote, type Finding } from './findings.js'
import { findDuplicateKeys } from './json-duplicates.js'
import { parseStatement } from './statement.js'
import type { PolicyDocument, PolicyKind, PolicyStatement, PolicyVersion } from './types.js'

export type ParseResult =
  | { readonly ok: true; readonly policy: PolicyDocument; readonly findings: Finding[] }
  | { readonly ok: false; readonly errors: Finding[] }

const DOCUMENT_KEYS: ReadonlySet<string> = new Set(['Version', 'Id', 'Statement'])
const VERSIONS: ReadonlySet<string> = new Set<PolicyVersion>(['2012-10-17', '2008-10-17'])

function parseJson(text: string, out: Finding[]): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    // RangeError (absurd nesting) lands here too.
    const detail = e instanceof Error ? e.message : String(e)
    out.push(finding('INVALID_JSON', '', `The policy document has a syntax error: ${detail}`))
    return undefined
  }
}

function parseVersion(doc: Record<string, unknown>, out: Finding[]): PolicyVersion | undefined {
  if (!Object.hasOwn(doc, 'Version')) {
    out.push(
      finding(
        'MISSING_VERSION',
        '',
        'The policy has no Version; IAM then uses 2008-10-17, which does not support policy variables. Add "Version": "2012-10-17".',
      ),
    )
    return undefined
  }
  const v = doc['Version']
  if (typeof v === 'string' && VERSIONS.has(v)) return v as PolicyVersion
  out.push(
    finding('INVALID_VERSION', 'Version', `Version must be "2012-10-17" or "2008-10-17"; got ${quote(v)}.`),
  )
  return undefined
}

function parseStatements(doc: Record<string, unknown>, kind: PolicyKind, out: Finding[]): PolicyStatement[] {
  if (!Object.hasOwn(doc, 'Statement')) {
    out.push(finding('MISSING_STATEMENT', '', 'The policy document must contain a Statement element.'))
    return []
  }
  const raw = doc['Statement']
  if (Array.isArray(raw)) {
    if (raw.length === 0)
      out.push(finding('INVALID_STATEMENT', 'Statement', 'Statement must not be an empty array.'))
    const parsed = raw.map((s: unknown, i) => parseStatement(s, indexPath('Statement', i), i, kind, out))
    return parsed.filter((s): s is PolicyStatement => s !== undefined)
  }
  if (typeof raw === 'object' && raw !== null) {
    const s = parseStatement(raw, 'Statement', 0, kind, out)
    return s === undefined ? [] : [s]
  }
  out.push(
    finding('INVALID_STATEMENT', 'Statement', 'Statement must be an object or a non-empty array of objects.'),
  )
  return []
}

function checkSids(statements: readonly PolicyStatement[], out: Finding[]): void {
  const seen = new Set<string>()
  for (const s of statements) {
    // An empty Sid identifies nothing, so it cannot clash.
    if (s.sid === undefined || s.sid === '') continue
    if (seen.has(s.sid)) {
      out.push(
        finding(
          'DUPLICATE_SID',
          `${s.path}.Sid`,
          `Duplicate Sid ${quote(s.sid)}: Sids must be unique within a policy.`,
        ),
      )
    }
    seen.add(s.sid)
  }
}

function usesPolicyVariables(statements: readonly PolicyStatement[]): boolean {
  return statements.some(
    (s) =>
      s.resource?.values.some((v) => v.includes('${')) === true ||
      s.conditions.some((c) => c.values.some((v) => v.includes('${'))),
  )
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

export function parsePolicy(text: string, kind: PolicyKind): ParseResult {
  const out: Finding[] = []
  const doc = parseJson(text, out)
  if (out.length > 0) return { ok: false, errors: out }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return {
      ok: false,
      errors: [finding('POLICY_NOT_OBJECT', '', 'The policy document must be a JSON object.')],
    }
  }
  for (const dup of findDuplicateKeys(text)) {
    out.push(
      finding(
        'DUPLICATE_KEY',
        dup.path,
        `Duplicate key ${quote(dup.key)}: each key may appear only once per object.`,
      ),
    )
  }
  const record = doc as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!DOCUMENT_KEYS.has(key)) {
      out.push(
        finding(
          'UNKNOWN_POLICY_ELEMENT',
          key,
          `Unknown policy element ${quote(key)}: use Version, Id and Statement.`,
        ),
      )
    }
  }
  const version = parseVersion(record, out)
  let id: string | undefined
  if (Object.hasOwn(record, 'Id')) {
    const rawId = record['Id']
    if (typeof rawId === 'string') id = rawId
    else out.push(finding('INVALID_ID', 'Id', 'Id must be a string.'))
  }
  const statements = parseStatements(record, kind, out)
  checkSids(statements, out)
  if (version !== '2012-10-17' && usesPolicyVariables(statements)) {
    out.push(
      finding(
        'POLICY_VARIABLES_REQUIRE_VERSION',
        'Version',
        'The policy uses ${...} policy variables, which are only substituted with "Version": "2012-10-17"; otherwise they are literal text.',
      ),
    )
  }

  const errors = out.filter((f) => f.severity === 'ERROR')
  if (errors.length > 0) return { ok: false, errors }
  const policy: PolicyDocument = deepFreeze({ kind, version, id, statements })
  return { ok: true, policy, findings: out }
}
