/** One wrk run against one server, with the server's CPU use and saturation alongside wrk's figures. */
import { join } from 'node:path'
import { cpuSeconds, eventLoopDemand, reapedChildrenCpuSeconds } from './processes.js'
import { fmt, median } from './report.js'
import { signedGetSecretValue } from './sign.js'
import { SECRET_ID, type Pair } from './targets.js'
import { runWrk, writeReplayScript, type WrkResult } from './wrk.js'

export type TargetName = 'bare' | 'coffer'

export interface Cell {
  readonly result: WrkResult
  /** Server CPU (all threads, all processes) per request, µs. */
  readonly cpuUsPerRequest: number
  /** Share of the run the server's event loop(s) had work (running or waiting for a CPU). */
  readonly demand: number
  /** wrk's CPU per second of the run. */
  readonly wrkCpu: number
  /** When wrk ran, µs on the monotonic clock (the one CPU profiles use). */
  readonly window: readonly [number, number]
}

export const microseconds = () => Number(process.hrtime.bigint() / 1000n)

/** How many differently signed requests wrk rotates among. */
const SIGNED_REQUESTS = 8

/**
 * Signs fresh requests right before each run (signatures stay valid for the server's 5-minute skew
 * window) and runs wrk with them against `port`; `pid` is the server process (a cluster's primary).
 */
export async function measure(
  pair: Pick<Pair, 'coffer' | 'expectedBody'>,
  workDir: string,
  target: { name: string; port: number; pid: number },
  run: { connections: number; duration: string; wrkCpus?: string | undefined },
): Promise<Cell> {
  const raw = await signedGetSecretValue(
    pair.coffer.endpoint,
    pair.coffer.credentials,
    SECRET_ID,
    SIGNED_REQUESTS,
  )
  const script = join(workDir, `replay-${target.name}.lua`)
  writeReplayScript(script, raw, pair.expectedBody)
  const cpuBefore = cpuSeconds(target.pid)
  const loopBefore = eventLoopDemand(target.pid)
  const wrkBefore = reapedChildrenCpuSeconds()
  const from = microseconds()
  const result = await runWrk({
    url: `http://127.0.0.1:${target.port}/`,
    script,
    connections: run.connections,
    duration: run.duration,
    ...(run.wrkCpus !== undefined && { cpus: run.wrkCpus }),
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

/** Table rows: one per (connections, server), medians over rounds; Coffer rows carry the ratios to bare. */
export function comparisonRows(
  cells: ReadonlyMap<string, readonly Cell[]>,
  levels: readonly number[],
): string[][] {
  const rows = [
    [
      'conns',
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'cpu µs/req',
      'loop busy',
      'wrk cpu',
      'req/s ratio',
      'cpu/req ratio',
    ],
  ]
  for (const connections of levels) {
    const stat = (name: TargetName, pick: (cell: Cell) => number) =>
      median((cells.get(`${name}/${connections}`) ?? []).map(pick))
    for (const name of ['bare', 'coffer'] as const) {
      const rps = stat(name, (c) => c.result.rps)
      const cpu = stat(name, (c) => c.cpuUsPerRequest)
      rows.push([
        String(connections),
        name,
        fmt.int(rps),
        fmt.ms(stat(name, (c) => c.result.p50Ms)),
        fmt.ms(stat(name, (c) => c.result.p99Ms)),
        fmt.int(cpu),
        fmt.pct(stat(name, (c) => c.demand)),
        fmt.pct(stat(name, (c) => c.wrkCpu)),
        name === 'bare' ? '' : fmt.ratio(rps / stat('bare', (c) => c.result.rps)),
        name === 'bare' ? '' : fmt.ratio(stat('bare', (c) => c.cpuUsPerRequest) / cpu),
      ])
    }
  }
  return rows
}
