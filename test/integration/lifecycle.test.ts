import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager'
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../support/clients.js'
import { startServer, uniqueName } from '../support/server.js'

describe('first start and restarts', () => {
  it('initialises the deployment once: root key, administrator, credentials file in AWS CLI format', async () => {
    const server = await startServer({ args: ['--account-id', '123456789012', '--region', 'eu-central-1'] })
    try {
      expect(server.output()).toContain(
        `Credentials:  ${server.credentialsPath} (administrator, written now)`,
      )
      expect(server.output()).toContain('Region:       eu-central-1')
      expect(server.output()).toContain('Account:      123456789012')
      const text = readFileSync(server.credentialsPath, 'utf8')
      expect(text).toMatch(
        /^\[default\]\naws_access_key_id = AKIA[A-Z0-9]{16}\naws_secret_access_key = \S{40}\nregion = eu-central-1\n$/,
      )
      expect(statSync(server.credentialsPath).mode & 0o777).toBe(0o600)
      expect(statSync(join(server.dataDir, 'root.key')).mode & 0o777).toBe(0o600)
      const created = await secretsManagerClient(server).send(
        new CreateSecretCommand({ Name: uniqueName(), SecretString: 'x' }),
      )
      expect(created.ARN).toContain(':eu-central-1:123456789012:secret:')
      await server.stop()
      const again = await startServer({
        dataDir: server.dataDir,
        args: ['--account-id', '999999999999', '--region', 'eu-central-1'],
      })
      try {
        expect(again.output()).not.toContain('written now')
        expect(readFileSync(server.credentialsPath, 'utf8')).toBe(text)
        expect(again.output()).toContain('Account:      123456789012')
      } finally {
        await again.stop()
      }
    } finally {
      await server.stop({ cleanup: true })
    }
  })

  it('purges a secret in the background once its recovery window has ended', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'coffer-purge-')), 'coffer.yaml')
    writeFileSync(config, 'purgeIntervalSeconds: 1\n')
    const server = await startServer({ args: ['--config', config] })
    try {
      const client = secretsManagerClient(server)
      const name = uniqueName('purge')
      const kept = uniqueName('kept')
      await client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }))
      await client.send(new CreateSecretCommand({ Name: kept, SecretString: 'y' }))
      await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }))
      await client.send(new DeleteSecretCommand({ SecretId: kept, RecoveryWindowInDays: 7 }))
      // The window ends: move this secret's deletion date into the past, as time would.
      const db = new Database(join(server.dataDir, 'coffer.db'))
      db.pragma('busy_timeout = 5000')
      db.prepare('UPDATE secrets SET deletion_date = ? WHERE name = ?').run(Date.now() - 1000, name)
      db.close()
      const deadline = Date.now() + 10_000
      for (;;) {
        const gone = await client.send(new DescribeSecretCommand({ SecretId: name })).then(
          () => false,
          (error: unknown) => error instanceof ResourceNotFoundException,
        )
        if (gone) break
        if (Date.now() > deadline) throw new Error('secret was not purged within 10 s')
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      const survivor = await client.send(new DescribeSecretCommand({ SecretId: kept }))
      expect(survivor.DeletedDate).toBeInstanceOf(Date)
    } finally {
      await server.stop({ cleanup: true })
    }
  })
})
