/**
 * A PostgreSQL single-user rotation, with the server killed (SIGKILL via COFFER_FAULT) at every step
 * boundary: right after the crash, the database password is the AWSCURRENT or the AWSPENDING value (read
 * by a server whose scheduler is off, so nothing moves while we look); restarted, the rotation finishes
 * and the database password is the new AWSCURRENT value, held by exactly one version.
 */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startPostgres, type PostgresServer } from '../../support/postgres.js'
import { startServer } from '../../support/server.js'
import { token, uniqueName } from '../sdk/support.js'
import { finished, functionArn, rotateUntilKilled, startRotationServer, waitForStatus } from './support.js'

const POINTS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].flatMap((step) => [
  `rotation:before-step:${step}`,
  `rotation:after-step:${step}`,
])

let db: PostgresServer

beforeAll(async () => {
  db = await startPostgres()
}, 60_000)
afterAll(async () => {
  await db?.stop()
})

async function valueOf(sm: SecretsManagerClient, name: string, stage: string): Promise<string | undefined> {
  try {
    const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: stage }))
    return (JSON.parse(SecretString ?? '{}') as { password?: string }).password
  } catch {
    return undefined
  }
}

describe.concurrent('a database rotation killed at every step boundary', () => {
  POINTS.forEach((point, i) => {
    it(
      point,
      async () => {
        const user = `crash_${i}`
        const admin = await db.connect()
        try {
          await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD 'initial-password'`)
        } finally {
          await admin.end()
        }
        const first = await startRotationServer({ env: { COFFER_FAULT: point } })
        const dataDir = first.dataDir
        const name = uniqueName('pg-crash')
        const versionId = token()
        let sm = secretsManagerClient(first)
        try {
          await sm.send(
            new CreateSecretCommand({
              Name: name,
              SecretString: JSON.stringify({
                engine: 'postgres',
                host: db.host,
                port: db.port,
                username: user,
                password: 'initial-password',
                dbname: db.database,
              }),
            }),
          )
          await rotateUntilKilled(first, sm, {
            SecretId: name,
            ClientRequestToken: versionId,
            RotationLambdaARN: functionArn(first, 'coffer-postgres-single-user'),
          })
        } finally {
          sm.destroy()
          await first.kill()
        }

        // Look without letting the rotation go on.
        const still = join(dataDir, 'no-scheduler.json')
        writeFileSync(still, JSON.stringify({ rotation: { scheduler: false } }))
        const inspector = await startServer({ dataDir, args: ['--config', still] })
        sm = secretsManagerClient(inspector)
        try {
          const current = await valueOf(sm, name, 'AWSCURRENT')
          const pending = await valueOf(sm, name, 'AWSPENDING')
          const candidates = [current, pending].filter((p): p is string => p !== undefined)
          const works = await Promise.all(candidates.map((password) => db.canLogIn({ user, password })))
          expect(works.some(Boolean), `the database password is neither AWSCURRENT nor AWSPENDING`).toBe(true)
        } finally {
          sm.destroy()
          await inspector.stop()
        }

        const second = await startRotationServer({ dataDir })
        sm = secretsManagerClient(second)
        try {
          const status = await waitForStatus(dataDir, name, finished)
          expect(status.runs[0]?.state).toBe('succeeded')
          const described = await sm.send(new DescribeSecretCommand({ SecretId: name }))
          const holders = Object.entries(described.VersionIdsToStages ?? {}).filter(([, stages]) =>
            stages.includes('AWSCURRENT'),
          )
          expect(holders.map(([id]) => id)).toEqual([versionId])
          const password = (await valueOf(sm, name, 'AWSCURRENT')) ?? ''
          expect(password).not.toBe('initial-password')
          expect(await db.canLogIn({ user, password })).toBe(true)
          expect(await db.canLogIn({ user, password: 'initial-password' })).toBe(false)
        } finally {
          sm.destroy()
          await second.stop({ cleanup: true })
        }
      },
      90_000,
    )
  })
})
