/**
 * Shared helpers of the SSM compatibility suite: one real server per test file with JS SDK clients
 * (SSM, Secrets Manager, KMS), error assertions, and raw signed `AmazonSSM.*` calls for what the SDK
 * hides (empty messages, `[]` members).
 */
import { KMSClient } from '@aws-sdk/client-kms'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { SSMClient, SSMServiceException } from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, expect } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { awsError, prepare, send, type RawResponse } from '../../support/signed-http.js'

export interface SsmHandle {
  readonly server: TestServer
  readonly ssm: SSMClient
  readonly sm: SecretsManagerClient
  readonly kms: KMSClient
  readonly accountId: string
  readonly region: string
}

function clientConfig(server: TestServer) {
  return {
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: {
      accessKeyId: server.credentials.accessKeyId,
      secretAccessKey: server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  }
}

/** Starts one server for the calling test file; the returned getters are valid inside tests. */
export function useSsmServer(): SsmHandle {
  let handle: SsmHandle | undefined
  beforeAll(async () => {
    const server = await startServer()
    const ssm = new SSMClient(clientConfig(server))
    const sm = new SecretsManagerClient(clientConfig(server))
    const kms = new KMSClient(clientConfig(server))
    const probe = await rawSsm(server, 'DescribeParameters', {})
    if (probe.status !== 200) throw new Error(`SSM is not served: ${probe.status} ${probe.text}`)
    const accountId = await accountOf(sm)
    handle = { server, ssm, sm, kms, accountId, region: server.credentials.region }
  })
  afterAll(async () => {
    handle?.ssm.destroy()
    handle?.sm.destroy()
    handle?.kms.destroy()
    await handle?.server.stop({ cleanup: true })
  })
  const get = (): SsmHandle => {
    if (handle === undefined) throw new Error('server not started')
    return handle
  }
  return {
    get server() {
      return get().server
    },
    get ssm() {
      return get().ssm
    },
    get sm() {
      return get().sm
    },
    get kms() {
      return get().kms
    },
    get accountId() {
      return get().accountId
    },
    get region() {
      return get().region
    },
  }
}

/** The deployment's account, read from a secret's ARN (no STS dependency). */
async function accountOf(sm: SecretsManagerClient): Promise<string> {
  const { CreateSecretCommand, DeleteSecretCommand } = await import('@aws-sdk/client-secrets-manager')
  const name = uniqueName('account-probe')
  const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }))
  await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }))
  return ARN?.split(':')[4] ?? ''
}

/** A name no other test uses: `<prefix>-<time>-<random>` (letters, digits, `-` only). */
export function uniqueName(prefix = 'p'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** A hierarchical parameter name under its own root: `/<prefix>-…/<rest>`. */
export function uniquePath(prefix = 't'): string {
  return `/${uniqueName(prefix)}`
}

/**
 * Awaits `promise`, expects the SSM error `code` (HTTP `status`, 400 by default) and, when given, the
 * exact message or a pattern. The JS SDK shows an empty message as `UnknownError`.
 */
export async function expectSsmError(
  promise: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  status = 400,
): Promise<SSMServiceException> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok)
    throw new Error(`expected ${code}, but the call succeeded: ${JSON.stringify(outcome.value)}`)
  const error = outcome.error as SSMServiceException
  expect({ name: error.name, message: error.message }).toMatchObject({ name: code })
  expect(error).toBeInstanceOf(SSMServiceException)
  expect(error.$metadata.httpStatusCode).toBe(status)
  if (typeof message === 'string') expect(error.message).toBe(message)
  else if (message !== undefined) expect(error.message).toMatch(message)
  return error
}

/** One `AmazonSSM.<op>` request signed for the `ssm` service with the server's admin credentials. */
export async function rawSsm(server: TestServer, op: string, body: unknown): Promise<RawResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body)
  return send(
    server.endpoint,
    await prepare(server, { target: `AmazonSSM.${op}`, body: payload, service: 'ssm' }),
  )
}

export { awsError }
