/**
 * GetSecretValue over HTTP: Coffer vs a bare node:http server sending the same response bytes.
 * Requests are signed by the real JS SDK v3 and replayed by wrk (see README.md).
 *
 *   node --import tsx bench/get-secret-value.ts [--duration 10s | --quick] [--rounds 1]
 *        [--connections 1,16,64] [--cluster-connections 64] [--no-cluster] [--profile]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { summariseProfile } from './lib/cpuprofile.js'
import { comparisonRows, measure, type Cell, type TargetName } from './lib/measure.js'
import { stopAll, stopAllOnSignals, stopProcess } from './lib/processes.js'
import { fmt, machineNote, parseDuration, table } from './lib/report.js'
import { startPair, type Pair } from './lib/targets.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '1,16,64' },
    'cluster-connections': { type: 'string', default: '64' },
    'no-cluster': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
})
const duration = values.quick ? '3s' : values.duration
const warmup = values.quick ? '1s' : '3s'
if (parseDuration(duration) > 240)
  throw new Error('--duration must stay under the 5-minute signature window (max 4m)')
const rounds = Number(values.rounds)
/** Single-process runs: the server under test on CPU 0, wrk on CPU 1. */
const SERVER_CPU = '0'
const WRK_CPU = '1'

function targets(pair: Pair) {
  return [
    { name: 'bare' as TargetName, port: pair.bare.port, pid: pair.bare.pid },
    { name: 'coffer' as TargetName, port: pair.coffer.port, pid: pair.coffer.proc.pid },
  ]
}

/** Warms both servers up, then runs them alternately (drift on a noisy machine hits both alike). */
async function compare(
  pair: Pair,
  workDir: string,
  levels: readonly number[],
  wrkCpus?: string,
): Promise<string> {
  for (const target of targets(pair))
    await measure(pair, workDir, target, { connections: 16, duration: warmup, wrkCpus })
  const cells = new Map<string, Cell[]>()
  for (let round = 0; round < rounds; round++) {
    for (const connections of levels) {
      for (const target of targets(pair)) {
        const cell = await measure(pair, workDir, target, { connections, duration, wrkCpus })
        cells.set(`${target.name}/${connections}`, [
          ...(cells.get(`${target.name}/${connections}`) ?? []),
          cell,
        ])
        process.stderr.write(
          `  round ${round + 1}, ${target.name} c=${connections}: ${fmt.int(cell.result.rps)} req/s\n`,
        )
      }
    }
  }
  return table(comparisonRows(cells, levels))
}

async function singleProcess(workDir: string): Promise<void> {
  const pair = await startPair(workDir, { workers: 1, cpus: SERVER_CPU })
  try {
    console.log(
      `response: ${pair.wireBytes.coffer} bytes from Coffer, ${pair.wireBytes.bare} from bare (headers included)`,
    )
    const result = await compare(pair, workDir, values.connections.split(',').map(Number), WRK_CPU)
    console.log(
      `\nOne process: server pinned to CPU ${SERVER_CPU}, wrk -t1 to CPU ${WRK_CPU}; ${duration} runs, median of ${rounds}`,
    )
    console.log(`${result}\ngoal: req/s ratio >= 0.25×\n`)
  } finally {
    await Promise.all([pair.coffer.stop(), stopProcess(pair.bare)])
  }
}

async function cluster(workDir: string): Promise<void> {
  const pair = await startPair(workDir, { workers: 2 })
  try {
    const result = await compare(pair, workDir, values['cluster-connections'].split(',').map(Number))
    console.log(
      `\nnode:cluster with 2 workers: servers and wrk -t1 unpinned; ${duration} runs, median of ${rounds}`,
    )
    console.log(`${result}\ngoal: req/s ratio >= 0.3×\n`)
  } finally {
    await Promise.all([pair.coffer.stop(), stopProcess(pair.bare)])
  }
}

/** Both servers under `--cpu-prof` at 64 connections, then where each spent its CPU during its run. */
async function profile(workDir: string): Promise<void> {
  const profileDir = join(workDir, 'profile')
  const pair = await startPair(workDir, { workers: 1, cpus: SERVER_CPU, cpuProfileDir: profileDir })
  const cells = new Map<TargetName, Cell>()
  try {
    for (const target of targets(pair)) {
      await measure(pair, workDir, target, { connections: 16, duration: warmup, wrkCpus: WRK_CPU })
      cells.set(
        target.name,
        await measure(pair, workDir, target, { connections: 64, duration, wrkCpus: WRK_CPU }),
      )
    }
  } finally {
    await Promise.all([pair.coffer.stop(), stopProcess(pair.bare)])
  }
  for (const [name, cell] of cells) {
    const dir = join(profileDir, name)
    // The main thread's profile is the largest (tsx's loader thread writes a small one too).
    const [file] = readdirSync(dir)
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)
    if (file === undefined) throw new Error(`no profile written to ${dir}`)
    const options = { window: cell.window, cpuUsPerRequest: cell.cpuUsPerRequest }
    console.log(
      `\n=== ${name} under --cpu-prof, c=64: ${fmt.int(cell.result.rps)} req/s (profiling slows it down)`,
    )
    console.log(summariseProfile(file, name === 'bare' ? { ...options, top: 12 } : options))
  }
}

stopAllOnSignals()
const workDir = mkdtempSync(join(tmpdir(), 'coffer-bench-gsv-'))
try {
  console.log(machineNote())
  if (values.profile) await profile(workDir)
  else {
    await singleProcess(workDir)
    if (!values['no-cluster']) await cluster(workDir)
  }
  console.log(machineNote())
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await stopAll()
  rmSync(workDir, { recursive: true, force: true })
}
