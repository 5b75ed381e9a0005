import { inWriteScope } from '../storage/write-scope.js'
import { ANY_RESOURCE, type AuthorizationTarget, type Authorizer } from './authorize.js'
import type { RequestContext } from './context.js'
import type { OperationDef } from './operation.js'
import type { PipelineTrace } from './request-audit.js'

/**
 * The transport-neutral pipeline every request goes through: validate → authorize → handle.
 * Protocol codecs call `execute`; handlers cannot skip a step because they are only reached from here.
 * What it learns on the way (validated input, authorized target, per-item checks) goes into `trace` for
 * the request's audit record, which the HTTP layer has the auditor write on every exit path.
 *
 * A mutating operation's handler runs in a write scope (`storage/write-scope.ts`) whose participant is
 * `trace.participant`: the stores call it inside each transaction they open for the request, so the
 * API call's event commits (held) with the change.
 */
export class Pipeline {
  constructor(private readonly deps: { authorizer: Authorizer }) {}

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
    const participant = trace.participant
    if (op.readOnly || participant === undefined) return op.handle(input, ctx)
    return inWriteScope(participant, () => op.handle(input, ctx))
  }

  /**
   * For operations that act on several resources (BatchGetSecretValue): one more check, same rules.
   * Checks of the operation's `itemRecords` action are noted in `trace` for their own records.
   */
  async authorize(
    ctx: RequestContext,
    action: string,
    target: AuthorizationTarget,
    trace?: PipelineTrace,
    op?: OperationDef,
  ): Promise<void> {
    const noted = op?.itemRecords?.action === action && trace !== undefined
    try {
      await this.deps.authorizer.check(ctx, action, target)
    } catch (error) {
      if (noted) (trace.items ??= []).push({ action, target, error })
      throw error
    }
    if (noted) (trace.items ??= []).push({ action, target })
  }
}
