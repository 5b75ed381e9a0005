/**
 * KMS Decrypt and GenerateDataKey over HTTP: Coffer vs the bare node:http server (bare-server.ts)
 * answering with Coffer's own response bytes, in the same run. Requests are signed by the real JS SDK
 * v3 KMSClient and replayed by wrk, as in get-secret-value.ts (see README.md): server pinned to CPU 0,
 * wrk -t1 to CPU 1, warm-up, then bare and Coffer alternately per connection count.
 *
 *   node --import tsx bench/kms.ts [--duration 10s | --quick] [--rounds 1] [--connections 1,16,64]
 *   node --import tsx bench/kms.ts --profile   (Coffer under --cpu-prof at 64 connections, summarised)
 *
 * Validity: every Decrypt answer must be byte-identical to Coffer's first one; every GenerateDataKey
 * answer (a fresh random key each time) a 200 of exactly the same length.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms'
import type { HttpHandler, HttpRequest } from '@smithy/protocol-http'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startCoffer, type Coffer } from './lib/coffer.js'
import { summariseProfile } from './lib/cpuprofile.js'
import { comparisonRows, microseconds, type Cell, type TargetName } from './lib/measure.js'
import {
  cpuSeconds,
  eventLoopDemand,
  reapedChildrenCpuSeconds,
  startProcess,
  stopAll,
  stopAllOnSignals,
  stopProcess,
  waitForOutput,
  type Proc,
} from './lib/processes.js'
import { exchange } from './lib/raw-http.js'
import { machineNote, parseDuration, table } from './lib/report.js'
import { runWrk } from './lib/wrk.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10s' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    connections: { type: 'string', default: '1,16,64' },
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

type Command = DecryptCommand | GenerateDataKeyCommand

interface Scenario {
  readonly name: string
  readonly command: () => Command
  /** `exact`: the body must equal Coffer's; `length`: same length (random content). */
  readonly check: 'exact' | 'length'
}

class Captured extends Error {}

function client(coffer: Coffer, requestHandler: HttpHandler | { httpAgent: Agent }): KMSClient {
  const { credentials } = coffer
  return new KMSClient({
    endpoint: coffer.endpoint,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
    requestHandler,
  })
}

/** `count` requests exactly as the SDK sends them (its middleware and signature), as raw HTTP/1.1. */
async function signed(coffer: Coffer, command: () => Command, count: number): Promise<string[]> {
  let captured: HttpRequest | undefined
  const handler: HttpHandler = {
    handle: (request) => {
      captured = request
      return Promise.reject(new Captured())
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  }
  const kms = client(coffer, handler)
  const out: string[] = []
  try {
    for (let i = 0; i < count; i++) {
      const sent = await kms.send(command() as DecryptCommand).then(
        () => new Error('request escaped'),
        (e: unknown) => e,
      )
      if (!(sent instanceof Captured) || captured === undefined) throw sent
      const body = captured.body as string | Uint8Array
      const text = typeof body === 'string' ? body : Buffer.from(body).toString()
      const lines = [
        `${captured.method} ${captured.path} HTTP/1.1`,
        ...Object.entries(captured.headers).map(([k, v]) => `${k}: ${v}`),
        'Connection: keep-alive',
      ]
      out.push(`${lines.join('\r\n')}\r\n\r\n${text}`)
    }
  } finally {
    kms.destroy()
  }
  return out
}

function luaString(text: string): string {
  let out = '"'
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte)
    else out += `\\${byte.toString().padStart(3, '0')}`
  }
  return `${out}"`
}

/** Like lib/wrk.ts's script, with a length check for answers whose content is random. */
function writeScript(path: string, raw: readonly string[], expected: string, check: Scenario['check']): void {
  const ok = check === 'exact' ? 'body == expected' : '#body == #expected'
  writeFileSync(
    path,
    `
local requests = { ${raw.map(luaString).join(',\n  ')} }
local expected = ${luaString(expected)}
local count, i = #requests, 0
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) i = math.random(count) - 1 end
function request() i = i % count + 1; return requests[i] end
function response(status, headers, body)
  if status ~= 200 or not (${ok}) then
    if bad == 0 then io.stderr:write("unexpected response: ", status, " ", tostring(body), "\\n") end
    bad = bad + 1
  end
end
function done(summary, latency, _)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + t:get("bad") end
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), total_bad, e.connect + e.read + e.write + e.timeout))
end
`,
  )
}

async function startBare(
  workDir: string,
  name: string,
  answer: Awaited<ReturnType<typeof exchange>>,
): Promise<Proc & { port: number }> {
  const automatic = new Set(['date', 'connection', 'keep-alive', 'content-length'])
  const headers = Object.fromEntries(answer.headers.filter(([h]) => !automatic.has(h)))
  const file = join(workDir, `response-${name}.json`)
  writeFileSync(file, JSON.stringify({ headers, body: answer.body.toString('base64') }))
  const script = resolve(import.meta.dirname, 'bare-server.ts')
  const proc = startProcess(
    'bare',
    process.execPath,
    ['--import', 'tsx', script, '--response', file],
    SERVER_CPU,
  )
  const [, port = ''] = await waitForOutput(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/)
  return Object.assign(proc, { port: Number(port) })
}

