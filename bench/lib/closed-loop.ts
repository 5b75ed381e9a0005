/** A closed-loop load phase run from this process: N concurrent callers, each waiting for its answer. */
import { cpuSeconds } from './processes.js'

export interface Phase {
  readonly operation: string
  readonly connections: number
  readonly ops: number
  readonly seconds: number
  readonly latenciesMs: number[]
  /** CPU seconds per second used by the server (`serverPid` and its children) and by this process. */
  readonly serverCpu: number
  readonly clientCpu: number
  /** µs on the monotonic clock (the one CPU profiles use). */
  readonly window: readonly [number, number]
}

/** Calls `op` from `connections` loops for `seconds`; the first failure stops every loop and is thrown. */
export async function closedLoop(
  operation: string,
  connections: number,
  seconds: number,
  serverPid: number,
  op: (n: number) => Promise<unknown>,
): Promise<Phase> {
  const latenciesMs: number[] = []
  let n = 0
  const serverBefore = cpuSeconds(serverPid)
  const clientBefore = process.cpuUsage()
  const from = Number(process.hrtime.bigint() / 1000n)
  const start = performance.now()
  let end = start + seconds * 1000
  let failure: unknown
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now()
      try {
        await op(n++)
      } catch (error) {
        failure ??= error
        end = 0 // a benchmark of errors is worthless
        return
      }
      latenciesMs.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: connections }, loop))
  if (failure !== undefined) throw failure
  const elapsed = (performance.now() - start) / 1000
  const client = process.cpuUsage(clientBefore)
  return {
    operation,
    connections,
    ops: latenciesMs.length,
    seconds: elapsed,
    latenciesMs,
    serverCpu: (cpuSeconds(serverPid) - serverBefore) / elapsed,
    clientCpu: (client.user + client.system) / 1e6 / elapsed,
    window: [from, Number(process.hrtime.bigint() / 1000n)],
  }
}
