/**
 * Shared helpers of the audit suites: a server started with an audit configuration, the records its
 * database holds, and the `coffer audit` command run as a separate process.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { auditDatabasePath, openReadOnly } from '../../support/db-snapshot.js'
import { COFFER_BIN, startServer, type StartOptions, type TestServer } from '../../support/server.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** Starts a server whose configuration file holds `audit` (merged over the defaults). */
export function startAuditServer(
  audit: Record<string, unknown>,
  options: StartOptions = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-config-'))
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify({ audit }))
  return startServer({ ...options, args: ['--config', file, ...(options.args ?? [])] })
}

/** A CloudTrail record as stored (parsed). */
export type AuditRecord = Record<string, unknown> & {
  eventName: string
  eventSource: string
  requestID: string
  eventID: string
  userIdentity: Record<string, unknown>
  requestParameters: Record<string, unknown> | null
  responseElements: Record<string, unknown> | null
}

export function storedRecords(dataDir: string): AuditRecord[] {
  const db = openReadOnly(dataDir, auditDatabasePath(dataDir))
  try {
    return (db.prepare('SELECT record FROM audit_records ORDER BY seq').pluck().all() as string[]).map(
      (text) => JSON.parse(text) as AuditRecord,
    )
  } finally {
    db.close()
  }
}

export interface CofferRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `coffer <args>` as a separate process (the built CLI). */
export function coffer(args: readonly string[]): CofferRun {
  const run = spawnSync(process.execPath, [COFFER_BIN, ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

/** The request id of an SDK answer or SDK error. */
export function requestIdOf(outcome: unknown): string {
  const id = (outcome as { $metadata?: { requestId?: string } }).$metadata?.requestId
  if (id === undefined) throw new Error('no request id')
  return id
}

/** Runs an SDK call and returns its request id, whether the call succeeded or failed. */
export async function requestId(call: Promise<unknown>): Promise<{ id: string; error?: { name: string } }> {
  try {
    return { id: requestIdOf(await call) }
  } catch (error) {
    return { id: requestIdOf(error), error: error as { name: string } }
  }
}
