/**
 * Raw, SigV4-signed HTTP requests against a test server, bypassing the SDK so the server's own
 * validation and authentication are what get exercised. Signing uses the real AWS signer
 * (@smithy/signature-v4); the request is then sent byte for byte as prepared, which lets tests tamper
 * with any part of it after signing.
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { Credentials } from './server.js'

export const JSON_1_1 = 'application/x-amz-json-1.1'

/** AWS's texts for the authentication failures (spec §1.1, §2). */
export const AUTH_MESSAGES = {
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  unrecognizedClient: 'The security token included in the request is invalid.',
} as const

export interface Target {
  readonly endpoint: string
  readonly credentials: Credentials
}

export interface PrepareOptions {
  /** Full `X-Amz-Target` value; `null` leaves the header out. Default: none (set by `smRequest`). */
  readonly target?: string | null
  readonly body?: string | Uint8Array
  /** Extra headers, signed like the others (pass `content-type` to override it). */
  readonly headers?: Readonly<Record<string, string>>
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
  readonly region?: string
  readonly service?: string
  readonly signingDate?: Date | number
  /** Presign (query-string auth) with this X-Amz-Expires instead of an Authorization header. */
  readonly presign?: number
  /** Add `x-amz-content-sha256` (the signer's default); off by default, as the SDKs do for this service. */
  readonly applyChecksum?: boolean
  /** Send no authentication at all. */
  readonly unsigned?: boolean
  /** Leave `content-length` out of the signed headers and of the request (chunked upload). */
  readonly chunked?: boolean
}

export interface PreparedRequest {
  readonly method: string
  /** Path and query, as on the request line. */
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: Uint8Array
}

export interface RawResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly text: string
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown
}

const encoder = new TextEncoder()

function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

/** Builds and signs a `POST /` request for `target`'s endpoint. */
export async function prepare(target: Target, options: PrepareOptions = {}): Promise<PreparedRequest> {
  const url = new URL(target.endpoint)
  const body =
    typeof options.body === 'string' ? encoder.encode(options.body) : (options.body ?? new Uint8Array())
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': JSON_1_1,
    ...(options.chunked !== true && { 'content-length': String(body.length) }),
    ...(typeof options.target === 'string' && { 'x-amz-target': options.target }),
  }
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v
  if (options.unsigned === true) return { method: 'POST', path: '/', headers, body }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? target.credentials.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? target.credentials.secretAccessKey,
    },
    region: options.region ?? target.credentials.region,
    service: options.service ?? 'secretsmanager',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum ?? false,
  })
  const unsigned = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers,
    body,
  })
  const signingDate = new Date(options.signingDate ?? Date.now())
  const signed =
    options.presign !== undefined
      ? // X-Amz-Target routes the request: it stays a (signed) header rather than moving to the query.
        await signer.presign(unsigned, {
          signingDate,
          expiresIn: options.presign,
          unhoistableHeaders: new Set(['x-amz-target']),
        })
      : await signer.sign(unsigned, { signingDate })
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = v
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((one) => `${escapeUri(k)}=${escapeUri(String(one))}`),
    )
    .join('&')
  return { method: 'POST', path: query.length > 0 ? `/?${query}` : '/', headers: out, body }
}

const agents = new Map<string, Agent>()

/** One keep-alive agent per endpoint: the fuzzer sends thousands of requests. */
function agentFor(endpoint: string): Agent {
  let agent = agents.get(endpoint)
  if (agent === undefined) {
    agent = new Agent({ keepAlive: true, maxSockets: 32 })
    agents.set(endpoint, agent)
  }
  return agent
}

export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy()
  agents.clear()
}

export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Sends a prepared request as is and collects the whole response. */
export function send(
  endpoint: string,
  req: PreparedRequest,
  options: { agent?: Agent | false; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(endpoint)
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent: options.agent ?? agentFor(endpoint),
        setHost: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: parseJsonOrUndefined(text),
          })
        })
        res.on('error', reject)
      },
    )
    r.on('timeout', () => r.destroy(new Error(`request timed out: ${req.headers['x-amz-target'] ?? ''}`)))
    r.on('error', reject)
    r.end(req.body)
  })
}

/** Signs and sends a Secrets Manager call; `body` objects are JSON-encoded. */
export async function smRequest(
  target: Target,
  operation: string,
  body: unknown = {},
  options: PrepareOptions = {},
): Promise<RawResponse> {
  const raw = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  return send(
    target.endpoint,
    await prepare(target, { target: `secretsmanager.${operation}`, body: raw, ...options }),
  )
}

/** `smRequest`, requiring a 200 and returning the parsed output. */
export async function smCall<T = Record<string, unknown>>(
  target: Target,
  operation: string,
  body: unknown = {},
  options: PrepareOptions = {},
): Promise<T> {
  const res = await smRequest(target, operation, body, options)
  if (res.status !== 200) throw new Error(`${operation} failed: ${res.status} ${res.text}`)
  return res.json as T
}

/** The AWS error carried by a response (`__type` and message), or `undefined` for a 2xx. */
export function awsError(res: RawResponse): { type: string; message: string } | undefined {
  if (res.status >= 200 && res.status < 300) return undefined
  const body = (res.json ?? {}) as { __type?: unknown; Message?: unknown; message?: unknown }
  return {
    type: typeof body.__type === 'string' ? body.__type : '',
    message:
      typeof body.Message === 'string' ? body.Message : typeof body.message === 'string' ? body.message : '',
  }
}

/** `yyyymmddThhmmssZ` for a time, as SigV4 writes it. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Parses `yyyymmddThhmmssZ` back to epoch ms. */
export function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  if (m === null) return NaN
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number]
  return Date.UTC(y, mo - 1, d, h, mi, se)
}
