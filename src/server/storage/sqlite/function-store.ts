import type { FunctionRecord, FunctionStore, StoredCode } from '../../functions/store.js'
import type { SqliteDb } from './database.js'
import type { SqliteFreshness } from './freshness.js'

interface FunctionRow {
  arn: string
  account_id: string
  region: string
  name: string
  kind: 'process' | 'http'
  role_arn: string
  timeout_seconds: number
  memory_mb: number
  runtime: 'nodejs' | 'python' | null
  handler: string | null
  code_id: string | null
  code_sha256: string | null
  environment: string | null
  url: string | null
  sealed_signing_key: Buffer | null
  created_at: number
  updated_at: number
}

const COLUMNS = `arn, account_id, region, name, kind, role_arn, timeout_seconds, memory_mb, runtime, handler,
  code_id, code_sha256, environment, url, sealed_signing_key, created_at, updated_at`

/** The registry on SQLite (migration 006): one row per function, invariants in CHECK constraints. */
export class SqliteFunctionStore implements FunctionStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
  ) {}

  async find(arn: string): Promise<FunctionRecord | undefined> {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM lambda_functions WHERE arn = ?`).get(arn) as
      FunctionRow | undefined
    return row === undefined ? undefined : toRecord(row)
  }

  async list(filter: { accountId?: string; region?: string } = {}): Promise<FunctionRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM lambda_functions
         WHERE (@accountId IS NULL OR account_id = @accountId) AND (@region IS NULL OR region = @region)
         ORDER BY account_id, region, name`,
      )
      .all({ accountId: filter.accountId ?? null, region: filter.region ?? null }) as FunctionRow[]
    return rows.map(toRecord)
  }

  async create(fn: FunctionRecord): Promise<boolean> {
    const { changes } = this.db
      .prepare(
        `INSERT INTO lambda_functions (${COLUMNS})
         VALUES (@arn, @account_id, @region, @name, @kind, @role_arn, @timeout_seconds, @memory_mb, @runtime,
           @handler, @code_id, @code_sha256, @environment, @url, @sealed_signing_key, @created_at, @updated_at)
         ON CONFLICT DO NOTHING`,
      )
      .run(toRow(fn))
    if (changes > 0) this.freshness.written()
    return changes > 0
  }

  async update(fn: FunctionRecord): Promise<boolean> {
    const { changes } = this.db
      .prepare(
        `UPDATE lambda_functions SET kind = @kind, role_arn = @role_arn, timeout_seconds = @timeout_seconds,
           memory_mb = @memory_mb, runtime = @runtime, handler = @handler, code_id = @code_id,
           code_sha256 = @code_sha256, environment = @environment, url = @url,
           sealed_signing_key = @sealed_signing_key, updated_at = max(@updated_at, created_at)
         WHERE arn = @arn`,
      )
      .run(toRow(fn))
    if (changes > 0) this.freshness.written()
    return changes > 0
  }

  async delete(arn: string): Promise<boolean> {
    const { changes } = this.db.prepare('DELETE FROM lambda_functions WHERE arn = ?').run(arn)
    if (changes > 0) this.freshness.written()
    return changes > 0
  }
}

function toRow(fn: FunctionRecord): FunctionRow {
  const code = fn.code
  return {
    arn: fn.arn,
    account_id: fn.accountId,
    region: fn.region,
    name: fn.name,
    kind: code.kind,
    role_arn: fn.roleArn,
    timeout_seconds: fn.timeoutSeconds,
    memory_mb: fn.memoryMb,
    runtime: code.kind === 'process' ? code.runtime : null,
    handler: code.kind === 'process' ? code.handler : null,
    code_id: code.kind === 'process' ? code.codeId : null,
    code_sha256: code.kind === 'process' ? code.codeSha256 : null,
    environment: code.kind === 'process' ? JSON.stringify(code.environment) : null,
    url: code.kind === 'http' ? code.url : null,
    sealed_signing_key: code.kind === 'http' ? code.sealedSigningKey : null,
    created_at: fn.createdAt,
    updated_at: fn.updatedAt,
  }
}

function toRecord(row: FunctionRow): FunctionRecord {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    roleArn: row.role_arn,
    timeoutSeconds: row.timeout_seconds,
    memoryMb: row.memory_mb,
    code: toCode(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

// The CHECK constraints guarantee the kind's columns are present.
function toCode(row: FunctionRow): StoredCode {
  if (row.kind === 'http') return { kind: 'http', url: row.url!, sealedSigningKey: row.sealed_signing_key! }
  return {
    kind: 'process',
    runtime: row.runtime!,
    handler: row.handler!,
    codeId: row.code_id!,
    codeSha256: row.code_sha256!,
    environment: JSON.parse(row.environment!) as Record<string, string>,
  }
}
