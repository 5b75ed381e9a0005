/**
 * What policy evaluation costs on the read path: GetSecretValue throughput, same server, same run,
 * for (a) the administrator (AdministratorAccess: one `Allow * *`) and (b) a least-privilege user
 * whose policies hold 20 statements with conditions (bench/lib/bench-policies.ts) and end up
 * allowing the read. Requests are signed by the real JS SDK and replayed by wrk, alternately, so
 * drift on the machine hits both alike. Goal: (b) at least 0.9× (a).
 *
 *   node --import tsx bench/policy-get-secret-value.ts [--duration 10s | --quick] [--rounds 3]
 *        [--connections 16,64] [--profile]
 *
 * `--profile` runs both under `--cpu-prof` (64 connections) and summarises each run's window.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Directory } from '../test/compat/authz/directory.js'
import { BENCH_SECRET_TAGS, BENCH_USER_TAGS, INLINE_POLICY, MANAGED_POLICY } from './lib/bench-policies.js'
import { startCoffer, type Coffer, type Credentials } from './lib/coffer.js'
import { summariseProfile } from './lib/cpuprofile.js'
import { cpuSeconds, stopAll, stopAllOnSignals } from './lib/processes.js'
import { exchange } from './lib/raw-http.js'
import { fmt, machineNote, median, parseDuration, table } from './lib/report.js'
import { sdkClient, signedGetSecretValue } from './lib/sign.js'
import { SECRET_ID, SECRET_VALUE } from './lib/targets.js'
import { runWrk, writeReplayScript, type WrkResult } from './lib/wrk.js'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16,64' },
    profile: { type: 'boolean', default: false },
  },
})
const duration = values.quick ? '3s' : values.duration
const warmup = values.quick ? '1s' : '3s'
if (parseDuration(duration) > 240) throw new Error('--duration must stay under the 5-minute signature window')
const rounds = Number(values.rounds)
const levels = values.connections.split(',').map(Number)
const SERVER_CPU = '0'
const WRK_CPU = '1'
const SIGNED_REQUESTS = 8

type Who = 'admin' | 'policy user'

interface Run {
  readonly result: WrkResult
  readonly cpuUsPerRequest: number
  readonly window: readonly [number, number]
}

const microseconds = () => Number(process.hrtime.bigint() / 1000n)

/** The secret, the least-privilege user, and the answer both must get. */
async function prepare(coffer: Coffer): Promise<{ user: Credentials; expectedBody: string }> {
  const admin = sdkClient(coffer.endpoint, coffer.credentials)
  try {
    await admin.send(
      new CreateSecretCommand({ Name: SECRET_ID, SecretString: SECRET_VALUE, Tags: BENCH_SECRET_TAGS }),
    )
  } finally {
    admin.destroy()
  }
  const directory = new Directory(coffer)
  let user: Credentials
  try {
    const created = await directory.createUser('bench-user', {
      tags: BENCH_USER_TAGS,
      inline: [INLINE_POLICY],
    })
    await directory.attachUserPolicy(created, await directory.createPolicy('bench-reader', MANAGED_POLICY))
    user = {
      accessKeyId: created.accessKeyId,
      secretAccessKey: created.secretAccessKey,
      region: coffer.credentials.region,
    }
  } finally {
    directory.close()
  }
  const answers = []
  for (const credentials of [coffer.credentials, user]) {
    const [raw] = await signedGetSecretValue(coffer.endpoint, credentials, SECRET_ID, 1)
    const answer = await exchange(coffer.port, raw as string)
    if (answer.status !== 200)
      throw new Error(`GetSecretValue answered ${answer.status}: ${answer.body.toString()}`)
    answers.push(answer.body.toString('utf8'))
  }
  if (answers[0] !== answers[1]) throw new Error('the two principals got different answers')
  return { user, expectedBody: answers[0] ?? '' }
}

async function measure(
  coffer: Coffer,
  workDir: string,
  credentials: Credentials,
  expectedBody: string,
  connections: number,
  runFor: string,
): Promise<Run> {
  const raw = await signedGetSecretValue(coffer.endpoint, credentials, SECRET_ID, SIGNED_REQUESTS)
  const script = join(workDir, 'replay.lua')
  writeReplayScript(script, raw, expectedBody)
  const cpuBefore = cpuSeconds(coffer.proc.pid)
  const from = microseconds()
  const result = await runWrk({
    url: `http://127.0.0.1:${coffer.port}/`,
    script,
    connections,
    duration: runFor,
    cpus: WRK_CPU,
  })
  const to = microseconds()
  return {
    result,
    cpuUsPerRequest: ((cpuSeconds(coffer.proc.pid) - cpuBefore) * 1e6) / result.requests,
    window: [from, to],
  }
}

