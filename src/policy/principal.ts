/**
 * `Principal` / `NotPrincipal` parsing and principal-identifier syntax.
 *
 * IAM does not accept wildcards inside principal ARNs (only a lone `*`), so the patterns below are
 * exact. Account ids are kept as written; `principalAccount` extracts the account for analysers.
 */
import { finding, indexPath, memberPath, quote, type Finding } from './findings.js'
import type { PolicyKind, PrincipalBlock, PrincipalSet, PrincipalType } from './types.js'

const PARTITION = 'aws(?:-[a-z]+)*'
const NAME = '[\\w+=,.@-]+'
const ACCOUNT = '(\\d{12})'
const AWS_PRINCIPAL_ARN = new RegExp(
  `^arn:${PARTITION}:(?:iam::${ACCOUNT}:(?:root|user/(?:${NAME}/)*${NAME}|role/(?:${NAME}/)*${NAME})` +
    `|sts::${ACCOUNT}:(?:assumed-role/${NAME}/${NAME}|federated-user/${NAME}))$`,
)
const ACCOUNT_ID = /^\d{12}$/
const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/
const FEDERATED_ARN = new RegExp(
  `^arn:${PARTITION}:iam::\\d{12}:(?:saml-provider/${NAME}|oidc-provider/\\S+)$`,
)
const CANONICAL_USER = /^[0-9a-fA-F]{64}$/

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser']

const VALIDATORS: Record<PrincipalType, (v: string) => boolean> = {
  AWS: (v) => v === '*' || ACCOUNT_ID.test(v) || AWS_PRINCIPAL_ARN.test(v),
  Service: (v) => HOSTNAME.test(v),
  Federated: (v) => HOSTNAME.test(v) || FEDERATED_ARN.test(v),
  CanonicalUser: (v) => CANONICAL_USER.test(v),
}

const EXPECTED: Record<PrincipalType, string> = {
  AWS: '"*", a 12-digit account id, or an IAM user/role/root or STS assumed-role/federated-user ARN',
  Service: 'a service principal such as "lambda.amazonaws.com"',
  Federated: 'an identity provider name or a SAML/OIDC provider ARN',
  CanonicalUser: 'a 64-character hexadecimal canonical user id',
}

/** The account an `AWS` principal value belongs to, or `undefined` for `*`/invalid values. */
export function principalAccount(value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value
  const m = AWS_PRINCIPAL_ARN.exec(value)
  return m?.[1] ?? m?.[2]
}

function parseValues(raw: unknown, type: PrincipalType, path: string, out: Finding[]): string[] | undefined {
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? (raw as unknown[]) : undefined
  if (list === undefined || list.length === 0) {
    out.push(
      finding(
        'INVALID_PRINCIPAL',
        path,
        `${type} principal must be a string or a non-empty array of strings.`,
      ),
    )
    return undefined
  }
  const values: string[] = []
  list.forEach((v, i) => {
    const at = typeof raw === 'string' ? path : indexPath(path, i)
    if (typeof v !== 'string') {
      out.push(finding('INVALID_PRINCIPAL', at, `${type} principal values must be strings.`))
    } else if (!VALIDATORS[type](v)) {
      out.push(
        finding(
          'INVALID_PRINCIPAL',
          at,
          `Invalid ${type} principal ${quote(v)}: expected ${EXPECTED[type]}.`,
        ),
      )
    } else {
      values.push(v)
    }
  })
  return values
}

function parsePrincipalSet(raw: unknown, path: string, out: Finding[]): PrincipalSet | undefined {
  if (raw === '*') return { kind: 'any' }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    out.push(
      finding(
        'INVALID_PRINCIPAL',
        path,
        `Principal must be "*" or an object such as {"AWS": ...}; got ${quote(raw)}.`,
      ),
    )
    return undefined
  }
  const keys = Object.keys(raw)
  if (keys.length === 0) {
    out.push(finding('INVALID_PRINCIPAL', path, 'Principal object must name at least one principal type.'))
    return undefined
  }
  const set: { kind: 'list' } & { [K in PrincipalType]?: readonly string[] } = { kind: 'list' }
  for (const key of keys) {
    const type = PRINCIPAL_TYPES.find((t) => t === key)
    const at = memberPath(path, key)
    if (type === undefined) {
      out.push(
        finding(
          'INVALID_PRINCIPAL',
          at,
          `Unknown principal type ${quote(key)}: use AWS, Service, Federated or CanonicalUser.`,
        ),
      )
      continue
    }
    const values = parseValues((raw as Record<string, unknown>)[key], type, at, out)
    if (values !== undefined) set[type] = values
  }
  return set
}

/**
 * Reads Principal/NotPrincipal of one statement. Returns `undefined` when the statement has none
 * (or it is invalid); whether that is an error depends on the policy kind and is reported here.
 */
export function parsePrincipalBlock(
  stmt: Record<string, unknown>,
  path: string,
  kind: PolicyKind,
  out: Finding[],
): PrincipalBlock | undefined {
  const hasPos = Object.hasOwn(stmt, 'Principal')
  const hasNeg = Object.hasOwn(stmt, 'NotPrincipal')
  if (kind === 'identity') {
    if (hasPos || hasNeg) {
      const el = hasPos ? 'Principal' : 'NotPrincipal'
      out.push(
        finding(
          'PRINCIPAL_NOT_ALLOWED',
          memberPath(path, el),
          `Identity-based policies must not contain ${el}: the principal is the identity the policy is attached to.`,
        ),
      )
    }
    return undefined
  }
  if (hasPos && hasNeg) {
    out.push(
      finding(
        'PRINCIPAL_AND_NOT_PRINCIPAL',
        path,
        'A statement must not contain both Principal and NotPrincipal.',
      ),
    )
    return undefined
  }
  if (!hasPos && !hasNeg) {
    out.push(
      finding(
        'MISSING_PRINCIPAL',
        path,
        `Statements in ${kind} policies must contain Principal or NotPrincipal.`,
      ),
    )
    return undefined
  }
  const el = hasPos ? 'Principal' : 'NotPrincipal'
  const principals = parsePrincipalSet(stmt[el], memberPath(path, el), out)
  return principals === undefined ? undefined : { not: hasNeg, principals }
}
