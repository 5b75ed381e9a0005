import { compilePolicyText } from '../../policy/index.js'
import type {
  CompiledPolicy,
  ContextValue,
  PolicySet,
  RequestPrincipal,
} from '../../policy/evaluation-types.js'
import type { PolicyKind } from '../../policy/types.js'
import type { EntityPolicies } from '../services/iam/policy-source.js'
import { rootArn, type Principal } from '../services/iam/principal.js'

/** What authorization derives from a principal once (per principal and stored-data generation). */
export interface PrincipalView {
  readonly generation: number
  readonly principal: RequestPrincipal
  /** The caller's global condition keys, lower-cased. */
  readonly context: ReadonlyMap<string, ContextValue>
  /** Identity, boundary and session policies; the resource policy is added per request. */
  readonly policies: PolicySet
}

/** An entity's stored policies, compiled. */
export interface CompiledEntity {
  readonly identity: readonly CompiledPolicy[]
  readonly boundary?: CompiledPolicy
  readonly tags: Readonly<Record<string, string>>
}

const DENY_ALL: Record<PolicyKind, string> = {
  identity: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}',
  resource:
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}',
  key: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}',
  trust: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}',
}

/**
 * Compiles stored policy text. A stored text that no longer compiles (IAM validates with the same
 * parser, so only a hand-edited database gets here) fails closed: it counts as a Deny of everything
 * (for a resource policy: of everything to everyone, until the operator repairs it).
 */
export function compileStored(text: string, kind: PolicyKind): CompiledPolicy {
  const compiled = compilePolicyText(text, kind)
  if (compiled.ok) return compiled.policy
  const denyAll = compilePolicyText(DENY_ALL[kind], kind)
  if (!denyAll.ok) throw new Error(`the deny-all ${kind} policy does not compile`)
  return denyAll.policy
}

export function compileEntity(policies: EntityPolicies): CompiledEntity {
  return {
    identity: policies.identity.map((text) => compileStored(text, 'identity')),
    ...(policies.boundary !== undefined && { boundary: compileStored(policies.boundary, 'identity') }),
    tags: policies.tags,
  }
}

/** The account root: a `Root` principal whose ARN is its account's root ARN (not the anonymous caller). */
export function isAccountRoot(p: Principal): boolean {
  return p.type === 'Root' && p.arn === rootArn(p.accountId)
}

const PRINCIPAL_TYPE: Record<Principal['type'], string> = {
  IAMUser: 'User',
  AssumedRole: 'AssumedRole',
  Root: 'Account',
}

/**
 * The request principal, the caller's global keys (`aws:PrincipalArn`, `aws:PrincipalAccount`,
 * `aws:PrincipalType`, `aws:userid`, `aws:username` for users, `aws:PrincipalTag/*` with session tags
 * over the entity's, `aws:SourceIdentity`, and the keys that are constant here: `aws:SecureTransport`
 * `false` (Coffer serves plain HTTP), `aws:ViaAWSService` and `aws:PrincipalIsAWSService` `false`;
 * `aws:MultiFactorAuthPresent` stays absent) and the policy set.
 */
export function buildView(
  p: Principal,
  entity: CompiledEntity | undefined,
  generation: number,
): PrincipalView {
  const isRoot = isAccountRoot(p)
  const principal: RequestPrincipal = {
    arn: p.arn,
    accountId: p.accountId,
    principalArn: p.principalArn,
    isRoot,
    userId: p.principalId,
    ...(p.type === 'IAMUser' && p.userName !== undefined && { userName: p.userName }),
  }
  const context = new Map<string, ContextValue>([
    ['aws:principalarn', p.principalArn],
    ['aws:principalaccount', p.accountId],
    ['aws:principaltype', PRINCIPAL_TYPE[p.type]],
    ['aws:userid', p.principalId],
    ['aws:securetransport', 'false'],
    ['aws:viaawsservice', 'false'],
    ['aws:principalisawsservice', 'false'],
  ])
  if (principal.userName !== undefined) context.set('aws:username', principal.userName)
  const tags = { ...entity?.tags, ...p.session?.tags }
  for (const [key, value] of Object.entries(tags)) context.set(`aws:principaltag/${key.toLowerCase()}`, value)
  if (p.session?.sourceIdentity !== undefined) context.set('aws:sourceidentity', p.session.sourceIdentity)
  const session = p.session?.policies ?? []
  const policies: PolicySet = {
    identity: isRoot ? [] : (entity?.identity ?? []),
    ...(!isRoot && entity?.boundary !== undefined && { boundary: entity.boundary }),
    ...(!isRoot && session.length > 0 && { session: session.map((text) => compileStored(text, 'identity')) }),
  }
  return { generation, principal, context, policies }
}