async function compare(workDir: string): Promise<void> {
  const coffer = await startCoffer({ workers: 1, cpus: SERVER_CPU, parentDir: workDir })
  try {
    const { user, expectedBody } = await prepare(coffer)
    const who: Record<Who, Credentials> = { admin: coffer.credentials, 'policy user': user }
    for (const name of Object.keys(who) as Who[])
      await measure(coffer, workDir, who[name], expectedBody, 16, warmup)
    const runs = new Map<string, Run[]>()
    for (let round = 0; round < rounds; round++) {
      for (const connections of levels) {
        for (const name of Object.keys(who) as Who[]) {
          const run = await measure(coffer, workDir, who[name], expectedBody, connections, duration)
          runs.set(`${name}/${connections}`, [...(runs.get(`${name}/${connections}`) ?? []), run])
          process.stderr.write(
            `  round ${round + 1}, ${name} c=${connections}: ${fmt.int(run.result.rps)} req/s\n`,
          )
        }
      }
    }
    const rows = [
      ['conns', 'principal', 'req/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'req/s ratio', 'cpu/req ratio'],
    ]
    for (const connections of levels) {
      const stat = (name: Who, pick: (run: Run) => number) =>
        median((runs.get(`${name}/${connections}`) ?? []).map(pick))
      for (const name of ['admin', 'policy user'] as const) {
        const rps = stat(name, (r) => r.result.rps)
        rows.push([
          String(connections),
          name,
          fmt.int(rps),
          fmt.ms(stat(name, (r) => r.result.p50Ms)),
          fmt.ms(stat(name, (r) => r.result.p99Ms)),
          fmt.int(stat(name, (r) => r.cpuUsPerRequest)),
          name === 'admin' ? '' : fmt.ratio(rps / stat('admin', (r) => r.result.rps)),
          name === 'admin'
            ? ''
            : fmt.ratio(stat('admin', (r) => r.cpuUsPerRequest) / stat(name, (r) => r.cpuUsPerRequest)),
        ])
      }
    }
    console.log(
      `\nServer pinned to CPU ${SERVER_CPU}, wrk -t1 to CPU ${WRK_CPU}; ${duration} runs, median of ${rounds}`,
    )
    console.log(`${table(rows)}\ngoal: policy user / admin req/s ratio >= 0.9×`)
    console.log(
      '(cpu/req ratio: admin CPU per request ÷ policy user CPU per request, steadier on a busy machine)\n',
    )
  } finally {
    await coffer.stop()
  }
}

/** Both principals under --cpu-prof at 64 connections, one server, and where its CPU went in each run. */
async function profile(workDir: string): Promise<void> {
  const profileDir = join(workDir, 'profile')
  const coffer = await startCoffer({
    workers: 1,
    cpus: SERVER_CPU,
    parentDir: workDir,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '250'],
  })
  const runs = new Map<Who, Run>()
  try {
    const { user, expectedBody } = await prepare(coffer)
    const who: Record<Who, Credentials> = { admin: coffer.credentials, 'policy user': user }
    for (const name of Object.keys(who) as Who[]) {
      await measure(coffer, workDir, who[name], expectedBody, 16, warmup)
      runs.set(name, await measure(coffer, workDir, who[name], expectedBody, 64, duration))
    }
  } finally {
    await coffer.stop()
  }
  const [file] = readdirSync(profileDir)
    .map((f) => join(profileDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)
  if (file === undefined) throw new Error(`no profile written to ${profileDir}`)
  for (const [name, run] of runs) {
    console.log(`\n=== ${name} under --cpu-prof, c=64: ${fmt.int(run.result.rps)} req/s`)
    console.log(summariseProfile(file, { window: run.window, cpuUsPerRequest: run.cpuUsPerRequest, top: 40 }))
  }
}

stopAllOnSignals()
const workDir = mkdtempSync(join(tmpdir(), 'coffer-bench-policy-'))
try {
  console.log(machineNote())
  await (values.profile ? profile(workDir) : compare(workDir))
  console.log(machineNote())
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await stopAll()
  rmSync(workDir, { recursive: true, force: true })
}
