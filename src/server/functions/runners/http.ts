import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Invocation, Runner } from '../contract.js'
import { BoundedOutput, timedOut } from './results.js'

type Outcome = { error?: { type: string; message: string }; output: string }

/**
 * POSTs the step event to the function's webhook, signed with its key (`X-Coffer-Signature`). A 2xx answer
 * is success; any other status (redirects are not followed), a network error or the timeout is a failure.
 * The response body, bounded, is the output. The webhook gets no credentials: it calls Coffer with its own.
 * Never throws.
 */
export const runHttp: Runner = async (invocation) => {
  const started = performance.now()
  const { error, output } = await post(invocation)
  return {
    ok: error === undefined,
    ...(error !== undefined && { error }),
    output,
    durationMs: Math.round(performance.now() - started),
  }
}

async function post({ fn, event, requestId }: Invocation): Promise<Outcome> {
  const failure = (type: string, message: string, output = ''): Outcome => ({
    error: { type, message },
    output,
  })
  const code = fn.code
  if (code.kind !== 'http') return failure('Webhook.RequestError', `${code.kind} functions are not webhooks`)
  if (!/^https?:\/\//i.test(code.url)) {
    return failure('Webhook.RequestError', 'The webhook URL is not an http or https URL')
  }
  const body = JSON.stringify(event)
  const output = new BoundedOutput()
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), fn.timeoutSeconds * 1000)
  try {
    const response = await fetch(code.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Coffer',
        'X-Coffer-Request-Id': requestId,
        'X-Coffer-Function-Arn': fn.arn,
        'X-Coffer-Signature': signWebhookBody(code.signingKey, Math.floor(Date.now() / 1000), body),
      },
      body,
      redirect: 'manual',
      signal: controller.signal,
    })
    if (response.body !== null) {
      for await (const chunk of response.body) {
        output.append(Buffer.from(chunk))
        if (output.full) break
      }
    }
    if (response.status >= 200 && response.status < 300) return { output: output.text() }
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''
    return failure(
      'Webhook.HttpError',
      `The webhook answered HTTP ${response.status}${redirect}`,
      output.text(),
    )
  } catch (error) {
    if (controller.signal.aborted) return { error: timedOut(fn.timeoutSeconds), output: output.text() }
    // fetch reports "fetch failed" with the reason as its cause; keep the URL (it may hold a token) out.
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error
    const message = (reason instanceof Error ? reason.message : String(reason)).replaceAll(code.url, '<url>')
    return failure('Webhook.RequestError', `The webhook request failed: ${message}`, output.text())
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The `X-Coffer-Signature` value for a body sent at `timestamp` (Unix seconds):
 * `t=<timestamp>,v1=<hex HMAC-SHA256(key, "<timestamp>.<body>")>`.
 */
export function signWebhookBody(key: Uint8Array, timestamp: number, body: string | Uint8Array): string {
  return `t=${timestamp},v1=${mac(key, timestamp, body).toString('hex')}`
}

/**
 * Whether `header` (an `X-Coffer-Signature` value) signs `body` (the raw bytes received) with `key`, at a
 * time within `toleranceSeconds` of `now` (epoch milliseconds). Several `v1=` entries are allowed; any
 * match is enough. Compares in constant time.
 */
export function verifyWebhookSignature(
  key: Uint8Array,
  header: string | undefined,
  body: string | Uint8Array,
  now: number,
  toleranceSeconds = 300,
): boolean {
  if (header === undefined) return false
  let timestamp: number | undefined
  const signatures: Buffer[] = []
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2)
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(Buffer.from(value, 'hex'))
  }
  if (timestamp === undefined || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false
  const expected = mac(key, timestamp, body)
  return signatures.some((signature) => timingSafeEqual(signature, expected))
}

function mac(key: Uint8Array, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${timestamp}.`).update(body).digest()
}
