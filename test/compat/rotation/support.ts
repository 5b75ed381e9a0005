/** Helpers of the rotation suites: servers with fast retries, the data directory read as the CLI reads it. */
import {
  RotateSecretCommand,
  type RotateSecretCommandInput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { COFFER_BIN, startServer, type StartOptions, type TestServer } from '../../support/server.js'

export const ACCOUNT = '000000000000'

export function functionArn(server: TestServer, name = 'coffer-random-password'): string {
  return `arn:aws:lambda:${server.credentials.region}:${ACCOUNT}:function:${name}`
}

/**
 * A server whose rotation retries fast (2 attempts, 0.2 s apart) and whose scheduler ticks every 0.2 s,
 * so failures and schedules show within a test's seconds. Extra config and options are merged in.
 */
export async function startRotationServer(
  options: StartOptions & { dataDir?: string } = {},
): Promise<TestServer> {
  const server = await startServer({
    ...options,
    args: [...(options.args ?? []), ...configArgs(options.dataDir)],
  })
  return server
}

function configArgs(dataDir: string | undefined): string[] {
  const path = join(
    dataDir ?? tmpdir(),
    `coffer-rotation-config-${process.pid}-${Math.random().toString(36).slice(2)}.json`,
  )
  writeFileSync(
    path,
    JSON.stringify({ rotation: { maxAttempts: 2, retryDelaySeconds: 0.2, tickSeconds: 0.2 } }),
  )
  return ['--config', path]
}

export interface RunView {
  readonly id: number
  readonly state: string
  readonly trigger: string
  readonly versionId: string
  readonly lastError?: string
  readonly steps: readonly {
    step: string
    attempt: number
    outcome?: string
    error?: string
    output?: string
  }[]
}

export interface StatusView {
  readonly arn: string
  readonly name: string
  readonly rotationEnabled: boolean
  readonly runs: readonly RunView[]
}

/** `coffer rotation status <secret> --json` on the server's data directory. */
export function rotationStatus(dataDir: string, secret: string): Promise<StatusView> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [COFFER_BIN, 'rotation', 'status', secret, '--data-dir', dataDir, '--json', '--runs', '50'],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`coffer rotation status failed: ${stderr}`))
        else resolve((JSON.parse(stdout) as StatusView[])[0] as StatusView)
      },
    )
  })
}

/** Polls the status until `done` holds (or fails after `timeoutMs`). */
export async function waitForStatus(
  dataDir: string,
  secret: string,
  done: (status: StatusView) => boolean,
  timeoutMs = 20_000,
): Promise<StatusView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = await rotationStatus(dataDir, secret)
    if (done(status)) return status
    if (Date.now() > deadline) throw new Error(`timed out; last status: ${JSON.stringify(status, null, 2)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The latest run has finished. */
export const finished = (status: StatusView) =>
  status.runs[0] !== undefined && status.runs[0].state !== 'running'

export interface OutboxRow {
  readonly detailType: string
  readonly source: string
  readonly detail: Record<string, unknown>
}

/** The outbox's events about one secret, oldest first. */
export function outboxEvents(dataDir: string, secretArn: string): OutboxRow[] {
  const db = new Database(join(dataDir, 'coffer.db'), { readonly: true })
  try {
    // Rotation outcomes are service events; API calls land in the outbox too.
    const rows = db
      .prepare(
        "SELECT source, detail_type, detail FROM outbox WHERE detail_type = 'AWS Service Event via CloudTrail' ORDER BY seq",
      )
      .all() as {
      source: string
      detail_type: string
      detail: string
    }[]
    return rows
      .map((row) => ({
        source: row.source,
        detailType: row.detail_type,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
      }))
      .filter(
        (row) =>
          (row.detail['additionalEventData'] as { SecretId?: string } | undefined)?.SecretId === secretArn,
      )
  } finally {
    db.close()
  }
}

/**
 * RotateSecret on a server started with a `COFFER_FAULT` point, then waits for the fault to kill it.
 * The run starts at once in that process, so the kill may come before the answer does.
 */
export async function rotateUntilKilled(
  server: TestServer,
  sm: SecretsManagerClient,
  request: RotateSecretCommandInput,
): Promise<void> {
  await sm
    .send(new RotateSecretCommand(request))
    .catch((error: unknown) => expect(String(error)).toMatch(/socket hang up|ECONNRESET/))
  await new Promise<void>((resolve) =>
    server.process.exitCode !== null || server.process.signalCode !== null
      ? resolve()
      : server.process.once('exit', () => resolve()),
  )
  expect(server.process.signalCode).toBe('SIGKILL')
}
