/**
 * The parsed, normalised shape of an IAM-style policy document.
 *
 * Shapes are chosen for the future evaluator's hot path: every element that may be written as a
 * scalar or a list is always a list, optional elements are present-but-`undefined` (stable object
 * shapes), and the whole document is deep-frozen by the parser so the evaluator can cache compiled
 * matchers per document in a `WeakMap<PolicyDocument, CompiledPolicy>` without defensive copies.
 *
 * Values are kept *as written* (wildcards and `${...}` policy variables unexpanded). Compiling
 * wildcards into matchers, lower-casing actions and substituting variables is the evaluator's job;
 * the places it hooks in are marked "Evaluator:" below.
 */

export type PolicyKind = 'identity' | 'resource' | 'trust' | 'key'

export type PolicyVersion = '2012-10-17' | '2008-10-17'

export type Effect = 'Allow' | 'Deny'

/** `Action`/`NotAction` or `Resource`/`NotResource`: `not` is true for the `Not...` form. */
export interface MatchList {
  readonly not: boolean
  /**
   * Patterns as written. Evaluator: actions match case-insensitively (`*` and `?` wildcards);
   * resources match case-sensitively and may contain policy variables (2012-10-17 only).
   */
  readonly values: readonly string[]
}

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser'

/**
 * `"Principal": "*"` becomes `{ kind: 'any' }`; the object form becomes `{ kind: 'list', ... }` with
 * only the principal types that were written. `{"AWS": "*"}` stays `{ kind: 'list', AWS: ['*'] }`
 * because AWS distinguishes it (it does not match anonymous/service callers in every service).
 * Evaluator: a bare 12-digit account id in `AWS` means `arn:<partition>:iam::<acct>:root`.
 */
export type PrincipalSet =
  | { readonly kind: 'any' }
  | ({ readonly kind: 'list' } & { readonly [K in PrincipalType]?: readonly string[] })

export interface PrincipalBlock {
  /** True for `NotPrincipal`. */
  readonly not: boolean
  readonly principals: PrincipalSet
}

export type ConditionFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null'

export type ConditionOperator =
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase'
  | 'StringLike'
  | 'StringNotLike'
  | 'NumericEquals'
  | 'NumericNotEquals'
  | 'NumericLessThan'
  | 'NumericLessThanEquals'
  | 'NumericGreaterThan'
  | 'NumericGreaterThanEquals'
  | 'DateEquals'
  | 'DateNotEquals'
  | 'DateLessThan'
  | 'DateLessThanEquals'
  | 'DateGreaterThan'
  | 'DateGreaterThanEquals'
  | 'Bool'
  | 'BinaryEquals'
  | 'IpAddress'
  | 'NotIpAddress'
  | 'ArnEquals'
  | 'ArnNotEquals'
  | 'ArnLike'
  | 'ArnNotLike'
  | 'Null'

export type ConditionQuantifier = 'ForAnyValue' | 'ForAllValues'

/**
 * One `operator: { key: values }` pair. A Condition block with several operators and keys becomes
 * several clauses that are ANDed; the values inside one clause are ORed.
 */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string
  /** The operator without quantifier and `IfExists`, e.g. `StringLike`. */
  readonly base: ConditionOperator
  readonly family: ConditionFamily
  readonly quantifier: ConditionQuantifier | undefined
  readonly ifExists: boolean
  /** The key as written (for messages). */
  readonly key: string
  /** Condition keys are case-insensitive. Evaluator: look the request context up with this. */
  readonly keyLower: string
  /**
   * Values as strings (JSON numbers/booleans are stringified). Already type-checked against the
   * operator family unless they contain a policy variable. Evaluator: pre-parse per family.
   */
  readonly values: readonly string[]
}

export interface PolicyStatement {
  /** Position in the normalised statement list. */
  readonly index: number
  /** Location in the document as written: `Statement` (single object form) or `Statement[i]`. */
  readonly path: string
  readonly sid: string | undefined
  readonly effect: Effect
  /** Always `undefined` for identity policies; always set for resource/trust/key policies. */
  readonly principal: PrincipalBlock | undefined
  readonly action: MatchList
  /** `undefined` only for trust policies (where Resource is forbidden). */
  readonly resource: MatchList | undefined
  readonly conditions: readonly ConditionClause[]
}

export interface PolicyDocument {
  readonly kind: PolicyKind
  /** `undefined` when the document omits Version (IAM then treats it as 2008-10-17). */
  readonly version: PolicyVersion | undefined
  readonly id: string | undefined
  readonly statements: readonly PolicyStatement[]
}
