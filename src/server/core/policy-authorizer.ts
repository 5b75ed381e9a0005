import { AccessDeniedException } from '../../lib/aws/errors.js'
import { evaluate } from '../../policy/index.js'
import type { AuthorizationRequest, PolicySet } from '../../policy/evaluation-types.js'
import type { PolicyEntity, PolicySource } from '../services/iam/policy-source.js'
import type { Principal } from '../services/iam/principal.js'
import type { Freshness } from '../storage/freshness.js'
import { accessDeniedMessage } from './access-denied.js'
import { AuthorizationContext } from './authorization-context.js'
import type { AuthorizationTarget, Authorizer } from './authorize.js'
import type { RequestContext } from './context.js'
import {
  buildView,
  compileEntity,
  compileStored,
  isAccountRoot,
  type CompiledEntity,
  type PrincipalView,
} from './principal-view.js'

export interface PolicyAuthorizerOptions {
  /** Entities (users, roles) whose compiled policies are remembered. */
  readonly maxEntities: number
}

/**
 * AWS's policy evaluation for every request: the caller's identity policies (inline and attached
 * managed, from the `PolicySource`), its permissions boundary and session policies, the target's
 * resource policy, and the condition context (global keys, resource tags, the target's keys).
 * A denial throws AccessDeniedException with AWS's message.
 *
 * Per principal, the request principal, its global keys and its compiled policies are computed once
 * and remembered until stored data may have changed (`Freshness`): a policy detached or a key
 * deactivated counts at the next request. A hit costs no SQL, no parsing and a handful of objects.
 */
export class PolicyAuthorizer implements Authorizer {
  private generation = 0
  private readonly views = new WeakMap<Principal, PrincipalView>()
  private readonly entities = new Map<string, CompiledEntity | null>()

  constructor(
    private readonly deps: { source: PolicySource; freshness: Freshness },
    private readonly options: PolicyAuthorizerOptions,
  ) {
    deps.freshness.subscribe(() => {
      this.generation++
      this.entities.clear()
    })
  }

  async check(ctx: RequestContext, action: string, target: AuthorizationTarget): Promise<void> {
    const cached = this.views.get(ctx.principal)
    const view = cached?.generation === this.generation ? cached : await this.load(ctx.principal)
    const resourceAccountId = target.resourceAccountId ?? view.principal.accountId
    const request: AuthorizationRequest = {
      principal: view.principal,
      action,
      resource: target.resource,
      resourceAccountId,
      context: new AuthorizationContext(view.context, ctx, target, resourceAccountId, action),
    }
    const decision = evaluate(request, policiesFor(view.policies, target))
    if (decision.effect === 'Allow') return
    const reason = target.resourcePolicyKind !== 'trust'
    throw new AccessDeniedException(
      accessDeniedMessage(view.principal.arn, action, target.resource, decision, reason),
    )
  }

  private async load(p: Principal): Promise<PrincipalView> {
    const generation = this.generation
    const entity = p.entity === undefined || isAccountRoot(p) ? undefined : await this.entity(p.entity)
    const view = buildView(p, entity, generation)
    if (generation === this.generation) this.views.set(p, view)
    return view
  }

  private async entity(entity: PolicyEntity): Promise<CompiledEntity | undefined> {
    const key = `${entity.kind}:${entity.id}`
    const cached = this.entities.get(key)
    if (cached !== undefined) return cached ?? undefined
    const generation = this.generation
    const stored = await this.deps.source.policiesOf(entity)
    const compiled = stored === undefined ? null : compileEntity(stored)
    if (generation === this.generation) {
      if (this.entities.size >= this.options.maxEntities) {
        const oldest = this.entities.keys().next()
        if (oldest.done !== true) this.entities.delete(oldest.value)
      }
      this.entities.set(key, compiled)
    }
    return compiled ?? undefined
  }
}

/** The principal's policies plus the target's resource policy (compiled texts are memoised). */
function policiesFor(base: PolicySet, target: AuthorizationTarget): PolicySet {
  if (target.resourcePolicy === undefined) return base
  return { ...base, resource: compileStored(target.resourcePolicy, target.resourcePolicyKind ?? 'resource') }
}
