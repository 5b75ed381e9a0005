import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FunctionCode, Invocation, Runner } from '../contract.js'
import { NODE_BOOTSTRAP, PYTHON_BOOTSTRAP } from './bootstraps.js'
import { BoundedOutput, timedOut } from './results.js'

type ProcessCode = Extract<FunctionCode, { kind: 'process' }>

/** The only PATH a function gets unless its own environment sets one. */
const SAFE_PATH = '/usr/local/bin:/usr/bin:/bin'
/**
 * Python's memory bound is on address space (RLIMIT_AS), which counts the interpreter, its libraries and
 * thread stacks as well as the function's data: this much is added to the function's memory size.
 */
const PYTHON_ADDRESS_SPACE_HEADROOM_MB = 256
/** After the child exits, how long its output pipes may stay open (held by an escaped descendant). */
const DRAIN_MS = 500

/**
 * Runs a Node.js or Python handler in a child process of its own (its own process group), the way
 * Lambda's runtimes call it: same event, same `context`, same environment variables. The outcome travels
 * over fd 3, so nothing the function prints can pass for it. Never throws.
 */
export const runProcess: Runner = async (invocation) => {
  const started = performance.now()
  const { error, output } = await run(invocation)
  return {
    ok: error === undefined,
    ...(error !== undefined && { error }),
    output,
    durationMs: Math.round(performance.now() - started),
  }
}

type Outcome = { error?: { type: string; message: string }; output: string }

async function run(invocation: Invocation): Promise<Outcome> {
  const code = invocation.fn.code
  const failure = (message: string): Outcome => ({
    error: {
      type: 'Runtime.InvalidEntrypoint',
      message: `RequestId: ${invocation.requestId} Error: ${message}`,
    },
    output: '',
  })
  if (code.kind !== 'process') return failure(`${code.kind} functions are not run as processes`)
  if (!existsSync(code.codeDir)) return failure("the function's code directory does not exist")
  let home: string | undefined
  try {
    home = await mkdtemp(join(tmpdir(), 'coffer-fn-'))
    return await runChild(invocation, code, home)
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error))
  } finally {
    if (home !== undefined) await rm(home, { recursive: true, force: true }).catch(() => {})
  }
}

async function runChild(invocation: Invocation, code: ProcessCode, home: string): Promise<Outcome> {
  const { fn, requestId } = invocation
  const deadlineMs = Date.now() + fn.timeoutSeconds * 1000
  const [command, args] = commandLine(code.runtime, fn.memoryMb)
  const output = new BoundedOutput()
  // One pipe for stdout and stderr keeps them in the order the function wrote them (the shell, which
  // execs the runtime, would add PWD to the environment).
  const child = spawn('/bin/sh', ['-c', 'unset PWD; exec "$@" 2>&1', 'coffer-function', command, ...args], {
    cwd: code.codeDir,
    env: environment(invocation, code, home),
    stdio: ['pipe', 'pipe', 'ignore', 'pipe'],
    detached: true,
  })
  const closed = new Promise<void>((done) => child.once('close', () => done()))
  child.stdout?.on('data', (chunk: Buffer) => output.append(chunk))
  let channel = ''
  const resultPipe = child.stdio[3] as NodeJS.ReadableStream | null
  resultPipe?.on('data', (chunk: Buffer) => (channel += chunk.toString('utf8')))
  // A child that dies before reading its input makes the write fail: its exit status tells the story.
  child.stdin?.on('error', () => {})
  child.stdin?.end(
    JSON.stringify({
      event: invocation.event,
      requestId,
      functionArn: fn.arn,
      deadlineMs,
      ...(code.runtime === 'nodejs' && { fallbackUrl: fallbackUrl() }),
      ...(code.runtime === 'python' && {
        addressSpaceBytes: (fn.memoryMb + PYTHON_ADDRESS_SPACE_HEADROOM_MB) * 1024 * 1024,
      }),
    }),
  )

  let timeout = false
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  const timer = setTimeout(() => {
    timeout = true
    killGroup()
  }, fn.timeoutSeconds * 1000)
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | Error>((done) => {
    child.once('exit', (exitCode, signal) => done({ code: exitCode, signal }))
    child.once('error', (error) => done(error))
  })
  clearTimeout(timer)
  // Whatever the function left running goes with it, as when Lambda freezes the sandbox.
  killGroup()
  // A descendant that escaped the process group may hold the pipes open: wait for them only briefly.
  await Promise.race([closed, new Promise((done) => setTimeout(done, DRAIN_MS).unref())])
  for (const stream of child.stdio) stream?.destroy()
  const text = output.text()

  if (exit instanceof Error) {
    return {
      error: {
        type: 'Runtime.InvalidEntrypoint',
        message: `RequestId: ${requestId} Error: cannot start the ${code.runtime} runtime: ${exit.message}`,
      },
      output: text,
    }
  }
  const outcome = parseOutcome(channel)
  if (outcome !== undefined)
    return { ...(outcome.error !== undefined && { error: outcome.error }), output: text }
  if (timeout) return { error: timedOut(fn.timeoutSeconds), output: text }
  return {
    error: { type: 'Runtime.ExitError', message: `RequestId: ${requestId} Error: ${exitReason(exit)}` },
    output: text,
  }
}

