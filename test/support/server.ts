import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The built CLI (`npm test` builds first). Tests drive the real server binary, never an in-process copy. */
export const COFFER_BIN = resolve(import.meta.dirname, '../../bin/coffer.js')

export interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly region: string
}

export interface TestServer {
  readonly endpoint: string
  readonly port: number
  readonly dataDir: string
  readonly credentialsPath: string
  readonly credentials: Credentials
  readonly process: ChildProcess
  /** Everything the server printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM and wait; the data directory stays unless `cleanup` is true. */
  stop(options?: { cleanup?: boolean }): Promise<void>
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>
}

export interface StartOptions {
  /** Reuse a data directory (restart); a fresh temporary one otherwise. */
  readonly dataDir?: string
  readonly args?: readonly string[]
  readonly env?: Readonly<Record<string, string>>
}

/** Starts `coffer server` on a random port with its own data directory and waits until it listens. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'coffer-test-'))
  const child = spawn(
    process.execPath,
    [
      COFFER_BIN,
      'server',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      ...(options.args ?? []),
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()))
  const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000)
    const onData = () => {
      // The banner ends with the "Try:" line; wait for all of it.
      const match = /Endpoint:\s+(http:\/\/\S+)[\s\S]*\n {2}Try: .*\n/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolveEndpoint(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${output}`))
    })
  })
  const credentialsPath = join(dataDir, 'credentials')
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    dataDir,
    credentialsPath,
    credentials: readCredentials(credentialsPath),
    process: child,
    output: () => output,
    stop: async ({ cleanup = false } = {}) => {
      await stopWith('SIGTERM')
      if (cleanup) rmSync(dataDir, { recursive: true, force: true })
    },
    kill: () => stopWith('SIGKILL'),
  }
}

export function readCredentials(path: string): Credentials {
  const text = readFileSync(path, 'utf8')
  const value = (key: string) => {
    const match = new RegExp(`^${key}\\s*=\\s*(\\S+)`, 'm').exec(text)
    if (match?.[1] === undefined) throw new Error(`${key} missing from ${path}`)
    return match[1]
  }
  return {
    accessKeyId: value('aws_access_key_id'),
    secretAccessKey: value('aws_secret_access_key'),
    region: value('region'),
  }
}

/**
 * A name no other test (or earlier run) uses. It never ends in `-` + 6 characters, which Secrets Manager
 * reads as an ARN suffix (spec §3.1), so partial-ARN lookups of these names work.
 */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
}
