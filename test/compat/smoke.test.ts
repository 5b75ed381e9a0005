import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../support/clients.js'
import { startServer, uniqueName, type TestServer } from '../support/server.js'

describe('smoke: the JS SDK against a real server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server.stop({ cleanup: true })
  })

  it('creates and reads a secret, and the value survives a restart', async () => {
    const name = uniqueName('smoke')
    const client = secretsManagerClient(server)
    const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'hunter2' }))
    expect(created.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-[A-Za-z0-9]{6}$`),
    )
    await server.stop()
    server = await startServer({ dataDir: server.dataDir })
    const read = await secretsManagerClient(server).send(new GetSecretValueCommand({ SecretId: name }))
    expect(read.SecretString).toBe('hunter2')
    expect(read.VersionStages).toEqual(['AWSCURRENT'])
    expect(read.CreatedDate).toBeInstanceOf(Date)
  })
})
