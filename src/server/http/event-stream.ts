import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { RequestContext } from '../core/context.js'
import type { ServiceDef } from '../core/operation.js'
import type { Pipeline } from '../core/pipeline.js'
import type { OutboxSignal } from '../events/outbox-signal.js'
import { isReadOnlyApiCall, toEnvelope, type OutboxReader } from '../events/outbox.js'
import { compileEventPattern } from '../services/events/rules.js'
import type { Authenticator } from './authenticate.js'

/** Coffer's own action for `GET /events` (no AWS service streams events); docs/events.md. */
export const STREAM_ACTION = 'coffer:StreamEvents'

export interface EventStreamDeps {
  readonly authenticator: Authenticator
  readonly pipeline: Pick<Pipeline, 'authorize'>
  /** The EventBridge service: requests are signed for its name (`events`). */
  readonly service: ServiceDef
  readonly outbox: OutboxReader
  readonly signal: OutboxSignal
  readonly clock: Clock
  readonly logger: Logger
  readonly pollIntervalMs: number
  readonly heartbeatSeconds: number
}

const BATCH = 500

/**
 * `GET /events`: server-sent events for a signed caller (SigV4 header or presigned URL, service
 * `events`) allowed `coffer:StreamEvents` on its account's default bus. Streams the EventBridge envelopes
 * of the caller's account and signed region, optionally only those matching `?pattern=<event pattern>`,
 * each with `id: <outbox seq>`. Not read-only API calls: those are in the outbox only while a rule
 * wants them (`ReadOnlyEventRules`), so a stream showing them would depend on other users' rules.
 * Starts after `Last-Event-ID` when given, else with the next new event. Errors before the stream
 * starts are thrown (the handler answers them in JSON).
 */
export function createEventStream(
  deps: EventStreamDeps,
): (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void> {
  return async (req, res, requestId) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const query = q === -1 ? '' : url.slice(q + 1)
    const { principal, region } = await deps.authenticator.authenticate(
      {
        method: 'GET',
        path: q === -1 ? url : url.slice(0, q),
        query,
        headers: req.headers,
        body: Buffer.alloc(0),
      },
      deps.service,
    )
    const scope = { accountId: principal.accountId, region }
    const ctx: RequestContext = {
      requestId,
      principal,
      region,
      now: deps.clock.now(),
      sourceIp: req.socket.remoteAddress ?? '',
      userAgent: req.headers['user-agent'],
      authorize: (action, target) => deps.pipeline.authorize(ctx, action, target),
    }
    await ctx.authorize(STREAM_ACTION, {
      resource: `arn:aws:events:${region}:${principal.accountId}:event-bus/default`,
    })
    const patternText = new URLSearchParams(query).get('pattern')
    const pattern = patternText === null ? undefined : compileEventPattern(patternText)
    const lastEventId = Number(req.headers['last-event-id'])
    let cursor =
      Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : await deps.outbox.lastSeq()

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'x-amzn-RequestId': requestId,
    })
    res.write(': connected\n\n')
    res.socket?.setNoDelay(true)

    let closed = false
    let reading = false
    let again = false
    const push = async (): Promise<void> => {
      if (reading) {
        again = true
        return
      }
      reading = true
      try {
        do {
          again = false
          for (;;) {
            const events = await deps.outbox.readAfter(cursor, BATCH, scope)
            for (const event of events) {
              if (closed) return
              cursor = event.seq
              if (isReadOnlyApiCall(event)) continue
              const envelope = toEnvelope(event)
              if (pattern !== undefined && !pattern.matches(envelope)) continue
              if (!res.write(`id: ${event.seq}\ndata: ${JSON.stringify(envelope)}\n\n`))
                await new Promise((resolve) => res.once('drain', resolve))
            }
            if (events.length < BATCH) break
          }
        } while (again && !closed)
      } catch (error) {
        deps.logger.error({ err: error, requestId }, 'event stream failed')
        res.destroy()
      } finally {
        reading = false
      }
    }
    const wake = () => void push()
    const unsubscribe = deps.signal.subscribe(wake)
    const poll = setInterval(wake, deps.pollIntervalMs)
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatSeconds * 1000)
    res.once('close', () => {
      closed = true
      unsubscribe()
      clearInterval(poll)
      clearInterval(heartbeat)
    })
    wake()
  }
}