async function measure(
  coffer: Coffer,
  workDir: string,
  scenario: Scenario,
  expected: string,
  target: { name: TargetName; port: number; pid: number },
  connections: number,
  runFor: string,
): Promise<Cell> {
  const script = join(workDir, `${scenario.name}-${target.name}.lua`)
  writeScript(script, await signed(coffer, scenario.command, SIGNED_REQUESTS), expected, scenario.check)
  const cpuBefore = cpuSeconds(target.pid)
  const loopBefore = eventLoopDemand(target.pid)
  const wrkBefore = reapedChildrenCpuSeconds()
  const from = microseconds()
  const result = await runWrk({
    url: `http://127.0.0.1:${target.port}/`,
    script,
    connections,
    duration: runFor,
    cpus: WRK_CPU,
  })
  const to = microseconds()
  const wall = (to - from) / 1e6
  const loop = eventLoopDemand(target.pid)
  return {
    result,
    cpuUsPerRequest: ((cpuSeconds(target.pid) - cpuBefore) * 1e6) / result.requests,
    demand: (loop.run + loop.wait - loopBefore.run - loopBefore.wait) / wall / loop.loops,
    wrkCpu: (reapedChildrenCpuSeconds() - wrkBefore) / wall,
    window: [from, to],
  }
}

async function compare(coffer: Coffer, workDir: string, scenario: Scenario): Promise<void> {
  const [probe] = await signed(coffer, scenario.command, 1)
  const answer = await exchange(coffer.port, probe ?? '')
  if (answer.status !== 200)
    throw new Error(`${scenario.name} answered ${answer.status}: ${answer.body.toString()}`)
  const expected = answer.body.toString('utf8')
  const bare = await startBare(workDir, scenario.name, answer)
  try {
    const targets = [
      { name: 'bare' as TargetName, port: bare.port, pid: bare.pid },
      { name: 'coffer' as TargetName, port: coffer.port, pid: coffer.proc.pid },
    ]
    for (const target of targets) await measure(coffer, workDir, scenario, expected, target, 16, warmup)
    const cells = new Map<string, Cell[]>()
    for (let round = 0; round < rounds; round++) {
      for (const connections of levels) {
        for (const target of targets) {
          const cell = await measure(coffer, workDir, scenario, expected, target, connections, duration)
          const key = `${target.name}/${connections}`
          cells.set(key, [...(cells.get(key) ?? []), cell])
          process.stderr.write(
            `  ${scenario.name} round ${round + 1}, ${target.name} c=${connections}: ${Math.round(cell.result.rps)} req/s\n`,
          )
        }
      }
    }
    console.log(
      `\n${scenario.name}: ${answer.bytes} response bytes; server on CPU ${SERVER_CPU}, wrk -t1 on CPU ${WRK_CPU}; ${duration} runs, median of ${rounds}`,
    )
    console.log(table(comparisonRows(cells, levels)))
  } finally {
    await stopProcess(bare)
  }
}

/** Coffer alone under `--cpu-prof` at 64 connections per scenario, then where its CPU went. */
async function profile(coffer: Coffer, workDir: string, scenarios: readonly Scenario[]): Promise<void> {
  const cells: [Scenario, Cell][] = []
  const target = { name: 'coffer' as TargetName, port: coffer.port, pid: coffer.proc.pid }
  for (const scenario of scenarios) {
    const [probe] = await signed(coffer, scenario.command, 1)
    const expected = (await exchange(coffer.port, probe ?? '')).body.toString('utf8')
    await measure(coffer, workDir, scenario, expected, target, 16, warmup)
    cells.push([scenario, await measure(coffer, workDir, scenario, expected, target, 64, duration)])
  }
  await coffer.stop()
  const dir = join(workDir, 'profile')
  const [file] = readdirSync(dir)
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)
  if (file === undefined) throw new Error('no profile written')
  for (const [scenario, cell] of cells) {
    console.log(`\n=== ${scenario.name} under --cpu-prof, c=64: ${Math.round(cell.result.rps)} req/s`)
    console.log(summariseProfile(file, { window: cell.window, cpuUsPerRequest: cell.cpuUsPerRequest }))
  }
}

async function main(workDir: string): Promise<void> {
  const nodeArgs = values.profile
    ? ['--cpu-prof', '--cpu-prof-dir', join(workDir, 'profile'), '--cpu-prof-interval', '250']
    : []
  const coffer = await startCoffer({ workers: 1, cpus: SERVER_CPU, nodeArgs })
  try {
    const kms = client(coffer, { httpAgent: new Agent({ keepAlive: true }) })
    const key = (await kms.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata?.KeyId ?? ''
    const context = { purpose: 'bench', tenant: 'acme' }
    const plaintext = new Uint8Array(32).fill(7)
    const blob = (
      await kms.send(new EncryptCommand({ KeyId: key, Plaintext: plaintext, EncryptionContext: context }))
    ).CiphertextBlob
    kms.destroy()
    const scenarios: Scenario[] = [
      {
        name: 'Decrypt',
        command: () => new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }),
        check: 'exact',
      },
      {
        name: 'GenerateDataKey',
        command: () =>
          new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256', EncryptionContext: context }),
        check: 'length',
      },
    ]
    if (values.profile) await profile(coffer, workDir, scenarios)
    else for (const scenario of scenarios) await compare(coffer, workDir, scenario)
  } finally {
    await coffer.stop()
  }
}

stopAllOnSignals()
const workDir = mkdtempSync(join(tmpdir(), 'coffer-bench-kms-'))
try {
  console.log(machineNote())
  await main(workDir)
  console.log(machineNote())
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await stopAll()
  rmSync(workDir, { recursive: true, force: true })
}
