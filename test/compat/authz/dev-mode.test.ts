import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { expectDenied, noPolicyAllows, policy, uniqueName, useAuthzServer } from './support.js'

const t = useAuthzServer({ args: ['--dev'] })
const GET = 'secretsmanager:GetSecretValue'

describe('dev mode', () => {
  it('accepts any credentials: an unknown key is the root of the default account', async () => {
    const anyone = { accessKeyId: 'AKIAANYTHING0000TEST', secretAccessKey: 'whatever' }
    const sm = secretsManagerClient(t.server, anyone)
    const sts = new STSClient({
      endpoint: t.server.endpoint,
      region: t.server.credentials.region,
      credentials: anyone,
      maxAttempts: 1,
    })
    try {
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: uniqueName('dev'), SecretString: 'v' }))
      expect((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString).toBe('v')
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
        `arn:aws:iam::${t.directory.accountId}:root`,
      )
    } finally {
      sm.destroy()
      sts.destroy()
    }
  })

  it('evaluates the policies of a configured principal, whatever secret key signed the request', async () => {
    const { ARN: arn = '' } = await t.admin.send(
      new CreateSecretCommand({ Name: uniqueName('dev'), SecretString: 'v' }),
    )
    const user = await t.directory.createUser(uniqueName('least'))
    const wrongSecret = secretsManagerClient(t.server, {
      accessKeyId: user.accessKeyId,
      secretAccessKey: 'not-it',
    })
    try {
      await expectDenied(
        wrongSecret.send(new GetSecretValueCommand({ SecretId: arn })),
        noPolicyAllows(user.arn, GET, arn),
      )
      await t.directory.putUserPolicy(user, 'read', policy({ Effect: 'Allow', Action: GET, Resource: arn }))
      await wrongSecret.send(new GetSecretValueCommand({ SecretId: arn }))
    } finally {
      wrongSecret.destroy()
    }
  })
})
