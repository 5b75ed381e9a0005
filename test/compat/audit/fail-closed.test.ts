import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms'
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { auditDatabasePath, openReadWrite } from '../../support/db-snapshot.js'
import { uniqueName, type TestServer } from '../../support/server.js'
import { coffer, startAuditServer, storedRecords } from './support.js'

const BREAK = `CREATE TRIGGER audit_broken BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'audit device broken'); END`
const REPAIR = 'DROP TRIGGER audit_broken'

function onDatabase(server: TestServer, sql: string): void {
  const db = openReadWrite(server.dataDir, auditDatabasePath(server.dataDir))
  try {
    db.exec(sql)
  } finally {
    db.close()
  }
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.httpStatusCode !== undefined && { status: e.$metadata.httpStatusCode }),
    }
  }
  throw new Error('the call succeeded')
}

const client = <C>(Client: new (config: object) => C, server: TestServer): C =>
  new Client({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: server.credentials,
    maxAttempts: 1,
  })

describe('audit fails closed', () => {
  let server: TestServer
  let sm: SecretsManagerClient
  const name = uniqueName('fail-closed')

  beforeAll(async () => {
    server = await startAuditServer({ devices: ['database', 'file'] })
    sm = secretsManagerClient(server)
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'first' }))
  })
  afterAll(async () => {
    sm?.destroy()
    await server?.stop({ cleanup: true })
  })

  it('answers with the service internal error when the record cannot be written; the change itself stays', async () => {
    const recordsBefore = storedRecords(server.dataDir).length
    const fileBefore = readFileSync(join(server.dataDir, 'audit/audit.jsonl'), 'utf8')
    onDatabase(server, BREAK)
    try {
      expect(
        await failure(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'second' }))),
      ).toEqual({
        name: 'InternalServiceError',
        status: 500,
        message: 'An internal error occurred.',
      })
      expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: name })))).toMatchObject({
        name: 'InternalServiceError',
        status: 500,
      })
      const kms = client(KMSClient, server)
      expect(await failure(kms.send(new ListKeysCommand({})))).toMatchObject({
        name: 'KMSInternalException',
        status: 500,
      })
      kms.destroy()
      const sts = client(STSClient, server)
      expect(await failure(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ status: 500 })
      sts.destroy()
    } finally {
      onDatabase(server, REPAIR)
    }
    // Nothing reached either device: the failed batches were rolled back and cut from the file.
    expect(storedRecords(server.dataDir)).toHaveLength(recordsBefore)
    expect(readFileSync(join(server.dataDir, 'audit/audit.jsonl'), 'utf8')).toBe(fileBefore)
    // The write committed before its record failed (docs/audit.md, "Fail-closed"): it is there.
    const read = await sm.send(new GetSecretValueCommand({ SecretId: name }))
    expect(read.SecretString).toBe('second')
    const records = storedRecords(server.dataDir)
    expect(records.at(-1)).toMatchObject({ eventName: 'GetSecretValue', requestID: read.$metadata.requestId })
    expect(coffer(['audit', 'verify', '--data-dir', server.dataDir]).code).toBe(0)
  })
})

describe('audit with failClosed: false', () => {
  let server: TestServer
  let sm: SecretsManagerClient
  beforeAll(async () => {
    server = await startAuditServer({ failClosed: false })
    sm = secretsManagerClient(server)
  })
  afterAll(async () => {
    sm?.destroy()
    await server?.stop({ cleanup: true })
  })

  it('answers requests whose record could not be written, and logs the failure', async () => {
    onDatabase(server, BREAK)
    try {
      const created = await sm.send(new CreateSecretCommand({ Name: uniqueName('open'), SecretString: 'v' }))
      expect(created.ARN).toMatch(/^arn:aws:secretsmanager:/)
    } finally {
      onDatabase(server, REPAIR)
    }
    await expect.poll(() => server.output()).toMatch(/audit record not written/)
    expect(server.output()).not.toMatch(/"v"/)
  })
})

describe('audit durability', () => {
  it('keeps the record of every answered request through kill -9, in the database and the file', async () => {
    const server = await startAuditServer({ devices: ['database', 'file'] })
    const sm = secretsManagerClient(server)
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          sm.send(new CreateSecretCommand({ Name: uniqueName(`durable-${i}`), SecretString: 'v' })),
        ),
      )
      await server.kill()
      const ids = new Set(storedRecords(server.dataDir).map((r) => r.requestID))
      for (const answer of answers) expect(ids.has(answer.$metadata.requestId ?? '')).toBe(true)
      const lines = readFileSync(join(server.dataDir, 'audit/audit.jsonl'), 'utf8').split('\n')
      expect(lines.filter((l) => l.startsWith('{"seq"'))).toHaveLength(ids.size)
      const run = coffer(['audit', 'verify', '--data-dir', server.dataDir])
      expect(run.code, run.stdout).toBe(0)
    } finally {
      sm.destroy()
      await server.stop({ cleanup: true })
    }
  })
})
