/**
 * SSM Parameter Store benchmarks, each against a baseline measured in the same run (see README.md):
 * 1. GetParameter throughput — a String and a SecureString (WithDecryption) parameter — over HTTP, Coffer
 *    vs a bare node:http server answering with Coffer's very bytes; SDK-signed requests replayed by wrk.
 * 2. GetParametersByPath over 10,000 parameters: the time to page through all of them (MaxResults 10,
 *    Recursive) with the SDK paginator, vs the same number of SDK round trips to the bare server and vs
 *    a raw better-sqlite3 keyset scan of the same rows.
 *
 *   node --import tsx bench/ssm.ts [--duration 10s | --quick] [--rounds 1] [--connections 16,64]
 *        [--parameters 10000]
 */
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startCoffer, type Coffer } from './lib/coffer.js'
import { comparisonRows, microseconds, type Cell } from './lib/measure.js'
import {
  cpuSeconds,
  eventLoopDemand,
  pin,
  reapedChildrenCpuSeconds,
  stopAll,
  stopAllOnSignals,
  stopProcess,
} from './lib/processes.js'
import { exchange } from './lib/raw-http.js'
import { fmt, machineNote, parseDuration, table } from './lib/report.js'
import { runWrk, writeReplayScript } from './lib/wrk.js'
import { startBare, type Bare } from './ssm/bare.js'
import { describeRun, fillTree, pageThrough, roundTrips, sqliteScan, TREE } from './ssm/by-path.js'
import { signedRequests, ssmClient } from './ssm/requests.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '16,64' },
    parameters: { type: 'string', default: '10000' },
  },
})
const duration = values.quick ? '3s' : values.duration
const warmup = values.quick ? '1s' : '3s'
if (parseDuration(duration) > 240) throw new Error('--duration must stay under the 5-minute signature window')
const rounds = Number(values.rounds)
const levels = values.connections.split(',').map(Number)
const PAGE = 10
/** The server under test on CPU 0, wrk and this process on CPU 1 (as in get-secret-value.ts). */
const SERVER_CPU = '0'
const WRK_CPU = '1'
const SIGNED = 8

/** A realistic configuration value, ~200 bytes of JSON (the GetSecretValue benchmark's size). */
const VALUE = JSON.stringify({
  host: 'orders-db.cluster-c9akciq32xyz.eu-west-1.rds.amazonaws.com',
  port: 5432,
  database: 'orders',
  pool: { min: 2, max: 20, idleMs: 30000 },
  features: ['payments-v2', 'fraud-check', 'audit-trail'],
})

interface Case {
  readonly name: string
  readonly command: () => GetParameterCommand
}

const CASES: readonly Case[] = [
  { name: 'String', command: () => new GetParameterCommand({ Name: '/bench/plain' }) },
  {
    name: 'SecureString',
    command: () => new GetParameterCommand({ Name: '/bench/secure', WithDecryption: true }),
  },
]

/** One wrk run against `port` (server process `pid`) replaying freshly signed requests. */
async function cell(
  coffer: Coffer,
  workDir: string,
  c: Case,
  port: number,
  pid: number,
  expected: string,
  connections: number,
  time: string,
): Promise<Cell> {
  const raw = await signedRequests(coffer.endpoint, coffer.credentials, c.command, SIGNED)
  const script = join(workDir, `replay-${c.name}-${port}.lua`)
  writeReplayScript(script, raw, expected)
  const cpuBefore = cpuSeconds(pid)
  const loopBefore = eventLoopDemand(pid)
  const wrkBefore = reapedChildrenCpuSeconds()
  const from = microseconds()
  const result = await runWrk({
    url: `http://127.0.0.1:${port}/`,
    script,
    connections,
    duration: time,
    cpus: WRK_CPU,
  })
  const to = microseconds()
  const wall = (to - from) / 1e6
  const loop = eventLoopDemand(pid)
  return {
    result,
    cpuUsPerRequest: ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.requests,
    demand: (loop.run + loop.wait - loopBefore.run - loopBefore.wait) / wall / loop.loops,
    wrkCpu: (reapedChildrenCpuSeconds() - wrkBefore) / wall,
    window: [from, to],
  }
}

