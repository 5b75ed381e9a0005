import { ANY_RESOURCE, type AuthorizationTarget, type Authorizer } from './authorize.js'
import type { RequestContext } from './context.js'
import type { OperationDef } from './operation.js'

/**
 * The transport-neutral pipeline every request goes through: validate → authorize → handle.
 * Protocol codecs call `execute`; handlers cannot skip a step because they are only reached from here.
 * (The audit issue adds the audit record around `handle`, here and nowhere else.)
 */
export class Pipeline {
  constructor(private readonly deps: { authorizer: Authorizer }) {}

  async execute(op: OperationDef, raw: unknown, ctx: RequestContext): Promise<unknown> {
    const input = op.parse(raw)
    if (op.access === undefined) {
      await this.deps.authorizer.check(
        ctx,
        op.action,
        op.target === undefined ? ANY_RESOURCE : await op.target(input, ctx),
      )
    }
    return op.handle(input, ctx)
  }

  /** For operations that act on several resources (BatchGetSecretValue): one more check, same rules. */
  authorize(ctx: RequestContext, action: string, target: AuthorizationTarget): Promise<void> {
    return this.deps.authorizer.check(ctx, action, target)
  }
}
