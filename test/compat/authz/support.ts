/**
 * Authorization tests drive a real server with real IAM users, keys and policies (written by the
 * `Directory`), and compare AccessDenied messages with AWS's texts.
 */
import { SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, expect } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, type StartOptions, type TestServer } from '../../support/server.js'
import { Directory } from './directory.js'

export { expectAwsError, token, uniqueName } from '../sdk/support.js'
export { Directory, OTHER_ACCOUNT, policy, type PolicyDocument, type TestUser } from './directory.js'

export interface AuthzHandle {
  readonly server: TestServer
  /** The administrator's Secrets Manager client. */
  readonly admin: SecretsManagerClient
  readonly directory: Directory
}

/** One server per test file, with a `Directory` on its database. */
export function useAuthzServer(options: StartOptions = {}): AuthzHandle {
  let server: TestServer | undefined
  let admin: SecretsManagerClient | undefined
  let directory: Directory | undefined
  beforeAll(async () => {
    server = await startServer(options)
    admin = secretsManagerClient(server)
    directory = new Directory(server)
  })
  afterAll(async () => {
    directory?.close()
    admin?.destroy()
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
    get admin() {
      return need(admin)
    },
    get directory() {
      return need(directory)
    },
  }
}

/** AWS's implicit-deny text. */
export function noPolicyAllows(
  caller: string,
  action: string,
  resource: string,
  kind:
    | 'identity-based policy'
    | 'resource-based policy'
    | 'permissions boundary'
    | 'session policy' = 'identity-based policy',
): string {
  const on = resource === '*' ? '' : ` on resource: ${resource}`
  return `User: ${caller} is not authorized to perform: ${action}${on} because no ${kind} allows the ${action} action`
}

/** AWS's explicit-deny text. */
export function explicitDeny(
  caller: string,
  action: string,
  resource: string,
  where:
    | 'an identity-based policy'
    | 'a resource-based policy'
    | 'a permissions boundary'
    | 'a session policy' = 'an identity-based policy',
): string {
  const on = resource === '*' ? '' : ` on resource: ${resource}`
  return `User: ${caller} is not authorized to perform: ${action}${on} with an explicit deny in ${where}`
}

/** Expects AccessDeniedException (400) with exactly `message`. */
export async function expectDenied(promise: Promise<unknown>, message: string): Promise<void> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(outcome, 'the call was allowed').toBeInstanceOf(SecretsManagerServiceException)
  const e = outcome as SecretsManagerServiceException
  expect({ name: e.name, message: e.message, status: e.$metadata.httpStatusCode }).toEqual({
    name: 'AccessDeniedException',
    message,
    status: 400,
  })
}

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>`: the resource of a secret that doesn't exist. */
export function unresolvedArn(
  handle: AuthzHandle,
  name: string,
  accountId = handle.directory.accountId,
): string {
  return `arn:aws:secretsmanager:${handle.server.credentials.region}:${accountId}:secret:${name}`
}
