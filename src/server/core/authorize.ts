import { AccessDeniedException } from '../../lib/aws/errors.js'
import type { RequestContext } from './context.js'
import type { OperationDef } from './operation.js'

/**
 * Decides whether a request may run. The identity issue replaces this with policy evaluation
 * (identity, resource and key policies); until then the deployment's administrators may do everything
 * and nobody else may do anything — default deny.
 */
export interface Authorizer {
  authorize(op: OperationDef, input: unknown, ctx: RequestContext): Promise<void>
}

export const administratorsOnly: Authorizer = {
  async authorize(op, _input, ctx) {
    if (ctx.principal.isAdmin) return
    throw new AccessDeniedException(
      `User: ${ctx.principal.arn} is not authorized to perform: ${op.action} because no identity-based policy allows the ${op.action} action`,
    )
  },
}
