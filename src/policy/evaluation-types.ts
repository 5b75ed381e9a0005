/**
 * The contract of the policy evaluator (`evaluate.ts`): what a request looks like to it, which
 * policies it weighs, and what it answers. Pure data; the server builds these per request.
 */
import type { PolicyDocument } from './types.js'

/**
 * A condition-context value. AWS types every key (String, Numeric, Date, Bool, Binary, IPAddress, ARN)
 * but passes them as strings; multi-valued keys (`aws:TagKeys`, `aws:PrincipalTag/...` never,
 * `ForAnyValue:` targets) are arrays. Booleans are `'true'`/`'false'`, dates ISO-8601 or epoch seconds.
 */
export type ContextValue = string | readonly string[]

/** The caller as policies see it. */
export interface RequestPrincipal {
  /** The caller's ARN: `arn:aws:iam::<acct>:user/<path><name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`, `arn:aws:iam::<acct>:root`. */
  readonly arn: string
  readonly accountId: string
  /**
   * What `Principal` elements and `aws:PrincipalArn` match: the user ARN for users, the **role** ARN
   * (`arn:aws:iam::<acct>:role/<path><name>`) for role sessions, the root ARN for the account root.
   */
  readonly principalArn: string
  /** The account's root user: identity policies don't apply to it (it may do anything in its own account). */
  readonly isRoot: boolean
  /** `aws:userid`, e.g. `AIDA…` or `AROA…:session`. */
  readonly userId: string
  /** `aws:username` (users only). */
  readonly userName?: string
}

export interface AuthorizationRequest {
  readonly principal: RequestPrincipal
  /** `service:Action` exactly as the API names it, e.g. `secretsmanager:GetSecretValue`. */
  readonly action: string
  /** The resource ARN, or `*` for actions without a resource. */
  readonly resource: string
  /** The account that owns the resource (the caller's account for `*`). */
  readonly resourceAccountId: string
  /**
   * Condition context, keys **lower-cased** (`aws:principalarn`, `secretsmanager:resourcetag/team`).
   * The server fills the global keys (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/*,
   * aws:userid, aws:username, aws:SourceIp, aws:CurrentTime, aws:EpochTime, aws:SecureTransport,
   * aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/*) and the service keys. A key that is absent is
   * absent (Null / IfExists / variables behave accordingly).
   */
  readonly context: ReadonlyMap<string, ContextValue>
}

/**
 * The policies that bear on one request. `compilePolicy` output is cached per document, so building
 * this per request is cheap.
 */
export interface PolicySet {
  /** The caller's identity policies (inline and attached managed), in the caller's account. */
  readonly identity: readonly CompiledPolicy[]
  /** The resource's resource-based policy (secret policy, key policy, trust policy), if any. */
  readonly resource?: CompiledPolicy
  /** The caller's permissions boundary; absent = no boundary. */
  readonly boundary?: CompiledPolicy
  /** Session policies passed to AssumeRole/GetFederationToken; absent = none (an empty list = deny all). */
  readonly session?: readonly CompiledPolicy[]
}

export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session'

/**
 * The decision, with what decided it — enough to write AWS's AccessDenied message:
 * - explicit deny: "... with an explicit deny in a(n) <identity-based|resource-based|permissions boundary|session> policy"
 * - implicit deny: "... because no <identity-based|resource-based|permissions boundary|session> policy allows the <action> action"
 */
export type Decision =
  | { readonly effect: 'Allow' }
  | { readonly effect: 'Deny'; readonly explicit: true; readonly policyType: PolicyType }
  | { readonly effect: 'Deny'; readonly explicit: false; readonly missing: PolicyType }

/** Opaque compiled form of a parsed policy (matchers built once; evaluation allocates little). */
export interface CompiledPolicy {
  readonly document: PolicyDocument
}
