import type { Authorizer } from './authorize.js'
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
    await this.deps.authorizer.authorize(op, input, ctx)
    return op.handle(input, ctx)
  }
}
