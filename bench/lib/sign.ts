/**
 * Requests exactly as the JS SDK v3 sends them: the real SecretsManagerClient builds and signs each
 * one (its own middleware stack and SigV4 signer), and a capturing request handler keeps the result
 * instead of sending it. The raw HTTP/1.1 bytes can then be replayed (by wrk) until the signature
 * leaves the server's clock-skew window (5 minutes).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { HttpHandler, HttpRequest } from '@smithy/protocol-http'
import { Agent } from 'node:http'
import type { Credentials } from './coffer.js'

// The SDK warns at every start that its 2027 releases will need node 22: noise in benchmark output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

class Captured extends Error {}

/** `count` signed GetSecretValue requests (distinct invocation ids and signatures) as raw HTTP/1.1. */
export async function signedGetSecretValue(
  endpoint: string,
  credentials: Credentials,
  secretId: string,
  count: number,
): Promise<string[]> {
  let captured: HttpRequest | undefined
  const handler: HttpHandler = {
    handle: (request) => {
      captured = request
      return Promise.reject(new Captured())
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  }
  const client = sdkClient(endpoint, credentials, handler)
  const raw: string[] = []
  try {
    for (let i = 0; i < count; i++) {
      const sent = await client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
        () => new Error('the capturing handler let a request through'),
        (error: unknown) => error,
      )
      if (!(sent instanceof Captured) || captured === undefined) throw sent
      raw.push(toRaw(captured))
    }
  } finally {
    client.destroy()
  }
  return raw
}

/** The SDK client used by the benchmarks: one attempt, keep-alive connections (or another handler). */
export function sdkClient(
  endpoint: string,
  credentials: Credentials,
  requestHandler: HttpHandler | { httpAgent: Agent } = {
    httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
  },
): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
    requestHandler,
  })
}

/** The request line, the SDK's headers in its order, then `Connection: keep-alive` as node's agent adds it. */
function toRaw(request: HttpRequest): string {
  const body: unknown = request.body
  if (typeof body !== 'string' && !(body instanceof Uint8Array))
    throw new Error('expected a string or byte body')
  const query = new URLSearchParams(request.query as Record<string, string>).toString()
  const lines = [`${request.method} ${request.path}${query === '' ? '' : `?${query}`} HTTP/1.1`]
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`)
  lines.push('Connection: keep-alive')
  const text =
    typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString()
  return `${lines.join('\r\n')}\r\n\r\n${text}`
}
