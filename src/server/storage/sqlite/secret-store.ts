import type { Statement } from 'better-sqlite3'
import { ConflictError } from '../../../lib/neutral-errors.js'
import type {
  NewSecret,
  NewVersion,
  SecretChange,
  SecretRecord,
  SecretStore,
  SecretUpdate,
  StoredValue,
  VersionRecord,
  VersionWithValue,
} from '../../services/secretsmanager/store.js'
import type { OutboxSignal } from '../../events/outbox-signal.js'
import type { SqliteDb } from './database.js'
import type { SqliteFreshness } from './freshness.js'
import { translateSqliteError } from './errors.js'
import { ROTATION_UNIQUE, RotationRows } from './rotation-rows.js'
import { toSecret, toVersion, type SecretRow, type VersionRow } from './secret-rows.js'
import { joinWriteScope } from '../write-scope.js'

const UNIQUE = {
  'secrets.account_id, secrets.region, secrets.name': 'secret_name',
  'secrets.arn': 'secret_arn',
  'secret_versions.secret_id, secret_versions.version_id': 'version_id',
  ...ROTATION_UNIQUE,
}

const STAGES_OF_VERSION = `(SELECT json_group_array(stage) FROM (SELECT stage FROM secret_stages x
  WHERE x.secret_id = v.secret_id AND x.version_id = v.version_id ORDER BY stage))`

/** Bound on remembered reads; the cache is simply emptied when it fills up. */
const MAX_CACHED_READS = 20_000

/**
 * The SQLite adapter of `SecretStore`; every statement is prepared once.
 *
 * Lookups by name, ARN, stage and version id are remembered until the data may have changed, as told
 * by `Freshness` (another process's commit, seen at the start of a request, or a write through this
 * connection). A remembered read is therefore never older than the last commit the request could have
 * observed, and what is remembered is what the database holds — values only as ciphertext.
 */
export class SqliteSecretStore implements SecretStore {
  private readonly byName: Statement<[string, string, string], SecretRow>
  private readonly byArn: Statement<[string], SecretRow>
  private readonly byId: Statement<[number], SecretRow>
  private readonly versions: Statement<[number], VersionRow>
  private readonly versionByStage: Statement<[number, string], VersionRow>
  private readonly versionById: Statement<[number, string], VersionRow>
  private readonly insertSecret: Statement
  private readonly insertVersion: Statement
  private readonly upsertStage: Statement<[number, string, string]>
  private readonly deleteStage: Statement<[number, string]>
  private readonly bumpRevision: Statement<[number, number]>
  private readonly dropVersion: Statement<[number, string]>
  private readonly rewrapVersion: Statement<[string | null, Buffer, number, string]>
  private readonly removeSecret: Statement<[number]>
  private readonly listAll: Statement<[string, string], SecretRow>
  private readonly listLive: Statement<[string, string], SecretRow>
  private readonly touchSecret: Statement<[number, number, number]>
  private readonly touchVersion: Statement<[number, number, string, number]>
  private readonly dueForPurge: Statement<[number, number], { id: number; arn: string }>
  private readonly fillValue: Statement
  private readonly rotationRows: RotationRows
  private readonly reads = new Map<string, unknown>()
  /** UPDATE statements by their column list (a handful of shapes), prepared on first use. */
  private readonly updates = new Map<string, Statement>()

