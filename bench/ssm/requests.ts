/**
 * SSM requests exactly as the JS SDK v3 sends them: the real SSMClient builds and signs each one and a
 * capturing request handler keeps it instead of sending it, as raw HTTP/1.1 for wrk to replay (within
 * the server's 5-minute signature window). See bench/lib/sign.ts for the Secrets Manager twin.
 */
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { HttpHandler, HttpRequest } from '@smithy/protocol-http'
import { Agent } from 'node:http'
import type { Credentials } from '../lib/coffer.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

class Captured extends Error {}

export function ssmClient(
  endpoint: string,
  credentials: Credentials,
  requestHandler: HttpHandler | { httpAgent: Agent } = {
    httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
  },
): SSMClient {
  return new SSMClient({
    endpoint,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
    requestHandler,
  })
}

/** `count` signed requests for `command()` (distinct invocation ids and signatures) as raw HTTP/1.1. */
export async function signedRequests(
  endpoint: string,
  credentials: Credentials,
  command: () => GetParameterCommand | GetParametersByPathCommand,
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
  const client = ssmClient(endpoint, credentials, handler)
  const raw: string[] = []
  try {
    for (let i = 0; i < count; i++) {
      const next = command()
      const sending = next instanceof GetParameterCommand ? client.send(next) : client.send(next)
      const sent = await sending.then(
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

function toRaw(request: HttpRequest): string {
  const body: unknown = request.body
  if (typeof body !== 'string' && !(body instanceof Uint8Array))
    throw new Error('expected a string or byte body')
  const lines = [`${request.method} ${request.path} HTTP/1.1`]
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`)
  lines.push('Connection: keep-alive')
  const text =
    typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString()
  return `${lines.join('\r\n')}\r\n\r\n${text}`
}
