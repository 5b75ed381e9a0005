import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestServer } from '../../support/server.js'

/** The Debian AWS CLI v2: `aws` on the PATH may be another (v1) install. */
export const AWS_BIN = '/usr/bin/aws'
export const INSTALL_HINT = 'apt-get install awscli python3-boto3'

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Fails (never skips) when the CLI is missing. */
export function requireAwsCli(): void {
  if (!existsSync(AWS_BIN)) throw new Error(`${AWS_BIN} not found: ${INSTALL_HINT}`)
}

/**
 * A clean environment for the CLI: a temporary HOME, the server's credentials file (which carries the
 * region), and no AWS_* variable from the parent process.
 */
export function cliEnvironment(server: TestServer, home: string, extra: Record<string, string> = {}) {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_SHARED_CREDENTIALS_FILE: server.credentialsPath,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  }
}

export function runAws(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolveRun) => {
    execFile(
      AWS_BIN,
      args,
      { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
        resolveRun({ code, stdout, stderr })
      },
    )
  })
}

/** Thrown when a command that should succeed does not; carries everything needed to see why. */
export class CliFailure extends Error {
  constructor(args: readonly string[], result: CliResult) {
    super(`aws ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  }
}

/** `aws secretsmanager <args> --endpoint-url <endpoint> --output json` against one test server. */
export class SecretsManagerCli {
  readonly home: string
  /** Number of CLI processes started, to keep the suite's cost visible. */
  invocations = 0

  constructor(readonly server: TestServer) {
    this.home = mkdtempSync(join(tmpdir(), 'coffer-cli-home-'))
  }

  /** Runs the command; never throws for a non-zero exit. */
  raw(args: readonly string[]): Promise<CliResult> {
    this.invocations++
    const full = ['secretsmanager', ...args, '--endpoint-url', this.server.endpoint, '--output', 'json']
    return runAws(full, cliEnvironment(this.server, this.home))
  }

  /** Runs the command, expects exit 0, and parses stdout as JSON (`{}` for commands that print nothing). */
  async json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const result = await this.raw(args)
    if (result.code !== 0) throw new CliFailure(args, result)
    return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T
  }

  /** Runs the command and expects an AWS service error (exit 254/255 with `(Code)` on stderr). */
  async error(...args: string[]): Promise<{ code: string; message: string; exit: number; stderr: string }> {
    const result = await this.raw(args)
    if (result.code === 0) throw new Error(`aws ${args.join(' ')} succeeded unexpectedly: ${result.stdout}`)
    const match = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)$/m.exec(
      result.stderr,
    )
    if (!match) throw new CliFailure(args, result)
    return {
      code: match[1] ?? '',
      message: (match[2] ?? '').trim(),
      exit: result.code,
      stderr: result.stderr,
    }
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true })
  }
}

export function uniqueCliName(prefix: string): string {
  return `cli-${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}