  constructor(
    private readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
    /** Wakes this process's outbox readers after a commit that appended service events. */
    signal?: OutboxSignal,
  ) {
    freshness.subscribe(() => this.reads.clear())
    this.byName = db.prepare('SELECT * FROM secrets WHERE account_id = ? AND region = ? AND name = ?')
    this.byArn = db.prepare('SELECT * FROM secrets WHERE arn = ?')
    this.byId = db.prepare('SELECT * FROM secrets WHERE id = ?')
    const versionColumns = `v.version_id, v.created_at, v.last_accessed_at, v.kms_key_arn, ${STAGES_OF_VERSION} AS stages`
    const valueColumns = 'v.value_type, v.encrypted_data_key, v.ciphertext'
    this.versions = db.prepare(
      `SELECT ${versionColumns}, v.value_type, NULL AS encrypted_data_key, NULL AS ciphertext
       FROM secret_versions v WHERE v.secret_id = ? ORDER BY v.created_at, v.rowid`,
    )
    this.versionByStage = db.prepare(
      `SELECT ${versionColumns}, ${valueColumns} FROM secret_stages s
       JOIN secret_versions v ON v.secret_id = s.secret_id AND v.version_id = s.version_id
       WHERE s.secret_id = ? AND s.stage = ?`,
    )
    this.versionById = db.prepare(
      `SELECT ${versionColumns}, ${valueColumns} FROM secret_versions v WHERE v.secret_id = ? AND v.version_id = ?`,
    )
    this.insertSecret = db.prepare(
      `INSERT INTO secrets (account_id, region, name, arn, description, kms_key_arn, owning_service, type, tags,
         resource_policy, created_at, last_changed_at)
       VALUES (@accountId, @region, @name, @arn, @description, @kmsKeyArn, @owningService, @type, @tags,
         @resourcePolicy, @createdAt, @lastChangedAt)`,
    )
    this.insertVersion = db.prepare(
      `INSERT INTO secret_versions (secret_id, version_id, created_at, kms_key_arn, value_type, encrypted_data_key, ciphertext)
       VALUES (@secretId, @versionId, @createdAt, @kmsKeyArn, @valueType, @encryptedDataKey, @ciphertext)`,
    )
    this.upsertStage = db.prepare(
      `INSERT INTO secret_stages (secret_id, stage, version_id) VALUES (?, ?, ?)
       ON CONFLICT (secret_id, stage) DO UPDATE SET version_id = excluded.version_id`,
    )
    this.deleteStage = db.prepare('DELETE FROM secret_stages WHERE secret_id = ? AND stage = ?')
    this.bumpRevision = db.prepare('UPDATE secrets SET revision = revision + 1 WHERE id = ? AND revision = ?')
    this.dropVersion = db.prepare('DELETE FROM secret_versions WHERE secret_id = ? AND version_id = ?')
    this.rewrapVersion = db.prepare(
      'UPDATE secret_versions SET kms_key_arn = ?, encrypted_data_key = ? WHERE secret_id = ? AND version_id = ?',
    )
    this.removeSecret = db.prepare('DELETE FROM secrets WHERE id = ?')
    this.listAll = db.prepare('SELECT * FROM secrets WHERE account_id = ? AND region = ?')
    this.listLive = db.prepare(
      'SELECT * FROM secrets WHERE account_id = ? AND region = ? AND deleted_at IS NULL',
    )
    this.touchSecret = db.prepare(
      'UPDATE secrets SET last_accessed_at = ? WHERE id = ? AND (last_accessed_at IS NULL OR last_accessed_at < ?)',
    )
    this.touchVersion = db.prepare(
      `UPDATE secret_versions SET last_accessed_at = ?
       WHERE secret_id = ? AND version_id = ? AND (last_accessed_at IS NULL OR last_accessed_at < ?)`,
    )
    this.dueForPurge = db.prepare(
      'SELECT id, arn FROM secrets WHERE deletion_date IS NOT NULL AND deletion_date <= ? ORDER BY deletion_date LIMIT ?',
    )
    this.fillValue = db.prepare(
      `UPDATE secret_versions SET kms_key_arn = @kmsKeyArn, value_type = @valueType,
         encrypted_data_key = @encryptedDataKey, ciphertext = @ciphertext
       WHERE secret_id = @secretId AND version_id = @versionId AND value_type IS NULL`,
    )
    this.rotationRows = new RotationRows(db, signal)
  }

  async findByName(accountId: string, region: string, name: string): Promise<SecretRecord | undefined> {
    return this.remembered(`n\0${accountId}\0${region}\0${name}`, () => {
      const row = this.byName.get(accountId, region, name)
      return row === undefined ? undefined : toSecret(row)
    })
  }

  async findByArn(arn: string): Promise<SecretRecord | undefined> {
    return this.remembered(`a\0${arn}`, () => {
      const row = this.byArn.get(arn)
      return row === undefined ? undefined : toSecret(row)
    })
  }

  async findById(id: number): Promise<SecretRecord | undefined> {
    const row = this.byId.get(id)
    return row === undefined ? undefined : toSecret(row)
  }

  async listVersions(secretId: number): Promise<VersionRecord[]> {
    return this.versions.all(secretId).map(toVersion)
  }

