/** Starts the built Coffer (`bin/coffer.js`, run `npm run build` first) in a fresh temporary data directory. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { readCredentials, type Credentials } from '../../test/support/server.js'
import { startProcess, stopProcess, waitForOutput, type Proc } from './processes.js'

export const COFFER_BIN = resolve(import.meta.dirname, '../../bin/coffer.js')
const BUILT = resolve(import.meta.dirname, '../../dist/cli/main.js')

export type { Credentials } from '../../test/support/server.js'

export interface Coffer {
  readonly proc: Proc
  readonly endpoint: string
  readonly port: number
  readonly dataDir: string
  readonly credentials: Credentials
  /** Stops the server (SIGTERM by PID) and deletes its data directory. */
  stop(): Promise<void>
}

export interface CofferOptions {
  readonly workers?: number
  /** taskset CPU list; unpinned if absent. */
  readonly cpus?: string
  /** Extra `node` flags, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[]
  /** Parent of the temporary data directory (default: the OS temp dir). */
  readonly parentDir?: string
  /** Extra `coffer server` arguments, e.g. `--config <file>`. */
  readonly args?: readonly string[]
}

export async function startCoffer(options: CofferOptions = {}): Promise<Coffer> {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first`)
  const dataDir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'coffer-bench-'))
  const args = [
    ...(options.nodeArgs ?? []),
    COFFER_BIN,
    'server',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--log-level',
    'warn',
    '--workers',
    String(options.workers ?? 1),
    ...(options.args ?? []),
  ]
  const proc = startProcess('coffer', process.execPath, args, options.cpus)
  const stop = async () => {
    await stopProcess(proc)
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    const [, endpoint = ''] = await waitForOutput(proc, /Endpoint:\s+(http:\/\/\S+)/)
    return {
      proc,
      endpoint,
      port: Number(new URL(endpoint).port),
      dataDir,
      credentials: readCredentials(join(dataDir, 'credentials')),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
