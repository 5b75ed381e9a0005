/**
 * Shared helpers of the KMS compatibility suite: one real server per test file with KMS and Secrets
 * Manager clients, and assertions on AWS errors as the JS SDK v3 surfaces them.
 */
import { KMSClient, KMSServiceException } from '@aws-sdk/client-kms'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, expect } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { prepare, send, type RawResponse } from '../../support/signed-http.js'
import { startServer, type StartOptions, type TestServer } from '../../support/server.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export function kmsClient(server: TestServer): KMSClient {
  return new KMSClient({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: {
      accessKeyId: server.credentials.accessKeyId,
      secretAccessKey: server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  })
}

export interface KmsHandle {
  readonly server: TestServer
  readonly kms: KMSClient
  readonly sm: SecretsManagerClient
  /** The account of the server's administrator. */
  readonly accountId: string
  readonly region: string
}

/** Starts one server for the calling test file; the getters are valid inside tests. */
export function useKmsServer(options: StartOptions = {}): KmsHandle {
  let server: TestServer | undefined
  let kms: KMSClient | undefined
  let sm: SecretsManagerClient | undefined
  let accountId = ''
  beforeAll(async () => {
    server = await startServer(options)
    kms = kmsClient(server)
    sm = secretsManagerClient(server)
    accountId = /Account:\s+(\d{12})/.exec(server.output())?.[1] ?? ''
  })
  afterAll(async () => {
    kms?.destroy()
    sm?.destroy()
    await server?.stop({ cleanup: true })
  })
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('server not started')
    return value
  }
  return {
    get server() {
      return need(server)
    },
    get kms() {
      return need(kms)
    },
    get sm() {
      return need(sm)
    },
    get accountId() {
      return accountId
    },
    get region() {
      return need(server).credentials.region
    },
  }
}

/**
 * Awaits `promise`, expects it to reject with the AWS error `code` (HTTP 400 unless `status`) and,
 * when given, exactly `message` (string) or a message matching it (RegExp).
 */
export async function expectKmsError(
  promise: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  status = 400,
): Promise<KMSServiceException> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok)
    throw new Error(`expected ${code}, but the call succeeded: ${JSON.stringify(outcome.value)}`)
  const e = outcome.error as KMSServiceException
  expect({ name: e.name, message: e.message }).toMatchObject({ name: code })
  expect(e.$metadata?.httpStatusCode).toBe(status)
  if (typeof message === 'string') expect(e.message).toBe(message)
  else if (message !== undefined) expect(e.message).toMatch(message)
  return e
}

export const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8')
export const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'))

export function uniqueAlias(prefix = 'test'): string {
  return `alias/${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** One raw, signed `TrentService.<operation>` call (the server's own validation, not the SDK's). */
export async function kmsRaw(
  server: TestServer,
  operation: string,
  body: unknown,
): Promise<RawResponse & { json: Record<string, unknown> | undefined }> {
  const raw = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  const res = await send(
    server.endpoint,
    await prepare(server, { target: `TrentService.${operation}`, body: raw, service: 'kms' }),
  )
  return res as RawResponse & { json: Record<string, unknown> | undefined }
}
