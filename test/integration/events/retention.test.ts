/**
 * Outbox retention (`events.retentionDays`): the background job deletes delivered events once older
 * than the retention (the server's clock moved ahead through the dev-mode offset file), keeps the rest,
 * and a stream resuming from a purged event's id carries on with the events after it.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { openReadOnly } from '../../support/db-snapshot.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'
import { secretEventsTo, startReceiver, subscribe, type Receiver } from '../../compat/events/support.js'

const DAY = 86_400_000
let server: TestServer | undefined
let hook: Receiver | undefined

afterAll(async () => {
  await server?.stop({ cleanup: true })
  await hook?.close()
})

function outboxSeqs(dataDir: string): number[] {
  const db = openReadOnly(dataDir)
  try {
    return db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[]
  } finally {
    db.close()
  }
}

it('deletes delivered events past the retention, and streams resume across the gap', async () => {
  hook = await startReceiver()
  const dir = mkdtempSync(join(tmpdir(), 'coffer-retention-'))
  const clockFile = join(dir, 'clock')
  writeFileSync(clockFile, '0')
  writeFileSync(
    join(dir, 'coffer.json'),
    JSON.stringify({ purgeIntervalSeconds: 1, ...secretEventsTo(hook, { retentionDays: 1 }) }),
  )
  server = await startServer({
    args: ['--dev', '--config', join(dir, 'coffer.json')],
    env: { COFFER_DEV_CLOCK_FILE: clockFile },
  })
  const sm = secretsManagerClient(server)
  try {
    await sm.send(new CreateSecretCommand({ Name: uniqueName('old'), SecretString: 'v' }))
    await hook.waitFor((r) => r.some((x) => x.outcome === 'ok'))
    const [old] = outboxSeqs(server.dataDir)
    expect(old).toBeDefined()

    // Half the retention later: kept.
    writeFileSync(clockFile, String(DAY / 2))
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(outboxSeqs(server.dataDir)).toContain(old)

    // Two days later: gone at the job's next run; a new event gets a later seq.
    writeFileSync(clockFile, String(2 * DAY))
    const deadline = Date.now() + 20_000
    while (outboxSeqs(server.dataDir).includes(old ?? -1) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200))
    expect(outboxSeqs(server.dataDir)).not.toContain(old)
    const stream = await subscribe(server, { lastEventId: String(old) })
    try {
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: uniqueName('new'), SecretString: 'v' }))
      await stream.waitFor((events) =>
        events.some(
          (e) => (e.data['detail'] as { responseElements?: { arn?: string } }).responseElements?.arn === ARN,
        ),
      )
      expect(Number(stream.events[0]?.id)).toBeGreaterThan(old ?? Infinity)
      expect(outboxSeqs(server.dataDir).every((seq) => seq > (old ?? Infinity))).toBe(true)
    } finally {
      stream.close()
    }
  } finally {
    sm.destroy()
  }
}, 60_000)
