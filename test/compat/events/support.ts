/**
 * Real pieces for the events tests: a local webhook receiver (HTTP on 127.0.0.1, answering as told and
 * checking signatures), a configuration file with API destinations and rules, EventBridge clients, and
 * a signed `GET /events` subscriber.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, request, type ClientRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestServer } from '../../support/server.js'

export interface Received {
  /** Arrival order across the receiver. */
  readonly n: number
  readonly eventId: string
  readonly body: string
  readonly json: Record<string, unknown>
  readonly signatureValid: boolean
  /** What the receiver did: answered 2xx (`ok`), answered 500 (`fail`), or never answered (`hang`). */
  readonly outcome: 'ok' | 'fail' | 'hang'
  readonly at: number
}

export type Behaviour = (n: number, body: Record<string, unknown>) => 'ok' | 'fail' | 'hang'

export interface Receiver {
  readonly url: string
  readonly key: string
  readonly keyFile: string
  readonly received: Received[]
  behaviour: Behaviour
  /** Resolves once `predicate` holds for the requests received so far. */
  waitFor(predicate: (received: readonly Received[]) => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** `X-Coffer-Signature: t=<unix>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`, checked independently. */
export function signatureMatches(key: string, header: string | undefined, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '')
  if (m === null) return false
  const expected = createHmac('sha256', key).update(`${m[1]}.${body}`).digest()
  return timingSafeEqual(expected, Buffer.from(m[2] as string, 'hex'))
}

export async function startReceiver(behaviour: Behaviour = () => 'ok'): Promise<Receiver> {
  const key = randomBytes(24).toString('hex')
  const keyFile = join(mkdtempSync(join(tmpdir(), 'coffer-hook-')), 'key')
  writeFileSync(keyFile, `${key}\n`)
  const received: Received[] = []
  const waiters = new Set<() => void>()
  const hanging = new Set<IncomingMessage>()
  let count = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const json = JSON.parse(body) as Record<string, unknown>
      const n = count++
      const outcome = receiver.behaviour(n, json)
      received.push({
        n,
        eventId: String(req.headers['x-coffer-event-id'] ?? ''),
        body,
        json,
        signatureValid: signatureMatches(key, req.headers['x-coffer-signature'] as string | undefined, body),
        outcome,
        at: Date.now(),
      })
      for (const wake of waiters) wake()
      if (outcome === 'ok') res.writeHead(204).end()
      else if (outcome === 'fail') res.writeHead(500).end('{"error":"failing on purpose"}')
      else hanging.add(req)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    key,
    keyFile,
    received,
    behaviour,
    waitFor: (predicate, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} requests)`),
          )
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const req of hanging) req.socket.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
  return receiver
}

export interface ConfigOptions {
  readonly destinations?: readonly { name: string; url: string; signingKeyFile: string }[]
  readonly rules?: readonly Record<string, unknown>[]
  readonly delivery?: Record<string, number>
  readonly pollIntervalMs?: number
  readonly heartbeatSeconds?: number
}

/** Writes a configuration file (JSON, which the YAML loader reads) with an `events` section. */
export function eventsConfigFile(options: ConfigOptions): string {
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-events-config-')), 'coffer.json')
  writeFileSync(
    path,
    JSON.stringify({
      events: {
        destinations: options.destinations ?? [],
        rules: options.rules ?? [],
        ...(options.delivery !== undefined && { delivery: options.delivery }),
        ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
        ...(options.heartbeatSeconds !== undefined && { heartbeatSeconds: options.heartbeatSeconds }),
      },
    }),
  )
  return path
}

/** Configuration delivering every Secrets Manager event to `hook`, polling fast. */
export function secretEventsTo(hook: { url: string; keyFile: string }, extra: Record<string, unknown> = {}) {
  return {
    events: {
      destinations: [{ name: 'hook', url: hook.url, signingKeyFile: hook.keyFile }],
      rules: [
        {
          name: 'secrets',
          eventPattern: { source: ['aws.secretsmanager'] },
          targets: [{ id: 'hook', destination: 'hook' }],
        },
      ],
      pollIntervalMs: 100,
      ...extra,
    },
  }
}

export function eventBridgeClient(
  server: TestServer,
  keys: { accessKeyId: string; secretAccessKey: string } = server.credentials,
): EventBridgeClient {
  return new EventBridgeClient({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    maxAttempts: 1,
  })
}

export interface StreamEvent {
  readonly id: string
  readonly data: Record<string, unknown>
  readonly at: number
}

export interface Subscriber {
  readonly status: number
  readonly events: StreamEvent[]
  /** Comment lines (`: heartbeat`) seen. */
  readonly comments: string[]
  /** The error body when the server refused the stream. */
  readonly errorBody: string
  waitFor(predicate: (events: readonly StreamEvent[]) => boolean, timeoutMs?: number): Promise<void>
  close(): void
}

/**
 * Opens `GET /events` signed with SigV4 for service `events` (an Authorization header, or a presigned
 * URL), with an optional pattern and `Last-Event-ID`, and parses the server-sent events.
 */
export async function subscribe(
  server: Pick<TestServer, 'endpoint' | 'credentials'>,
  options: {
    pattern?: unknown
    lastEventId?: string
    keys?: { accessKeyId: string; secretAccessKey: string }
    presign?: boolean
    service?: string
  } = {},
): Promise<Subscriber> {
  const url = new URL(server.endpoint)
  const query: Record<string, string> = {}
  if (options.pattern !== undefined) query['pattern'] = JSON.stringify(options.pattern)
  const signer = new SignatureV4({
    credentials: options.keys ?? server.credentials,
    region: server.credentials.region,
    service: options.service ?? 'events',
    sha256: Hash.bind(null, 'sha256'),
  })
  const unsigned = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/events',
    query,
    headers: { host: url.host },
  })
  const signed = options.presign === true ? await signer.presign(unsigned) : await signer.sign(unsigned)
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(signed.query ?? {})) search.append(k, String(v))
  const path = `/events${search.size > 0 ? `?${search.toString().replace(/\+/g, '%20')}` : ''}`
  const headers: Record<string, string> = { ...(signed.headers as Record<string, string>) }
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
  const events: StreamEvent[] = []
  const comments: string[] = []
  const waiters = new Set<() => void>()
  let req: ClientRequest | undefined
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req = request({ host: url.hostname, port: url.port, method: 'GET', path, headers }, resolve)
    req.on('error', reject)
    req.end()
  })
  let errorBody = ''
  let buffer = ''
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    if (res.statusCode !== 200) {
      errorBody += chunk
      return
    }
    buffer += chunk
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      let id = ''
      let data = ''
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comments.push(line.slice(1).trim())
        else if (line.startsWith('id: ')) id = line.slice(4)
        else if (line.startsWith('data: ')) data += line.slice(6)
      }
      if (data !== '') events.push({ id, data: JSON.parse(data) as Record<string, unknown>, at: Date.now() })
    }
    for (const wake of waiters) wake()
  })
  if (res.statusCode !== 200) await new Promise((resolve) => res.once('end', resolve))
  return {
    status: res.statusCode ?? 0,
    events,
    comments,
    get errorBody() {
      return errorBody
    },
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`stream: condition not met within ${timeoutMs} ms (${events.length} events)`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () => {
      req?.destroy()
      res.destroy()
    },
  }
}
