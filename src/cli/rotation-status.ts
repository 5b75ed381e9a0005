import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { dataPaths } from '../server/bootstrap.js'
import type { RotationRun, StepRecord } from '../server/rotation/store.js'
import { SqliteFreshness } from '../server/storage/sqlite/freshness.js'
import { SqliteRotationStore } from '../server/storage/sqlite/rotation-store.js'

const USAGE = `Usage: coffer rotation status [secret] [--data-dir <dir>] [--json] [--runs <n>]

Shows, for each secret with rotation configured (or the one named, by name or ARN): its rotation
configuration and schedule, and its latest runs with every step attempt, its outcome, error and output.
Reads the data directory directly; works whether the server runs or not.
`

interface SecretRow {
  id: number
  arn: string
  name: string
  rotation_enabled: number
  rotation_lambda_arn: string | null
  rotation_rules: string | null
  last_rotated_at: number | null
  next_rotation_at: number | null
  rotation_due_at: number | null
}

export interface SecretRotationStatus {
  readonly arn: string
  readonly name: string
  readonly rotationEnabled: boolean
  readonly lambdaArn?: string
  readonly rules?: unknown
  readonly lastRotatedDate?: string
  readonly nextRotationDate?: string
  readonly scheduledStart?: string
  readonly runs: readonly (RotationRun & { readonly steps: readonly StepRecord[] })[]
}

type Io = { out(text: string): void; err(text: string): void; env: NodeJS.ProcessEnv }

export async function runRotationCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'status') {
    io.err(
      sub === undefined || sub === '--help' ? USAGE : `coffer rotation: unknown command '${sub}'\n\n${USAGE}`,
    )
    return sub === '--help' ? 0 : 2
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      runs: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  })
  if (values.help === true) {
    io.out(USAGE)
    return 0
  }
  const dataDir = values['data-dir'] ?? io.env['COFFER_DATA_DIR'] ?? './coffer-data'
  const path = dataPaths(dataDir).database
  if (!existsSync(path)) {
    io.err(`coffer rotation: no database at ${path}\n`)
    return 1
  }
  const runLimit = values.runs === undefined ? 5 : Number(values.runs)
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    const statuses = await readStatus(db, positionals[0], runLimit)
    if (positionals[0] !== undefined && statuses.length === 0) {
      io.err(`coffer rotation: no secret '${positionals[0]}' with rotation configured\n`)
      return 1
    }
    io.out(values.json === true ? `${JSON.stringify(statuses, null, 2)}\n` : statuses.map(format).join('\n'))
    return 0
  } finally {
    db.close()
  }
}

async function readStatus(
  db: Database.Database,
  secretId: string | undefined,
  runLimit: number,
): Promise<SecretRotationStatus[]> {
  const rows = db
    .prepare(
      `SELECT id, arn, name, rotation_enabled, rotation_lambda_arn, rotation_rules, last_rotated_at,
         next_rotation_at, rotation_due_at
       FROM secrets WHERE rotation_enabled IS NOT NULL
         AND (@id IS NULL OR name = @id OR arn = @id OR arn LIKE @id || '-______')
       ORDER BY name`,
    )
    .all({ id: secretId ?? null }) as SecretRow[]
  const store = new SqliteRotationStore(db, new SqliteFreshness(db))
  const statuses: SecretRotationStatus[] = []
  for (const row of rows) {
    const runs = []
    for (const run of await store.listRuns(row.id, runLimit)) {
      runs.push({ ...run, steps: await store.listSteps(run.id) })
    }
    statuses.push({
      arn: row.arn,
      name: row.name,
      rotationEnabled: row.rotation_enabled === 1,
      ...(row.rotation_lambda_arn !== null && { lambdaArn: row.rotation_lambda_arn }),
      ...(row.rotation_rules !== null && { rules: JSON.parse(row.rotation_rules) as unknown }),
      ...(row.last_rotated_at !== null && { lastRotatedDate: iso(row.last_rotated_at) }),
      ...(row.next_rotation_at !== null && { nextRotationDate: iso(row.next_rotation_at) }),
      ...(row.rotation_due_at !== null && { scheduledStart: iso(row.rotation_due_at) }),
      runs,
    })
  }
  return statuses
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function format(status: SecretRotationStatus): string {
  const lines = [
    `${status.name}  (${status.arn})`,
    `  rotation:      ${status.rotationEnabled ? 'enabled' : 'disabled'}`,
    `  function:      ${status.lambdaArn ?? '-'}`,
    `  rules:         ${status.rules === undefined ? '-' : JSON.stringify(status.rules)}`,
    `  last rotated:  ${status.lastRotatedDate ?? '-'}`,
    `  next rotation: ${status.nextRotationDate ?? '-'}${status.scheduledStart === undefined ? '' : ` (starts ${status.scheduledStart})`}`,
  ]
  if (status.runs.length === 0) lines.push('  runs:          none')
  for (const run of status.runs) {
    const ended = run.finishedAt === undefined ? 'running' : `${run.state} at ${iso(run.finishedAt)}`
    lines.push(
      `  run ${run.id}: ${run.trigger}, started ${iso(run.startedAt)}, ${ended}, version ${run.versionId}`,
    )
    if (run.state === 'running')
      lines.push(`    next: ${run.step} attempt ${run.attempt} at ${iso(run.nextAttemptAt)}`)
    if (run.lastError !== undefined) lines.push(`    error: ${run.lastError}`)
    for (const step of run.steps) {
      lines.push(
        `    ${step.step} #${step.attempt}: ${step.outcome ?? 'started'} (${iso(step.startedAt)}${step.finishedAt === undefined ? '' : ` → ${iso(step.finishedAt)}`})`,
      )
      if (step.error !== undefined) lines.push(`      error: ${step.error}`)
      for (const line of (step.output ?? '').split('\n').filter((l) => l !== ''))
        lines.push(`      | ${line}`)
    }
  }
  return `${lines.join('\n')}\n`
}
