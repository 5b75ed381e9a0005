/** Runs wrk with a Lua script that replays raw pre-signed requests and checks every response. */
import { writeFileSync } from 'node:fs'
import { startProcess, stopProcess } from './processes.js'

export interface WrkResult {
  readonly requests: number
  readonly seconds: number
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Responses that were not `200` with exactly the expected body. */
  readonly bad: number
  readonly socketErrors: number
}

export interface WrkRun {
  readonly url: string
  readonly script: string
  readonly connections: number
  /** wrk duration, e.g. "10s". */
  readonly duration: string
  /** taskset CPU list for wrk; unpinned if absent. */
  readonly cpus?: string
}

/**
 * Writes the Lua script: `request()` rotates among the raw requests, `response()` counts anything but
 * a 200 carrying `expectedBody`, and `done()` prints one machine-readable line (latencies in µs).
 */
export function writeReplayScript(path: string, rawRequests: readonly string[], expectedBody: string): void {
  const lua = `
local requests = { ${rawRequests.map(luaString).join(',\n  ')} }
local expected = ${luaString(expectedBody)}
local count, i = #requests, 0
bad = 0
local threads = {}

function setup(thread) table.insert(threads, thread) end
function init(args) i = math.random(count) - 1 end
function request() i = i % count + 1; return requests[i] end
function response(status, headers, body)
  if status ~= 200 or body ~= expected then
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
`
  writeFileSync(path, lua)
}

export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = [
    '-t1',
    `-c${run.connections}`,
    `-d${run.duration}`,
    '--latency',
    '--timeout',
    '10s',
    '-s',
    run.script,
    run.url,
  ]
  const proc = startProcess('wrk', 'wrk', args, run.cpus)
  try {
    await proc.exited
  } finally {
    await stopProcess(proc)
  }
  const match = /BENCH_RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(proc.output())
  if (proc.child.exitCode !== 0 || match === null)
    throw new Error(`wrk failed (${proc.child.exitCode}):\n${proc.output()}`)
  const [requests, durationUs, p50Us, p99Us, bad, socketErrors] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (bad > 0 || socketErrors > 0 || requests === 0) {
    throw new Error(
      `${run.url} -c${run.connections}: ${bad} bad response(s), ${socketErrors} socket error(s) in ${requests} requests — ` +
        `a benchmark of errors is worthless:\n${proc.output()}`,
    )
  }
  const seconds = durationUs / 1e6
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: p50Us / 1000,
    p99Ms: p99Us / 1000,
    bad,
    socketErrors,
  }
}

/** A double-quoted Lua string literal (CR/LF and all control bytes escaped: long brackets would turn CRLF into LF). */
function luaString(text: string): string {
  let out = '"'
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte)
    else out += `\\${byte.toString().padStart(3, '0')}`
  }
  return `${out}"`
}
