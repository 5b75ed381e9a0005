/**
 * GetSecretValue with the audit trail on (the default: database device, fail-closed, group commit)
 * versus off, in the same run: two Coffers, each holding the same secret, measured alternately by wrk
 * replaying JS SDK-signed requests (see README.md). Goal: req/s ratio on/off >= 0.8.
 * `--read-events` adds a third Coffer, audit on, with a rule in state
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS sending every GetSecretValue event to a webhook served
 * by this process: what opting into read events costs (every read appends an event, which is delivered).
 *
 *   node --import tsx bench/audit.ts [--duration 10s | --quick] [--rounds 1] [--connections 1,16,64]
 *     [--read-events]
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startCoffer, type Coffer } from './lib/coffer.js'
import { measure, type Cell } from './lib/measure.js'
import { stopAll, stopAllOnSignals } from './lib/processes.js'
import { exchange } from './lib/raw-http.js'
import { fmt, machineNote, median, parseDuration, table } from './lib/report.js'
import { sdkClient, signedGetSecretValue } from './lib/sign.js'
import { SECRET_ID, SECRET_VALUE } from './lib/targets.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '1,16,64' },
    'read-events': { type: 'boolean', default: false },
  },
})
const duration = values.quick ? '3s' : values.duration
const warmup = values.quick ? '1s' : '3s'
if (parseDuration(duration) > 240) throw new Error('--duration must stay under the 5-minute signature window')
const rounds = Number(values.rounds)
const SERVER_CPU = '0'
const WRK_CPU = '1'

interface Target {
  readonly name: 'audit on' | 'audit off' | 'read events'
  readonly coffer: Coffer
  readonly expectedBody: string
}

async function prepare(name: Target['name'], coffer: Coffer): Promise<Target> {
  const client = sdkClient(coffer.endpoint, coffer.credentials)
  try {
    await client.send(new CreateSecretCommand({ Name: SECRET_ID, SecretString: SECRET_VALUE }))
  } finally {
    client.destroy()
  }
  const [raw] = await signedGetSecretValue(coffer.endpoint, coffer.credentials, SECRET_ID, 1)
  const answer = await exchange(coffer.port, raw as string)
  if (answer.status !== 200) throw new Error(`GetSecretValue answered ${answer.status}`)
  return { name, coffer, expectedBody: answer.body.toString('utf8') }
}

async function run(workDir: string): Promise<void> {
  const offConfig = join(workDir, 'audit-off.json')
  writeFileSync(offConfig, JSON.stringify({ audit: { enabled: false } }))
  const targets = [
    await prepare('audit on', await startCoffer({ workers: 1, cpus: SERVER_CPU })),
    await prepare(
      'audit off',
      await startCoffer({ workers: 1, cpus: SERVER_CPU, args: ['--config', offConfig] }),
    ),
  ]
  if (values['read-events']) targets.push(await prepare('read events', await readEventsCoffer(workDir)))
  const levels = values.connections.split(',').map(Number)
  const cell = (t: Target, connections: number, d: string) =>
    measure(
      t,
      workDir,
      { name: t.name.replace(' ', '-'), port: t.coffer.port, pid: t.coffer.proc.pid },
      {
        connections,
        duration: d,
        wrkCpus: WRK_CPU,
      },
    )
  for (const t of targets) await cell(t, 16, warmup)
  const cells = new Map<string, Cell[]>()
  for (let round = 0; round < rounds; round++) {
    for (const connections of levels) {
      for (const t of targets) {
        const c = await cell(t, connections, duration)
        cells.set(`${t.name}/${connections}`, [...(cells.get(`${t.name}/${connections}`) ?? []), c])
        process.stderr.write(
          `  round ${round + 1}, ${t.name} c=${connections}: ${fmt.int(c.result.rps)} req/s\n`,
        )
      }
    }
  }
  const rows = [['conns', 'audit', 'req/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'req/s / audit off']]
  for (const connections of levels) {
    const stat = (name: string, pick: (c: Cell) => number) =>
      median((cells.get(`${name}/${connections}`) ?? []).map(pick))
    for (const t of targets) {
      rows.push([
        String(connections),
        t.name,
        fmt.int(stat(t.name, (c) => c.result.rps)),
        fmt.ms(stat(t.name, (c) => c.result.p50Ms)),
        fmt.ms(stat(t.name, (c) => c.result.p99Ms)),
        fmt.int(stat(t.name, (c) => c.cpuUsPerRequest)),
        t.name === 'audit off'
          ? ''
          : fmt.ratio(stat(t.name, (c) => c.result.rps) / stat('audit off', (c) => c.result.rps)),
      ])
    }
  }
  console.log(
    `\nGetSecretValue, one process pinned to CPU ${SERVER_CPU}, wrk -t1 on CPU ${WRK_CPU}; ${duration} runs, median of ${rounds}`,
  )
  console.log(`${table(rows)}\ngoal: req/s ratio on/off >= 0.8×\n`)
  if (values['read-events']) console.log(`read events delivered to the webhook: ${fmt.int(delivered)}\n`)
  await Promise.all(targets.map((t) => t.coffer.stop()))
}

let delivered = 0
const receiver = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    delivered++
    res.writeHead(204).end()
  })
})

/** Audit on, and a rule wanting GetSecretValue events, delivered to `receiver`. */
async function readEventsCoffer(workDir: string): Promise<Coffer> {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  writeFileSync(join(workDir, 'hook.key'), 'k'.repeat(32))
  const config = join(workDir, 'read-events.json')
  writeFileSync(
    config,
    JSON.stringify({
      events: {
        destinations: [{ name: 'hook', url, signingKeyFile: join(workDir, 'hook.key') }],
        rules: [
          {
            name: 'reads',
            state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
            eventPattern: { source: ['aws.secretsmanager'], detail: { eventName: ['GetSecretValue'] } },
            targets: [{ id: 'hook', destination: 'hook' }],
          },
        ],
      },
    }),
  )
  return startCoffer({ workers: 1, cpus: SERVER_CPU, args: ['--config', config] })
}

stopAllOnSignals()
const workDir = mkdtempSync(join(tmpdir(), 'coffer-bench-audit-'))
try {
  console.log(machineNote())
  await run(workDir)
  console.log(machineNote())
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  receiver.close()
  await stopAll()
  rmSync(workDir, { recursive: true, force: true })
}
