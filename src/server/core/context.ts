import type { Principal } from '../services/iam/principal.js'
import type { AuthorizationTarget } from './authorize.js'

/** What every operation knows about its request. Built by the HTTP layer, read by the core and handlers. */
export interface RequestContext {
  readonly requestId: string
  readonly principal: Principal
  /** The region the request was signed for (the deployment's region in dev mode without a signature). */
  readonly region: string
  /** Request time, epoch ms; one clock reading per request so every timestamp in it agrees. */
  readonly now: number
  readonly sourceIp: string
  readonly userAgent: string | undefined
  /**
   * Authorizes one more action on one more resource, by the same rules the core applied to the request
   * (for operations over several resources, e.g. BatchGetSecretValue). Throws AccessDeniedException.
   */
  authorize(action: string, target: AuthorizationTarget): Promise<void>
}
