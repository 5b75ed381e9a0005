import type { RequestContext } from '../../core/context.js'

/**
 * Remembers one lookup per request: an operation's authorization target and its handler need the
 * same key, and the second lookup would only repeat the first (same request, same data).
 */
export function perRequest<I, T>(lookup: (input: I, ctx: RequestContext) => Promise<T>) {
  const seen = new WeakMap<RequestContext, Promise<T>>()
  return (input: I, ctx: RequestContext): Promise<T> => {
    let found = seen.get(ctx)
    if (found === undefined) {
      found = lookup(input, ctx)
      seen.set(ctx, found)
    }
    return found
  }
}
