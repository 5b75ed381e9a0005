import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam'
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { Agent } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { iamClient, iamName } from './support.js'

/**
 * A deactivated or deleted access key is refused at once by every server process. Two cluster workers
 * share the database; each caches resolved keys. Every request opens a new connection, so the cluster's
 * round-robin scheduler spreads consecutive requests over both workers, and both have the key cached
 * as active before it changes.
 */

const INVALID_TOKEN = 'The security token included in the request is invalid.'
const noKeepAlive = () => ({ httpAgent: new Agent({ keepAlive: false }) })

let server: TestServer

beforeAll(async () => {
  server = await startServer({ args: ['--workers', '2'] })
})

afterAll(async () => {
  await server?.stop({ cleanup: true })
})

function clients(credentials: { accessKeyId: string; secretAccessKey: string }) {
  const common = { endpoint: server.endpoint, region: server.credentials.region, credentials, maxAttempts: 1 }
  return {
    sts: new STSClient({ ...common, requestHandler: noKeepAlive() }),
    secrets: new SecretsManagerClient({ ...common, requestHandler: noKeepAlive() }),
  }
}

/** `n` consecutive GetCallerIdentity calls: the ARN each returned, or the error code and message. */
async function callerIdentities(sts: STSClient, n: number): Promise<string[]> {
  const outcomes: string[] = []
  for (let i = 0; i < n; i++) {
    outcomes.push(
      await sts.send(new GetCallerIdentityCommand({})).then(
        (identity) => identity.Arn ?? '',
        (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
          `${error.name} ${error.$metadata?.httpStatusCode}: ${error.message}`,
      ),
    )
  }
  return outcomes
}

describe('access keys across cluster workers', () => {
  it('refuses a deactivated key on every request at once, accepts it again when reactivated, and refuses it deleted', async () => {
    const admin = iamClient(server, undefined, noKeepAlive())
    const name = iamName('workers')
    const { User } = await admin.send(new CreateUserCommand({ UserName: name }))
    const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: name }))
    const accessKeyId = AccessKey?.AccessKeyId ?? ''
    const { sts, secrets } = clients({ accessKeyId, secretAccessKey: AccessKey?.SecretAccessKey ?? '' })
    try {
      const arn = User?.Arn ?? ''
      expect(await callerIdentities(sts, 10)).toEqual(Array(10).fill(arn))

      await admin.send(
        new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: accessKeyId, Status: 'Inactive' }),
      )
      expect(await callerIdentities(sts, 20)).toEqual(
        Array(20).fill(`InvalidClientTokenId 403: ${INVALID_TOKEN}`),
      )
      for (let i = 0; i < 2; i++) {
        await expect(secrets.send(new ListSecretsCommand({}))).rejects.toMatchObject({
          name: 'UnrecognizedClientException',
          message: INVALID_TOKEN,
        })
      }

      await admin.send(
        new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: accessKeyId, Status: 'Active' }),
      )
      expect(await callerIdentities(sts, 10)).toEqual(Array(10).fill(arn))

      await admin.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: accessKeyId }))
      expect(await callerIdentities(sts, 10)).toEqual(
        Array(10).fill(`InvalidClientTokenId 403: ${INVALID_TOKEN}`),
      )
    } finally {
      sts.destroy()
      secrets.destroy()
      admin.destroy()
    }
  })
})
