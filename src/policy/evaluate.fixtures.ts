/**
 * Test support for the evaluator's unit tests (not part of the engine): principals, requests,
 * policies from JSON, and a one-word summary of a decision.
 */
import { compilePolicyText } from './compile.js'
import { evaluate } from './evaluate.js'
import type {
  AuthorizationRequest,
  CompiledPolicy,
  ContextValue,
  PolicySet,
  RequestPrincipal,
} from './evaluation-types.js'
import type { PolicyKind } from './types.js'

export const ACCT = '111111111111'
export const OTHER = '222222222222'

export function user(name: string, account = ACCT): RequestPrincipal {
  const arn = `arn:aws:iam::${account}:user/${name}`
  return {
    arn,
    accountId: account,
    principalArn: arn,
    isRoot: false,
    userId: `AIDA${name.toUpperCase()}`,
    userName: name,
  }
}

export function roleSession(role: string, session: string, account = ACCT): RequestPrincipal {
  return {
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    principalArn: `arn:aws:iam::${account}:role/${role}`,
    isRoot: false,
    userId: `AROA${role.toUpperCase()}:${session}`,
  }
}

export function root(account = ACCT): RequestPrincipal {
  const arn = `arn:aws:iam::${account}:root`
  return { arn, accountId: account, principalArn: arn, isRoot: true, userId: account }
}

export const secretArn = (name: string, account = ACCT): string =>
  `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-AbCdEf`

export const keyArn = (account = ACCT): string =>
  `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`

/** Compiles a policy given as an object (Version 2012-10-17 added when absent) or as raw text. */
export function policy(doc: object | string, kind: PolicyKind = 'identity'): CompiledPolicy {
  const text = typeof doc === 'string' ? doc : JSON.stringify({ Version: '2012-10-17', ...doc })
  const r = compilePolicyText(text, kind)
  if (!r.ok) throw new Error(`invalid test policy: ${JSON.stringify(r.errors)}`)
  return r.policy
}

/** A one-statement policy: `allow('secretsmanager:*', '*', { Condition: ... })`. */
export function allow(
  action: string | string[],
  resource: string | string[] = '*',
  extra: object = {},
): CompiledPolicy {
  return policy({ Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...extra }] })
}

export function deny(
  action: string | string[],
  resource: string | string[] = '*',
  extra: object = {},
): CompiledPolicy {
  return policy({ Statement: [{ Effect: 'Deny', Action: action, Resource: resource, ...extra }] })
}

/** A resource policy with one statement. */
export function grant(principal: unknown, extra: object = {}, kind: PolicyKind = 'resource'): CompiledPolicy {
  const statement = { Effect: 'Allow', Principal: principal, Action: '*', ...extra }
  return policy({ Statement: [kind === 'trust' ? statement : { Resource: '*', ...statement }] }, kind)
}

export interface RequestOptions {
  readonly action?: string
  readonly resource?: string
  readonly account?: string
  readonly context?: Readonly<Record<string, ContextValue>>
}

export function request(principal: RequestPrincipal, o: RequestOptions = {}): AuthorizationRequest {
  const resource = o.resource ?? secretArn('app/db', o.account ?? principal.accountId)
  const context = new Map<string, ContextValue>()
  for (const [k, v] of Object.entries(o.context ?? {})) context.set(k.toLowerCase(), v)
  return {
    principal,
    action: o.action ?? 'secretsmanager:GetSecretValue',
    resource,
    resourceAccountId: o.account ?? resource.split(':')[4] ?? principal.accountId,
    context,
  }
}

/** `Allow`, `Deny:<type>` (explicit, with the policy type that denied) or `Implicit:<missing type>`. */
export function decide(req: AuthorizationRequest, set: Partial<PolicySet>): string {
  const d = evaluate(req, { identity: [], ...set })
  if (d.effect === 'Allow') return 'Allow'
  return d.explicit ? `Deny:${d.policyType}` : `Implicit:${d.missing}`
}

/** Shorthand: does an identity policy set allow the request? */
export function allowed(req: AuthorizationRequest, ...identity: CompiledPolicy[]): boolean {
  return evaluate(req, { identity }).effect === 'Allow'
}
