import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer } from '../../support/server.js'
import { token, uniqueName } from '../sdk/support.js'
import { finished, functionArn, rotateUntilKilled, startRotationServer, waitForStatus } from './support.js'

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const
const POINTS = [
  ...STEPS.flatMap((step) => [`rotation:before-step:${step}`, `rotation:after-step:${step}`]),
  'rotation:recorded:createSecret',
  'rotation:recorded:finishSecret',
]

/**
 * The server kills itself (SIGKILL, via COFFER_FAULT) at a step boundary of a rotation; restarted on the
 * same data directory, the rotation finishes: an attempt cut short is recorded as interrupted and run
 * again. Never two AWSCURRENT; the AWSCURRENT value is readable and is the rotation's.
 */
describe.concurrent('a rotation survives SIGKILL at every step boundary', () => {
  for (const point of POINTS) {
    it(point, async () => {
      const first = await startRotationServer({ env: { COFFER_FAULT: point } })
      const dataDir = first.dataDir
      let sm = secretsManagerClient(first)
      const name = uniqueName('crash')
      const versionId = token()
      try {
        await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"before"}' }))
        await rotateUntilKilled(first, sm, {
          SecretId: name,
          ClientRequestToken: versionId,
          RotationLambdaARN: functionArn(first),
        })
      } finally {
        sm.destroy()
        await first.kill()
      }

      const second = await startServer({ dataDir, args: ['--config', configOf(first.process.spawnargs)] })
      sm = secretsManagerClient(second)
      try {
        const status = await waitForStatus(dataDir, name, finished)
        const run = status.runs[0]
        expect(run?.state).toBe('succeeded')
        const interrupted = run?.steps.filter((s) => s.outcome === 'interrupted') ?? []
        const cutShort = !point.startsWith('rotation:recorded:')
        expect(interrupted.length).toBe(cutShort ? 1 : 0)
        if (cutShort) expect(interrupted[0]?.step).toBe(point.split(':')[2])
        expect(run?.steps.every((s) => s.outcome !== undefined)).toBe(true)

        const described = await sm.send(new DescribeSecretCommand({ SecretId: name }))
        const holders = Object.entries(described.VersionIdsToStages ?? {}).filter(([, stages]) =>
          stages.includes('AWSCURRENT'),
        )
        expect(holders.map(([id]) => id)).toEqual([versionId])
        const value = await sm.send(new GetSecretValueCommand({ SecretId: name }))
        expect(value.VersionId).toBe(versionId)
        expect((JSON.parse(value.SecretString ?? '{}') as { password: string }).password).toHaveLength(32)
      } finally {
        sm.destroy()
        await second.stop({ cleanup: true })
      }
    })
  }
})

function configOf(args: readonly string[]): string {
  const at = args.indexOf('--config')
  const path = args[at + 1]
  if (at < 0 || path === undefined) throw new Error('no --config in the server arguments')
  return path
}
