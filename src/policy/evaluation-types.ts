/**
 * The contract of the policy evaluator (`evaluate.ts`): what a request looks like to it, which
 * policies it weighs, and what it answers. Pure data; the server builds these per request.
 */
import type { ActionStatements, CompiledStatement } from './compile.js'
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
   * `aws:PrincipalArn`: the user ARN for users, the **role** ARN (`arn:aws:iam::<acct>:role/<path><name>`)
   * for role sessions, the root ARN for the account root. A `Principal` element matches the caller
   * when it names `arn` (e.g. the session ARN) *or* this ARN (the role of a session) — the two are
   * not equivalent: a grant naming only the role is limited by boundaries and session policies.
   */
  readonly principalArn: string
  /**
   * The account's root user. Identity policies, boundaries and session policies don't apply to it:
   * in its own account it may do anything a resource policy does not explicitly deny, except that a
   * KMS key policy must grant it and it cannot assume roles.
   */
  readonly isRoot: boolean
  /** `aws:userid`, e.g. `AIDA…` or `AROA…:session`. */
  readonly userId: string
  /** `aws:username` (users only). */
  readonly userName?: string
  /**
   * Set for an AWS service calling as a service principal (`lambda.amazonaws.com`): only resource
   * policies naming it in `Principal: {"Service": ...}` (or `"*"`) apply; it has no identity policies.
   */
  readonly service?: string
  /**
   * Set for a caller authenticated by an identity provider rather than by IAM credentials
   * (AssumeRoleWithWebIdentity / AssumeRoleWithSAML): the provider as trust policies name it in
   * `Principal: {"Federated": ...}`, e.g. `arn:aws:iam::<acct>:oidc-provider/<issuer>` or
   * `cognito-identity.amazonaws.com`. Only the trust policy decides; there are no identity policies.
   */
  readonly federated?: string
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
  /**
   * The resource's resource-based policy (secret policy, key policy, trust policy), if any. Its
   * document kind matters: `key` and `trust` policies are not implicitly trusted within the
   * account (identity policies count only if the policy grants the account), `resource` ones are.
   */
  readonly resource?: CompiledPolicy
  /** The caller's permissions boundary; absent = no boundary. */
  readonly boundary?: CompiledPolicy
  /**
   * Session policies passed to AssumeRole/GetFederationToken; absent = none (an empty list = deny
   * all). Several policies act as one: a request is within the session if any of them allows it.
   */
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

/**
 * Compiled form of a parsed policy (matchers built once; evaluation allocates little). Build it with
 * `compilePolicy` / `compilePolicyText`; the members other than `document` are for the evaluator.
 */
export interface CompiledPolicy {
  readonly document: PolicyDocument
  readonly statements: readonly CompiledStatement[]
  /** The statements whose Action/NotAction covers `action` (memoised per action name). */
  forAction(action: string): ActionStatements
}
