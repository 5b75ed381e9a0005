/**
 * Writes through the real HTTP API: CreateSecret/s and PutSecretValue/s (SigV4-signed requests over
 * keep-alive connections) at several concurrencies, against the storage limit measured in the same
 * run: raw better-sqlite3 transactions/s with Coffer's pragmas (see README.md).
 *
 *   node --import tsx bench/write-throughput.ts [--duration 10s | --quick] [--connections 1,16]
 *        [--dir DIR] [--sdk] [--profile]
 */
import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { closedLoop, type Phase } from './lib/closed-loop.js'
import { startCoffer, type Coffer } from './lib/coffer.js'
import { summariseProfile } from './lib/cpuprofile.js'
import { pin, stopAll, stopAllOnSignals } from './lib/processes.js'
import { fmt, machineNote, parseDuration, percentile, table } from './lib/report.js'
import { sdkClient } from './lib/sign.js'
import { SignedJsonClient } from './lib/signed-client.js'
import { sqliteBaseline, type BaselineResult } from './lib/sqlite-baseline.js'
import { SECRET_VALUE } from './lib/targets.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    connections: { type: 'string', default: '1,16' },
    dir: { type: 'string', default: tmpdir() },
    sdk: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
})
const seconds = parseDuration(values.quick ? '3s' : values.duration)
const levels = values.connections.split(',').map(Number)
/** Coffer (and the SQLite baseline) on CPU 0; this process, the client, on CPU 1. */
const SERVER_CPU = '0'
const CLIENT_CPU = '1'
/** AWS allows ~100 deprecated versions per secret per 24 h: stay well below on every secret. */
const MAX_PUTS_PER_SECRET = 50

type Write = (op: 'CreateSecret' | 'PutSecretValue', input: Record<string, string>) => Promise<unknown>

/** The lean signed client by default; with --sdk the full JS SDK client (whose CPU cost then shows). */
function writer(coffer: Coffer): { call: Write; close: () => void } {
  if (values.sdk) {
    const client = sdkClient(coffer.endpoint, coffer.credentials)
    const call: Write = (op, input) =>
      op === 'CreateSecret'
        ? client.send(new CreateSecretCommand(input as { Name: string }))
        : client.send(new PutSecretValueCommand(input as { SecretId: string }))
    return { call, close: () => client.destroy() }
  }
  const client = new SignedJsonClient(coffer.endpoint, coffer.credentials)
  return { call: (op, input) => client.call(op, input), close: () => client.close() }
}

async function api(profileDir: string | undefined): Promise<Phase[]> {
  const nodeArgs =
    profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '250']
  const coffer = await startCoffer({ cpus: SERVER_CPU, parentDir: values.dir, nodeArgs })
  const client = writer(coffer)
  const phases: Phase[] = []
  const run = async (operation: string, connections: number, op: (n: number) => Promise<unknown>) => {
    const phase = await closedLoop(operation, connections, seconds, coffer.proc.pid, op)
    process.stderr.write(`  ${operation} c=${connections}: ${fmt.int(phase.ops / phase.seconds)}/s\n`)
    phases.push(phase)
  }
  try {
    const names: string[] = []
    for (const connections of levels) {
      await run('CreateSecret', connections, (n) => {
        const name = `bench/write/c${connections}/${n}`
        names.push(name)
        return client.call('CreateSecret', {
          Name: name,
          SecretString: SECRET_VALUE,
          ClientRequestToken: randomUUID(),
        })
      })
    }
    // Round-robin over every secret created above, so each gets only a few new versions.
    let puts = 0
    for (const connections of levels) {
      await run('PutSecretValue', connections, () => {
        if (puts >= names.length * MAX_PUTS_PER_SECRET) throw new Error('too few secrets for this many puts')
        const name = names[puts++ % names.length] as string
        return client.call('PutSecretValue', {
          SecretId: name,
          SecretString: SECRET_VALUE,
          ClientRequestToken: randomUUID(),
        })
      })
    }
  } finally {
    client.close()
    await coffer.stop()
  }
  return phases
}

/** Runs on the server's CPU, like the server; this process goes back to the client's CPU afterwards. */
function baseline(): BaselineResult {
  pin(process.pid, SERVER_CPU)
  try {
    return sqliteBaseline(values.dir, seconds, SECRET_VALUE)
  } finally {
    pin(process.pid, CLIENT_CPU)
  }
}

function report(phases: readonly Phase[], before: BaselineResult, after: BaselineResult): void {
  const limit = (before.perSecond + after.perSecond) / 2
  const sqliteCpuMs =
    ((before.cpuSeconds + after.cpuSeconds) / (before.transactions + after.transactions)) * 1000
  const client = values.sdk ? 'JS SDK client' : 'signed node:http client'
  console.log(
    `\nWrites through the HTTP API: Coffer on CPU ${SERVER_CPU}, ${client} on CPU ${CLIENT_CPU}; ${seconds}s phases`,
  )
  console.log(
    `storage limit: raw better-sqlite3, one ~200-byte row per transaction, WAL + synchronous=FULL, in ${values.dir}:`,
  )
  console.log(
    `  ${fmt.int(before.perSecond)} tx/s before, ${fmt.int(after.perSecond)} after: mean ${fmt.int(limit)} tx/s`,
  )
  console.log(
    `  (${sqliteCpuMs.toFixed(3)} ms of CPU per transaction; the rest of each transaction is waiting for fsync)\n`,
  )
  const rows = [
    [
      'operation',
      'conns',
      'ops/s',
      'p50 ms',
      'p99 ms',
      'srv cpu',
      'srv cpu ms/op',
      'client cpu',
      'vs sqlite',
    ],
  ]
  for (const p of phases) {
    const perSecond = p.ops / p.seconds
    rows.push([
      p.operation,
      String(p.connections),
      fmt.int(perSecond),
      fmt.ms(percentile(p.latenciesMs, 0.5)),
      fmt.ms(percentile(p.latenciesMs, 0.99)),
      fmt.pct(p.serverCpu),
      (p.serverCpu / perSecond / 1e-3).toFixed(2),
      fmt.pct(p.clientCpu),
      fmt.ratio(perSecond / limit),
    ])
  }
  console.log(table(rows))
}

/** Where the server's time went during the phases at the highest concurrency. */
function profileReport(profileDir: string, phases: readonly Phase[]): void {
  const [file] = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))
  if (file === undefined) throw new Error(`no profile in ${profileDir}`)
  const top = Math.max(...levels)
  for (const p of phases.filter((phase) => phase.connections === top)) {
    const cpuUsPerRequest = ((p.serverCpu * p.seconds) / p.ops) * 1e6
    console.log(
      `\n=== Coffer under --cpu-prof: ${p.operation} c=${p.connections}, ${fmt.int(p.ops / p.seconds)}/s`,
    )
    console.log(summariseProfile(join(profileDir, file), { window: p.window, cpuUsPerRequest, top: 20 }))
  }
}

stopAllOnSignals()
const profileDir = values.profile ? mkdtempSync(join(tmpdir(), 'coffer-bench-prof-')) : undefined
try {
  console.log(machineNote())
  // Before and after the API phases: the disk's fsync rate drifts on a shared machine.
  const before = baseline()
  process.stderr.write(`  sqlite baseline: ${fmt.int(before.perSecond)} tx/s\n`)
  const phases = await api(profileDir)
  const after = baseline()
  process.stderr.write(`  sqlite baseline: ${fmt.int(after.perSecond)} tx/s\n`)
  report(phases, before, after)
  if (profileDir !== undefined) profileReport(profileDir, phases)
  console.log(machineNote())
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await stopAll()
  if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true })
}