async function getParameter(coffer: Coffer, workDir: string): Promise<void> {
  const client = ssmClient(coffer.endpoint, coffer.credentials)
  await client.send(new PutParameterCommand({ Name: '/bench/plain', Value: VALUE, Type: 'String' }))
  await client.send(new PutParameterCommand({ Name: '/bench/secure', Value: VALUE, Type: 'SecureString' }))
  client.destroy()
  for (const c of CASES) {
    const [probe] = await signedRequests(coffer.endpoint, coffer.credentials, c.command, 1)
    const answer = await exchange(coffer.port, probe as string)
    if (answer.status !== 200)
      throw new Error(`GetParameter ${c.name}: ${answer.status} ${answer.body.toString()}`)
    const expected = answer.body.toString('utf8')
    const bare = await startBare(workDir, c.name, answer, SERVER_CPU)
    try {
      const targets = [
        { name: 'bare' as const, port: bare.port, pid: bare.pid },
        { name: 'coffer' as const, port: coffer.port, pid: coffer.proc.pid },
      ]
      for (const t of targets) await cell(coffer, workDir, c, t.port, t.pid, expected, 16, warmup)
      const cells = new Map<string, Cell[]>()
      for (let round = 0; round < rounds; round++) {
        for (const connections of levels) {
          for (const t of targets) {
            const measured = await cell(coffer, workDir, c, t.port, t.pid, expected, connections, duration)
            cells.set(`${t.name}/${connections}`, [
              ...(cells.get(`${t.name}/${connections}`) ?? []),
              measured,
            ])
            process.stderr.write(
              `  ${c.name} ${t.name} c=${connections}: ${fmt.int(measured.result.rps)} req/s\n`,
            )
          }
        }
      }
      console.log(
        `\nGetParameter, ${c.name} (${answer.bytes} bytes on the wire), server on CPU ${SERVER_CPU}, wrk on CPU ${WRK_CPU}; ${duration} runs, median of ${rounds}`,
      )
      console.log(table(comparisonRows(cells, levels)))
    } finally {
      await stopProcess(bare)
    }
  }
}

async function byPath(coffer: Coffer, workDir: string): Promise<void> {
  const count = Number(values.parameters)
  // The SDK client (this process) on the client's CPU, as wrk is for the throughput runs.
  pin(process.pid, WRK_CPU)
  const client = ssmClient(coffer.endpoint, coffer.credentials)
  let bare: Bare | undefined
  try {
    const fillMs = await fillTree(client, count)
    process.stderr.write(`  filled ${count} parameters in ${(fillMs / 1000).toFixed(1)} s\n`)
    await pageThrough(client, PAGE) // warm-up
    const runs = []
    for (let round = 0; round < Math.max(rounds, 2); round++) {
      const cofferRun = await pageThrough(client, PAGE)
      if (cofferRun.items !== count)
        throw new Error(`paged through ${cofferRun.items} of ${count} parameters`)
      runs.push(cofferRun)
    }
    const coffer1 = runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] ?? runs[0]!
    const [probe] = await signedRequests(
      coffer.endpoint,
      coffer.credentials,
      () => new GetParametersByPathCommand({ Path: TREE, Recursive: true, MaxResults: PAGE }),
      1,
    )
    bare = await startBare(workDir, 'by-path', await exchange(coffer.port, probe as string), SERVER_CPU)
    const bareClient = ssmClient(`http://127.0.0.1:${bare.port}`, coffer.credentials)
    await roundTrips(bareClient, 100, PAGE)
    const floor = await roundTrips(bareClient, coffer1.pages, PAGE)
    bareClient.destroy()
    // Storage runs on the server's CPU, like the server; this process then goes back to the client's.
    pin(process.pid, SERVER_CPU)
    const scan = sqliteScan(coffer.dataDir, PAGE)
    pin(process.pid, WRK_CPU)
    console.log(
      `\nGetParametersByPath over ${count} parameters (${TREE}, Recursive, MaxResults ${PAGE}), SDK paginator, sequential pages; median of ${runs.length}`,
    )
    const rows = [['target', 'pages', 'items', 'total ms', 'p50 ms/page', 'p99 ms/page', 'Coffer ÷ this']]
    rows.push(['coffer', ...describeRun(coffer1), ''])
    rows.push([
      'bare server (same SDK, same page bytes)',
      ...describeRun(floor),
      fmt.ratio(coffer1.ms / floor.ms),
    ])
    rows.push(['raw SQLite keyset scan (same rows)', ...describeRun(scan), fmt.ratio(coffer1.ms / scan.ms)])
    console.log(table(rows))
    console.log(
      `fill: ${count} PutParameter at 16 concurrent SDK callers in ${(fillMs / 1000).toFixed(1)} s (${fmt.int(count / (fillMs / 1000))}/s)`,
    )
  } finally {
    client.destroy()
    if (bare !== undefined) await stopProcess(bare)
  }
}

stopAllOnSignals()
const workDir = mkdtempSync(join(tmpdir(), 'coffer-bench-ssm-'))
let coffer: Coffer | undefined
try {
  console.log(machineNote())
  coffer = await startCoffer({ workers: 1, cpus: SERVER_CPU })
  await getParameter(coffer, workDir)
  await byPath(coffer, workDir)
  console.log(machineNote())
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await coffer?.stop()
  await stopAll()
  rmSync(workDir, { recursive: true, force: true })
}