  async findVersionByStage(secretId: number, stage: string): Promise<VersionWithValue | undefined> {
    return this.remembered(`s\0${secretId}\0${stage}`, () => {
      const row = this.versionByStage.get(secretId, stage)
      return row === undefined ? undefined : toVersion(row)
    })
  }

  async findVersionById(secretId: number, versionId: string): Promise<VersionWithValue | undefined> {
    return this.remembered(`v\0${secretId}\0${versionId}`, () => {
      const row = this.versionById.get(secretId, versionId)
      return row === undefined ? undefined : toVersion(row)
    })
  }

  async createSecret(secret: NewSecret, version?: NewVersion): Promise<SecretRecord> {
    const create = this.db.transaction(() => {
      joinWriteScope(secret.arn)
      const { lastInsertRowid } = this.insertSecret.run({
        accountId: secret.accountId,
        region: secret.region,
        name: secret.name,
        arn: secret.arn,
        description: secret.description ?? null,
        kmsKeyArn: secret.kmsKeyArn ?? null,
        owningService: secret.owningService ?? null,
        type: secret.type ?? null,
        tags: secret.tags === undefined ? null : JSON.stringify(secret.tags),
        resourcePolicy: secret.resourcePolicy ?? null,
        createdAt: secret.createdAt,
        lastChangedAt: secret.lastChangedAt,
      })
      const id = Number(lastInsertRowid)
      if (version !== undefined) {
        this.addVersion(id, version)
        this.upsertStage.run(id, 'AWSCURRENT', version.versionId)
      }
      return this.byId.get(id)
    })
    try {
      const row = this.writing(() => create.immediate())
      if (row === undefined) throw new Error('secret vanished inside its own transaction')
      return toSecret(row)
    } catch (error) {
      return translateSqliteError(error, UNIQUE)
    }
  }

  async applyChange(change: SecretChange): Promise<void> {
    const apply = this.db.transaction(() => {
      joinWriteScope(this.byId.get(change.secretId)?.arn)
      if (this.bumpRevision.run(change.secretId, change.expectedRevision).changes !== 1) {
        throw new ConflictError(`secret ${change.secretId} changed since revision ${change.expectedRevision}`)
      }
      if (change.update !== undefined) this.update(change.secretId, change.update)
      if (change.addVersion !== undefined) this.addVersion(change.secretId, change.addVersion)
      if (change.fillVersion !== undefined) this.fill(change.secretId, change.fillVersion)
      for (const { stage, versionId } of change.stages ?? []) {
        if (versionId === null) this.deleteStage.run(change.secretId, stage)
        else this.upsertStage.run(change.secretId, stage, versionId)
      }
      for (const versionId of change.dropVersions ?? []) this.dropVersion.run(change.secretId, versionId)
      for (const { versionId, kmsKeyArn, encryptedDataKey } of change.rewrap ?? []) {
        this.rewrapVersion.run(kmsKeyArn, encryptedDataKey, change.secretId, versionId)
      }
      const rotation = change.rotation
      if (rotation?.cancelRunningAt !== undefined)
        this.rotationRows.cancelRunning(change.secretId, rotation.cancelRunningAt)
      if (rotation?.startRun !== undefined) this.rotationRows.insertRun(rotation.startRun)
      this.rotationRows.appendEvents(rotation?.events ?? [])
      this.rotationRows.appendEvents(change.events ?? [])
    })
    try {
      this.writing(() => apply.immediate())
    } catch (error) {
      translateSqliteError(error, UNIQUE)
    }
  }

  async deleteSecret(secretId: number): Promise<void> {
    const remove = this.db.transaction(() => {
      joinWriteScope(this.byId.get(secretId)?.arn)
      this.removeSecret.run(secretId)
    })
    this.writing(() => remove.immediate())
  }

  async listSecrets(
    accountId: string,
    region: string,
    options: { includeDeleted: boolean },
  ): Promise<SecretRecord[]> {
    return (options.includeDeleted ? this.listAll : this.listLive).all(accountId, region).map(toSecret)
  }

