import { createHmac } from 'node:crypto'

/** What one delivery attempt came to. */
export type WebhookResult = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/**
 * `X-Coffer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`: a receiver recomputes
 * it over the raw body and rejects stale `t` values to stop replays (docs/events.md).
 */
export function signatureHeader(key: Buffer, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', key).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${mac}`
}

/**
 * POSTs one event: 2xx means delivered; anything else (status, network error, timeout) is a failure whose
 * reason names only the status or the error kind — never the response body.
 */
export async function postWebhook(request: {
  readonly url: string
  readonly key: Buffer
  readonly body: string
  readonly eventId: string
  readonly now: number
  readonly timeoutMs: number
  /** Aborts the request (the server is stopping). */
  readonly stop: AbortSignal
}): Promise<WebhookResult> {
  // An explicit controller and timer: a combined AbortSignal.any(timeout) can be collected before it fires.
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, request.timeoutMs)
  const onStop = () => controller.abort()
  request.stop.addEventListener('abort', onStop)
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Coffer-Events/1',
        'x-coffer-event-id': request.eventId,
        'x-coffer-signature': signatureHeader(request.key, request.body, Math.floor(request.now / 1000)),
      },
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    })
    await response.body?.cancel()
    if (response.status >= 200 && response.status < 300) return { ok: true }
    return { ok: false, reason: `HTTP ${response.status}` }
  } catch (error) {
    if (timedOut) return { ok: false, reason: `timeout after ${request.timeoutMs} ms` }
    if (request.stop.aborted) return { ok: false, reason: 'aborted' }
    const cause = (error as { cause?: { code?: unknown } }).cause
    return { ok: false, reason: typeof cause?.code === 'string' ? cause.code : 'network error' }
  } finally {
    clearTimeout(timer)
    request.stop.removeEventListener('abort', onStop)
  }
}
