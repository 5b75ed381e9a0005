import { ANY_RESOURCE, type AuthorizationTarget, type Authorizer } from './authorize.js'
import type { RequestContext } from './context.js'
import type { OperationDef } from './operation.js'
import type { PipelineTrace } from './request-audit.js'

/** A request that succeeded, for observers (the API-call events). */
export interface CompletedCall {
  readonly op: OperationDef
  readonly input: unknown
  readonly output: unknown
  /** What the request was authorized on (`*` for public and anonymous operations). */
  readonly target: AuthorizationTarget
  readonly ctx: RequestContext
}

/**
 * The transport-neutral pipeline every request goes through: validate → authorize → handle.
 * Protocol codecs call `execute`; handlers cannot skip a step because they are only reached from here.
 * What it learns on the way (validated input, authorized target) goes into `trace` for the request's
 * audit record, which the HTTP layer writes on every exit path.
 */
export class Pipeline {
  constructor(
    private readonly deps: {
      authorizer: Authorizer
      /** Runs after each successful request, before the answer is sent; must not throw. */
      onSuccess?: (call: CompletedCall) => void
    },
  ) {}

  async execute(
    op: OperationDef,
    raw: unknown,
    ctx: RequestContext,
    trace: PipelineTrace = {},
  ): Promise<unknown> {
    const input = op.parse(raw)
    trace.input = input
    let target = ANY_RESOURCE
    if (op.access === undefined) {
      if (op.target !== undefined) target = await op.target(input, ctx)
      trace.target = target
      await this.deps.authorizer.check(ctx, op.action, target)
    }
    const output = await op.handle(input, ctx)
    this.deps.onSuccess?.({ op, input, output, target, ctx })
    return output
  }

  /** For operations that act on several resources (BatchGetSecretValue): one more check, same rules. */
  authorize(ctx: RequestContext, action: string, target: AuthorizationTarget): Promise<void> {
    return this.deps.authorizer.check(ctx, action, target)
  }
}
