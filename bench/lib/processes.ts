/** Child processes for the benchmarks: spawn (optionally pinned to CPUs), wait for output, stop by PID. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface Proc {
  readonly name: string
  readonly pid: number
  readonly child: ChildProcess
  /** Everything printed so far (stdout and stderr). */
  output(): string
  readonly exited: Promise<void>
}

const running = new Set<Proc>()

/**
 * Starts `command args`; with `cpus` (a taskset list such as "0" or "0,1") it runs under
 * `taskset -c`, which execs the command, so the PID is the command's own and its threads and
 * children inherit the affinity.
 */
export function startProcess(name: string, command: string, args: readonly string[], cpus?: string): Proc {
  const [file, argv] = cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]]
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${file}`)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const proc: Proc = { name, pid: child.pid, child, output: () => output, exited }
  running.add(proc)
  void exited.then(() => running.delete(proc))
  return proc
}

/** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
export function waitForOutput(proc: Proc, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(proc.output())
      if (match === null) return
      cleanup()
      resolve(match)
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(
        new Error(`${proc.name} printed nothing matching ${pattern} in ${timeoutMs} ms:\n${proc.output()}`),
      )
    }, timeoutMs)
    const onExit = () => {
      cleanup()
      reject(
        new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output()}`),
      )
    }
    const cleanup = () => {
      clearTimeout(timer)
      proc.child.stdout?.off('data', check)
      proc.child.off('exit', onExit)
    }
    proc.child.stdout?.on('data', check)
    proc.child.once('exit', onExit)
    check()
  })
}

/** SIGTERM by PID, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(proc: Proc, graceMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return
  signal(proc.pid, 'SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))
  const late = await Promise.race([proc.exited.then(() => false), timedOut])
  clearTimeout(timer)
  if (late) {
    signal(proc.pid, 'SIGKILL')
    await proc.exited
  }
}

/** Stops every process started here that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((proc) => stopProcess(proc)))
}

/** On Ctrl-C / SIGTERM: stop the children, then exit. */
export function stopAllOnSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: stopping ${running.size} process(es)\n`)
      void stopAll().finally(() => process.exit(130))
    })
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

/** Pins every thread of an existing process (this one, say) to `cpus`. */
export function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' })
}

const TICKS_PER_SECOND = 100

/** Fields of /proc/<pid>/stat after the command name, 0 = state (field 3 in proc(5)). */
function statFields(pid: number | 'self'): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

function childPids(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
  return children === '' ? [] : children.split(' ').map(Number)
}

/** CPU seconds (user + system, all threads) used so far by `pid` and its live descendants. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = statFields(pid)
    const own = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
    return own + childPids(pid).reduce((sum, child) => sum + cpuSeconds(child), 0)
  } catch {
    return 0 // gone
  }
}

/** CPU seconds of this process's children that exited and were reaped (wrk, once it is done). */
export function reapedChildrenCpuSeconds(): number {
  const fields = statFields('self')
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND
}

/**
 * Scheduler time of the event-loop thread (the main thread) in seconds: running, and runnable but
 * waiting for a CPU. For a node:cluster primary, the sum over its workers and their count.
 * (run + wait) / wall time is the share of the run the event loop had work: below ~95% the server
 * was not saturated (the load generator was the limit), whatever noise stole from it.
 */
export function eventLoopDemand(pid: number): { run: number; wait: number; loops: number } {
  const read = (p: number) => readFileSync(`/proc/${p}/schedstat`, 'utf8').split(' ').map(Number)
  try {
    const workers = childPids(pid)
    const pids = workers.length > 0 ? workers : [pid]
    let run = 0
    let wait = 0
    for (const p of pids) {
      const [runNs = 0, waitNs = 0] = read(p)
      run += runNs / 1e9
      wait += waitNs / 1e9
    }
    return { run, wait, loops: pids.length }
  } catch {
    return { run: 0, wait: 0, loops: 1 }
  }
}
