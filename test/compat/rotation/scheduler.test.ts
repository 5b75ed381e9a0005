import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import type { TestServer } from '../../support/server.js'
import { uniqueName } from '../sdk/support.js'
import { finished, functionArn, startRotationServer, waitForStatus, type RunView } from './support.js'

const HOUR = 3_600_000

/**
 * Time is moved with the dev-mode clock file (docs/rotation.md): two server processes share one data
 * directory and one clock; the secret's window comes; exactly one rotation runs, inside the window.
 */
it('runs a scheduled rotation inside its window, once, with two nodes on one data directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-clock-'))
  const clockFile = join(dir, 'offset')
  writeFileSync(clockFile, '0')
  const env = { COFFER_DEV_CLOCK_FILE: clockFile }
  const servers: TestServer[] = []
  try {
    servers.push(await startRotationServer({ args: ['--dev'], env }))
    const dataDir = servers[0]?.dataDir ?? ''
    servers.push(await startRotationServer({ dataDir, args: ['--dev'], env }))
    const [a, b] = servers as [TestServer, TestServer]
    const sm = secretsManagerClient(a)
    const name = uniqueName('sched')
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'initial' }))
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: functionArn(a),
        RotationRules: { ScheduleExpression: 'rate(4 hours)' },
        RotateImmediately: false,
      }),
    )
    await waitForStatus(dataDir, name, finished)
    const scheduled = await sm.send(new DescribeSecretCommand({ SecretId: name }))
    // rate(4 hours): one-hour windows opening at 00:00, 04:00, … UTC, the first at least four hours after
    // the start of the hour rotation was configured in; NextRotationDate is the window's last second.
    const windowEnd = (scheduled.NextRotationDate?.getTime() ?? 0) + 1000
    const windowStart = windowEnd - HOUR
    expect(new Date(windowStart).getUTCHours() % 4).toBe(0)
    expect(windowStart - Date.now()).toBeGreaterThan(3 * HOUR)
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('initial')

    // Just before the window ends: whatever point of it the rotation was due at has passed.
    writeFileSync(clockFile, String(windowEnd - 2000 - Date.now()))
    await waitForStatus(dataDir, name, (s) => s.runs.length >= 2 && finished(s))
    // A little longer: a second scheduler would start its own run now.
    await new Promise((r) => setTimeout(r, 1000))
    const settled = await waitForStatus(dataDir, name, finished)
    expect(settled.runs).toHaveLength(2)
    const run = settled.runs[0] as RunView & { startedAt: number }
    expect(run.trigger).toBe('scheduled')
    expect(run.state).toBe('succeeded')
    expect(run.startedAt).toBeGreaterThanOrEqual(windowStart)
    expect(run.startedAt).toBeLessThanOrEqual(windowEnd)

    const described = await secretsManagerClient(b).send(new DescribeSecretCommand({ SecretId: name }))
    expect(described.LastRotatedDate?.getTime()).toBeGreaterThanOrEqual(windowStart)
    expect(described.NextRotationDate?.getTime()).toBeGreaterThan(windowEnd + 3 * HOUR)
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(2)
    const value = await sm.send(new GetSecretValueCommand({ SecretId: name }))
    expect(value.SecretString).not.toBe('initial')
    expect(value.VersionId).toBe(run.versionId)
    sm.destroy()
  } finally {
    for (const server of servers.reverse()) await server.stop()
    rmSync(servers[0]?.dataDir ?? dir, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  }
})