function commandLine(runtime: ProcessCode['runtime'], memoryMb: number): [string, string[]] {
  if (runtime === 'nodejs') {
    return [
      process.execPath,
      [`--max-old-space-size=${memoryMb}`, '--input-type=module', '-e', NODE_BOOTSTRAP],
    ]
  }
  return [pythonInterpreter(), ['-u', '-B', '-c', PYTHON_BOOTSTRAP]]
}

/** `COFFER_PYTHON`, else Debian's `/usr/bin/python3` (with its python3-boto3), else `python3` on PATH. */
export function pythonInterpreter(): string {
  const configured = process.env.COFFER_PYTHON
  if (configured !== undefined && configured !== '') return configured
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
}

/** A clean environment: nothing of the server's own, which may hold secrets. */
function environment(invocation: Invocation, code: ProcessCode, home: string): NodeJS.ProcessEnv {
  const { fn, credentials, endpoint } = invocation
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/')
  return {
    PATH: SAFE_PATH,
    LANG: 'C.UTF-8',
    TZ: ':UTC',
    ...(code.runtime === 'nodejs' && { NODE_PATH: cofferNodeModules() }),
    ...code.environment,
    HOME: home,
    TMPDIR: home,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken !== '' && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_ENDPOINT_URL: endpoint,
    SECRETS_MANAGER_ENDPOINT: endpoint,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    LAMBDA_TASK_ROOT: code.codeDir,
    _HANDLER: code.handler,
  }
}

/** Coffer's own `node_modules`, the one holding the AWS SDK (found upwards from this module). */
function cofferNodeModules(): string {
  let dir = import.meta.dirname
  while (!existsSync(join(dir, 'node_modules', '@aws-sdk', 'client-secrets-manager'))) {
    const parent = dirname(dir)
    if (parent === dir) return join(import.meta.dirname, 'node_modules')
    dir = parent
  }
  return join(dir, 'node_modules')
}

/** A module URL inside Coffer's `node_modules`: bare specifiers resolved from it find Coffer's packages. */
function fallbackUrl(): string {
  return pathToFileURL(join(cofferNodeModules(), 'coffer-function-fallback.js')).href
}

function parseOutcome(channel: string): Omit<Outcome, 'output'> | undefined {
  const line = channel.split('\n', 1)[0] ?? ''
  try {
    const value = JSON.parse(line) as { ok?: unknown; errorType?: unknown; errorMessage?: unknown }
    if (value.ok === true) return {}
    if (value.ok === false) {
      return { error: { type: String(value.errorType), message: String(value.errorMessage) } }
    }
  } catch {
    // No (complete) outcome: the process died first.
  }
  return undefined
}

const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
}

/** Lambda's wording (Go's exit error text). */
function exitReason(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  if (exit.signal !== null) {
    return `Runtime exited with error: signal: ${SIGNAL_NAMES[exit.signal] ?? exit.signal}`
  }
  if (exit.code === 0) return 'Runtime exited without providing a reason'
  return `Runtime exited with error: exit status ${exit.code ?? 'unknown'}`
}
