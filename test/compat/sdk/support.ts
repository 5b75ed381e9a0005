/**
 * Shared helpers of the JS SDK compatibility suite: one real server per test file, error assertions,
 * and raw signed awsJson1_1 calls for the wire-level checks the SDK hides.
 */
import { SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, uniqueName as baseUniqueName, type TestServer } from '../../support/server.js'

/**
 * A unique secret name. The shared helper ends in `-` + 6 random characters, which AWS (and Coffer)
 * read as an ARN suffix, making the secret unreachable by partial ARN (spec §3.1); `_` avoids that.
 */
export function uniqueName(prefix = 'test'): string {
  const name = baseUniqueName(prefix)
  const cut = name.lastIndexOf('-')
  return `${name.slice(0, cut)}_${name.slice(cut + 1)}`
}

export interface ServerHandle {
  readonly server: TestServer
  readonly client: SecretsManagerClient
}

/** Starts one server for the calling test file; the returned getters are valid inside tests. */
export function useServer(): ServerHandle {
  let server: TestServer | undefined
  let client: SecretsManagerClient | undefined
  beforeAll(async () => {
    server = await startServer()
    client = secretsManagerClient(server)
  })
  afterAll(async () => {
    client?.destroy()
    await server?.stop({ cleanup: true })
  })
  return {
    get server() {
      if (server === undefined) throw new Error('server not started')
      return server
    },
    get client() {
      if (client === undefined) throw new Error('server not started')
      return client
    },
  }
}

/** A fresh ClientRequestToken (a UUID, as the SDKs generate). */
export function token(): string {
  return randomUUID()
}

/**
 * Awaits `promise`, expects it to reject with the AWS error `code` (HTTP `status`, 400 by default) and,
 * when given, the exact message (string) or a message pattern (RegExp).
 */
export async function expectAwsError(
  promise: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  status = 400,
): Promise<SecretsManagerServiceException> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok)
    throw new Error(`expected ${code}, but the call succeeded: ${JSON.stringify(outcome.value)}`)
  const error = outcome.error
  expect(error).toBeInstanceOf(SecretsManagerServiceException)
  const e = error as SecretsManagerServiceException
  expect({ name: e.name, message: e.message }).toMatchObject({ name: code })
  expect(e.$metadata.httpStatusCode).toBe(status)
  if (typeof message === 'string') expect(e.message).toBe(message)
  else if (message !== undefined) expect(e.message).toMatch(message)
  return e
}

export interface RawResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> | undefined
}

/**
 * One awsJson1_1 request signed with the server's admin credentials by the SDK's own signer, sent with
 * `fetch`. `body` is sent verbatim when a string, JSON-encoded otherwise.
 */
export async function rawCall(
  server: TestServer,
  target: string,
  body: unknown,
  options: { readonly headers?: Readonly<Record<string, string>> } = {},
): Promise<RawResponse> {
  const url = new URL(server.endpoint)
  const payload = typeof body === 'string' ? body : JSON.stringify(body)
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      ...options.headers,
    },
    body: payload,
  })
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: server.credentials.accessKeyId,
      secretAccessKey: server.credentials.secretAccessKey,
    },
    region: server.credentials.region,
    service: 'secretsmanager',
    sha256: Hash.bind(null, 'sha256'),
  })
  const signed = await signer.sign(request)
  const headers = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'),
  )
  const response = await fetch(url, { method: 'POST', headers, body: payload })
  const text = await response.text()
  let json: Record<string, unknown> | undefined
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** Pauses long enough for the server clock (millisecond timestamps) to move on. */
export function tick(ms = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
