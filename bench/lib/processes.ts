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
      reject(new Error(`${proc.name} printed nothing matching ${pattern} in ${timeoutMs} ms:\n${proc.output()}`))
    }, timeoutMs)
    const onExit = () => {
      cleanup()
      reject(new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output()}`))
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

/** CPU seconds (user + system) used so far by `pid` and its descendants that are still alive. */
export function cpuSeconds(pid: number): number {
  let total = 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    total = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    for (const child of children === '' ? [] : children.split(' ')) total += cpuSeconds(Number(child))
  } catch {
    // process gone, or /proc without children lists
  }
  return total
}