  async stagesOf(secretIds: readonly number[]): Promise<Map<number, Map<string, string[]>>> {
    const result = new Map<number, Map<string, string[]>>()
    for (let i = 0; i < secretIds.length; i += 500) {
      const chunk = secretIds.slice(i, i + 500)
      const rows = this.db
        .prepare(
          `SELECT secret_id, version_id, stage FROM secret_stages WHERE secret_id IN (${chunk.map(() => '?').join(',')})
           ORDER BY secret_id, version_id, stage`,
        )
        .all(...chunk) as { secret_id: number; version_id: string; stage: string }[]
      for (const row of rows) {
        let versions = result.get(row.secret_id)
        if (versions === undefined) result.set(row.secret_id, (versions = new Map()))
        const stages = versions.get(row.version_id)
        if (stages === undefined) versions.set(row.version_id, [row.stage])
        else stages.push(row.stage)
      }
    }
    return result
  }

  async recordAccess(secretId: number, versionId: string, day: number): Promise<void> {
    this.writing(() =>
      this.db.transaction(() => {
        this.touchSecret.run(day, secretId, day)
        this.touchVersion.run(day, secretId, versionId, day)
      })(),
    )
  }

  async listDueForPurge(now: number, limit: number): Promise<{ id: number; arn: string }[]> {
    return this.dueForPurge.all(now, limit)
  }

  /** A read remembered until the data may have changed (see the class comment). Callers must not mutate it. */
  private remembered<T>(key: string, load: () => T): T {
    if (this.reads.has(key)) return this.reads.get(key) as T
    const value = load()
    if (this.reads.size >= MAX_CACHED_READS) this.reads.clear()
    this.reads.set(key, value)
    return value
  }

  /** Runs a write through this connection and tells everyone who caches stored data. */
  private writing<T>(write: () => T): T {
    try {
      return write()
    } finally {
      this.freshness.written()
    }
  }

  private addVersion(secretId: number, version: NewVersion): void {
    this.insertVersion.run({
      secretId,
      versionId: version.versionId,
      createdAt: version.createdAt,
      kmsKeyArn: version.kmsKeyArn ?? null,
      valueType: version.value?.valueType ?? null,
      encryptedDataKey: version.value?.encryptedDataKey ?? null,
      ciphertext: version.value?.ciphertext ?? null,
    })
  }

  private fill(secretId: number, version: NewVersion & { value: StoredValue }): void {
    const filled = this.fillValue.run({
      secretId,
      versionId: version.versionId,
      kmsKeyArn: version.kmsKeyArn ?? null,
      valueType: version.value.valueType,
      encryptedDataKey: version.value.encryptedDataKey,
      ciphertext: version.value.ciphertext,
    })
    if (filled.changes !== 1) throw new ConflictError(`version ${version.versionId} has a value or is gone`)
  }

  private update(secretId: number, update: SecretUpdate): void {
    const columns: string[] = []
    const values: unknown[] = []
    const set = (column: string, value: unknown) => {
      columns.push(`${column} = ?`)
      values.push(value)
    }
    if (update.description !== undefined) set('description', update.description)
    if (update.kmsKeyArn !== undefined) set('kms_key_arn', update.kmsKeyArn)
    if (update.type !== undefined) set('type', update.type)
    if (update.tags !== undefined) set('tags', update.tags === null ? null : JSON.stringify(update.tags))
    if (update.resourcePolicy !== undefined) set('resource_policy', update.resourcePolicy)
    if (update.deletedAt !== undefined) set('deleted_at', update.deletedAt)
    if (update.deletionDate !== undefined) set('deletion_date', update.deletionDate)
    if (update.lastChangedAt !== undefined) set('last_changed_at', update.lastChangedAt)
    const rotation = update.rotation
    if (rotation?.enabled !== undefined) set('rotation_enabled', rotation.enabled ? 1 : 0)
    if (rotation?.lambdaArn !== undefined) set('rotation_lambda_arn', rotation.lambdaArn)
    if (rotation?.rules !== undefined) set('rotation_rules', JSON.stringify(rotation.rules))
    if (rotation?.lastRotatedAt !== undefined) set('last_rotated_at', rotation.lastRotatedAt)
    if (rotation?.nextRotationAt !== undefined) set('next_rotation_at', rotation.nextRotationAt)
    if (rotation?.dueAt !== undefined) set('rotation_due_at', rotation.dueAt)
    if (columns.length === 0) return
    const sql = `UPDATE secrets SET ${columns.join(', ')} WHERE id = ?`
    let statement = this.updates.get(sql)
    if (statement === undefined) this.updates.set(sql, (statement = this.db.prepare(sql)))
    statement.run(...values, secretId)
  }
}
