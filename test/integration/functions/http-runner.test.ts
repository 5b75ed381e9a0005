import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OUTPUT_LIMIT_BYTES } from '../../../src/server/functions/contract.js'
import { runHttp, verifyWebhookSignature } from '../../../src/server/functions/runners/http.js'
import { invocation } from '../../support/functions.js'

interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  readonly verified: boolean
}

describe('webhook functions against a real HTTP receiver', () => {
  const key = randomBytes(32)
  const received: Received[] = []
  let receiver: Server
  let base: string

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks)
        const header = request.headers['x-coffer-signature']
        const verified = verifyWebhookSignature(
          key,
          typeof header === 'string' ? header : undefined,
          body,
          Date.now(),
        )
        const path = request.url ?? ''
        received.push({ path, headers: request.headers, body, verified })
        if (!verified) return void response.writeHead(401).end('bad signature')
        if (path === '/ok') return void response.writeHead(200).end('rotated')
        if (path === '/accepted') return void response.writeHead(204).end()
        if (path === '/fail') return void response.writeHead(500).end('database unreachable')
        if (path === '/redirect') return void response.writeHead(302, { Location: '/ok' }).end()
        if (path === '/big') return void response.writeHead(200).end('y'.repeat(3 * OUTPUT_LIMIT_BYTES))
        if (path === '/slow') return // never answers
        response.writeHead(404).end()
      })
    })
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done))
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    receiver?.closeAllConnections()
    await new Promise((done) => receiver?.close(done))
  })

  const call = (path: string, timeoutSeconds = 10, signingKey: Buffer = key) =>
    invocation({ code: { kind: 'http', url: `${base}${path}`, signingKey }, timeoutSeconds })
  const requestsTo = (path: string) => received.filter((r) => r.path === path)

  it('POSTs the signed event; a 2xx answer is success and its body the output', async () => {
    const inv = call('/ok')
    const result = await runHttp(inv)
    expect(result).toMatchObject({ ok: true, output: 'rotated' })
    const request = received.find((r) => r.headers['x-coffer-request-id'] === inv.requestId)
    expect(request).toBeDefined()
    expect(request?.verified).toBe(true)
    expect(JSON.parse(request?.body.toString() ?? '')).toEqual(inv.event)
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Coffer',
      'x-coffer-function-arn': inv.fn.arn,
    })
    // The webhook calls Coffer with its own credentials: none travel with the event.
    const raw = JSON.stringify(request?.headers) + request?.body.toString()
    expect(raw).not.toContain(inv.credentials.secretAccessKey)
    expect(raw).not.toContain(inv.credentials.accessKeyId)
  })

  it('a 204 without a body is success', async () => {
    expect(await runHttp(call('/accepted'))).toMatchObject({ ok: true, output: '' })
  })

  it('a 500 is a failure with the status, the body as output', async () => {
    const result = await runHttp(call('/fail'))
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'Webhook.HttpError', message: 'The webhook answered HTTP 500' },
      output: 'database unreachable',
    })
  })

  it('a signature made with another key is refused by the receiver', async () => {
    const result = await runHttp(call('/ok', 10, randomBytes(32)))
    expect(result).toMatchObject({ ok: false, error: { message: 'The webhook answered HTTP 401' } })
  })

  it('a redirect is not followed', async () => {
    const before = requestsTo('/ok').length
    const result = await runHttp(call('/redirect'))
    expect(result).toMatchObject({
      ok: false,
      error: {
        type: 'Webhook.HttpError',
        message: 'The webhook answered HTTP 302 (redirects are not followed)',
      },
    })
    expect(requestsTo('/ok').length).toBe(before)
  })

  it('a webhook that does not answer in time is a timeout', async () => {
    const result = await runHttp(call('/slow', 1))
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'Sandbox.Timedout', message: 'Task timed out after 1.00 seconds' },
    })
    expect(requestsTo('/slow').length).toBeGreaterThan(0)
  })

  it('a long answer is bounded', async () => {
    const result = await runHttp(call('/big'))
    expect(result.ok).toBe(true)
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES)
    expect(result.output).toMatch(/^y+\n\[output truncated: more than 65536 bytes\]\n$/)
  })

  it('connection refused is a failure naming the reason', async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const port = (closed.address() as AddressInfo).port
    await new Promise((done) => closed.close(done))
    const result = await runHttp(
      invocation({ code: { kind: 'http', url: `http://127.0.0.1:${port}/hook`, signingKey: key } }),
    )
    expect(result).toMatchObject({
      ok: false,
      error: {
        type: 'Webhook.RequestError',
        message: `The webhook request failed: connect ECONNREFUSED 127.0.0.1:${port}`,
      },
    })
  })

  it('a URL that is not http(s) is refused without a request', async () => {
    const result = await runHttp(
      invocation({ code: { kind: 'http', url: 'data:text/plain,ok', signingKey: key } }),
    )
    expect(result).toMatchObject({ ok: false, error: { type: 'Webhook.RequestError' } })
  })
})
