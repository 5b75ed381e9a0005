import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * A request's write scope (docs/events.md "In the change's transaction"): the core opens one around a
 * mutating operation's handler; the stores' request write paths call `joinWriteScope` inside each
 * transaction they open, so that whatever the core needs written with the change (the API call's held
 * outbox event) commits or rolls back with it. Neutral on purpose: stores import this, not the core.
 *
 * The participant runs synchronously inside the caller's open transaction, on the same connection; it
 * may be called once per transaction of the request (a retried or multi-step write calls it again) and
 * must be idempotent. It throws only when its write fails, which fails the transaction.
 */
export type WriteParticipant = (resourceArn: string | undefined) => void

interface Scope {
  readonly participant: WriteParticipant
  open: boolean
}

// Module-level on purpose: an AsyncLocalStorage is the channel, not state; each request's scope is its
// own value, reachable only from the async work the request started.
const scopes = new AsyncLocalStorage<Scope>()

/** Runs `work` (a request's handler) with `participant` joining the transactions it starts. */
export async function inWriteScope<T>(participant: WriteParticipant, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { participant, open: true }
  try {
    return await scopes.run(scope, work)
  } finally {
    // Work the request started and did not wait for (a background job woken by it) inherits the async
    // context; once the request is over its transactions are not the request's.
    scope.open = false
  }
}

/**
 * Called by a store inside the write transaction it opened for a request, with the ARN of the resource
 * it changes when it knows it. Does nothing outside a request's write scope (background jobs, reads).
 */
export function joinWriteScope(resourceArn?: string): void {
  const scope = scopes.getStore()
  if (scope?.open === true) scope.participant(resourceArn)
}

/**
 * Runs `work` outside any request's write scope: for wake-ups a request gives to background jobs
 * (the rotation scheduler), whose transactions are not the request's.
 */
export function outsideWriteScope<T>(work: () => T): T {
  return scopes.exit(work)
}
