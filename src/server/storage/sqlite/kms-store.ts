import type { Statement } from 'better-sqlite3'
import { ConflictError } from '../../../lib/neutral-errors.js'
import type {
  AliasRecord,
  KeyChanges,
  KeyRecord,
  KmsStore,
  MaterialRecord,
  NewMaterial,
  RotationType,
} from '../../services/kms/store.js'
import type { SqliteDb } from './database.js'
import { translateSqliteError } from './errors.js'
import { joinWriteScope } from '../write-scope.js'

interface KeyRow {
  key_id: string
  account_id: string
  region: string
  arn: string
  key_manager: 'AWS' | 'CUSTOMER'
  key_state: 'Enabled' | 'Disabled' | 'PendingDeletion'
  description: string
  current_material_id: string
  created_at: number
  deletion_date: number | null
  pending_window_days: number | null
  policy: string | null
  tags: string
  rotation_enabled: 0 | 1
  rotation_period_days: number | null
  next_rotation_at: number | null
  revision: number
}

interface AliasRow {
  account_id: string
  region: string
  alias_name: string
  target_key_id: string
  created_at: number
  updated_at: number
}

const CONSTRAINTS = {
  'kms_aliases.account_id, kms_aliases.region, kms_aliases.alias_name': 'kms_alias',
  'kms_keys.key_id': 'kms_key',
  'kms_key_materials.key_id, kms_key_materials.material_id': 'kms_material',
}

/** Column of each `KeyChanges` member; values are converted by `toColumn`. */
const CHANGE_COLUMNS: Record<keyof KeyChanges, string> = {
  keyState: 'key_state',
  description: 'description',
  policy: 'policy',
  tags: 'tags',
  rotationEnabled: 'rotation_enabled',
  rotationPeriodDays: 'rotation_period_days',
  nextRotationAt: 'next_rotation_at',
  deletionDate: 'deletion_date',
  pendingWindowDays: 'pending_window_days',
}

function toColumn(name: keyof KeyChanges, value: unknown): unknown {
  if (name === 'tags') return JSON.stringify(value)
  if (name === 'rotationEnabled') return value === true ? 1 : 0
  return value
}

function keyFromRow(row: KeyRow): KeyRecord {
  return {
    keyId: row.key_id,
    accountId: row.account_id,
    region: row.region,
    arn: row.arn,
    keyManager: row.key_manager,
    keyState: row.key_state,
    description: row.description,
    currentMaterialId: row.current_material_id,
    createdAt: row.created_at,
    ...(row.deletion_date !== null && { deletionDate: row.deletion_date }),
    ...(row.pending_window_days !== null && { pendingWindowDays: row.pending_window_days }),
    ...(row.policy !== null && { policy: row.policy }),
    tags: JSON.parse(row.tags) as KeyRecord['tags'],
    rotationEnabled: row.rotation_enabled === 1,
    ...(row.rotation_period_days !== null && { rotationPeriodDays: row.rotation_period_days }),
    ...(row.next_rotation_at !== null && { nextRotationAt: row.next_rotation_at }),
    revision: row.revision,
  }
}

function aliasFromRow(row: AliasRow): AliasRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    aliasName: row.alias_name,
    targetKeyId: row.target_key_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/**
 * SQLite adapter of the KMS port. Every commit is announced through `freshness` so caches of keys
 * (KmsKeys) drop what they remember at once, in this process; other processes notice the commit
 * through `PRAGMA data_version` at their next request.
 */
export class SqliteKmsStore implements KmsStore {
  /** The lookups on the request path, prepared once. */
  private readonly byKeyId: Statement<[string], KeyRow>
  private readonly byAlias: Statement<[string, string, string], AliasRow>
  private readonly sealedMaterial: Statement<[string, string], { sealed_material: Buffer }>

  constructor(
    private readonly db: SqliteDb,
    private readonly freshness?: { written(): void },
  ) {
    this.byKeyId = db.prepare('SELECT * FROM kms_keys WHERE key_id = ?')
    this.byAlias = db.prepare(
      'SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?',
    )
    this.sealedMaterial = db.prepare(
      'SELECT sealed_material FROM kms_key_materials WHERE key_id = ? AND material_id = ?',
    )
  }

  async findKey(keyId: string): Promise<KeyRecord | undefined> {
    const row = this.byKeyId.get(keyId)
    return row === undefined ? undefined : keyFromRow(row)
  }

  async findAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined> {
    const row = this.byAlias.get(accountId, region, aliasName)
    return row === undefined ? undefined : aliasFromRow(row)
  }

  async findSealedMaterial(keyId: string, materialId: string): Promise<Buffer | undefined> {
    return this.sealedMaterial.get(keyId, materialId)?.sealed_material
  }

  async createKey(key: KeyRecord, material: NewMaterial, alias?: AliasRecord): Promise<void> {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO kms_keys (key_id, account_id, region, arn, key_manager, key_state, description,
             current_material_id, created_at, deletion_date, pending_window_days, policy, tags,
             rotation_enabled, rotation_period_days, next_rotation_at, revision)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          key.keyId,
          key.accountId,
          key.region,
          key.arn,
          key.keyManager,
          key.keyState,
          key.description,
          key.currentMaterialId,
          key.createdAt,
          key.deletionDate ?? null,
          key.pendingWindowDays ?? null,
          key.policy ?? null,
          JSON.stringify(key.tags),
          key.rotationEnabled ? 1 : 0,
          key.rotationPeriodDays ?? null,
          key.nextRotationAt ?? null,
          key.revision,
        )
      this.insertMaterial(key.keyId, { ...material, createdAt: key.createdAt, rotationType: undefined })
      if (alias !== undefined) this.insertAlias(alias)
    })
  }

  async listKeys(accountId: string, region: string, afterKeyId: string | undefined, limit: number) {
    const rows = this.db
      .prepare(
        'SELECT * FROM kms_keys WHERE account_id = ? AND region = ? AND key_id > ? ORDER BY key_id LIMIT ?',
      )
      .all(accountId, region, afterKeyId ?? '', limit) as KeyRow[]
    return rows.map(keyFromRow)
  }

  async listAliases(
    accountId: string,
    region: string,
    options: { targetKeyId?: string; afterName?: string; limit: number },
  ): Promise<AliasRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name > ?
           AND (? IS NULL OR target_key_id = ?) ORDER BY alias_name LIMIT ?`,
      )
      .all(
        accountId,
        region,
        options.afterName ?? '',
        options.targetKeyId ?? null,
        options.targetKeyId ?? null,
        options.limit,
      ) as AliasRow[]
    return rows.map(aliasFromRow)
  }

  async listMaterials(keyId: string): Promise<MaterialRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT material_id, created_at, rotation_type FROM kms_key_materials WHERE key_id = ?
         ORDER BY created_at, rowid`,
      )
      .all(keyId) as { material_id: string; created_at: number; rotation_type: RotationType | null }[]
    return rows.map((row) => ({
      materialId: row.material_id,
      createdAt: row.created_at,
      ...(row.rotation_type !== null && { rotationType: row.rotation_type }),
    }))
  }

  async updateKey(keyId: string, revision: number, changes: KeyChanges): Promise<KeyRecord> {
    return this.write(() => this.applyChanges(keyId, revision, changes))
  }

  async addMaterial(
    keyId: string,
    revision: number,
    material: NewMaterial & { createdAt: number; rotationType: RotationType },
    changes: KeyChanges = {},
  ): Promise<KeyRecord> {
    return this.write(() => {
      const key = this.applyChanges(keyId, revision, changes, material.materialId)
      this.insertMaterial(keyId, material)
      return key
    })
  }

  async createAlias(alias: AliasRecord): Promise<void> {
    this.write(() => this.insertAlias(alias))
  }

  async updateAlias(alias: AliasRecord): Promise<boolean> {
    return this.write(
      () =>
        this.db
          .prepare(
            `UPDATE kms_aliases SET target_key_id = ?, updated_at = ?
             WHERE account_id = ? AND region = ? AND alias_name = ?`,
          )
          .run(alias.targetKeyId, alias.updatedAt, alias.accountId, alias.region, alias.aliasName).changes >
        0,
    )
  }

  async deleteAlias(accountId: string, region: string, aliasName: string): Promise<boolean> {
    return this.write(
      () =>
        this.db
          .prepare('DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?')
          .run(accountId, region, aliasName).changes > 0,
    )
  }

  async listKeysDueForDeletion(now: number, limit: number): Promise<KeyRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM kms_keys WHERE key_state = 'PendingDeletion' AND deletion_date <= ?
         ORDER BY deletion_date LIMIT ?`,
      )
      .all(now, limit) as KeyRow[]
    return rows.map(keyFromRow)
  }

  async deleteKeyIfDue(keyId: string, now: number): Promise<boolean> {
    // Materials and aliases go with the key (ON DELETE CASCADE).
    return this.write(
      () =>
        this.db
          .prepare(
            `DELETE FROM kms_keys WHERE key_id = ? AND key_state = 'PendingDeletion' AND deletion_date <= ?`,
          )
          .run(keyId, now).changes > 0,
    )
  }

  async listKeysDueForRotation(now: number, limit: number): Promise<KeyRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM kms_keys WHERE rotation_enabled = 1 AND next_rotation_at <= ? AND key_state = 'Enabled'
         ORDER BY next_rotation_at LIMIT ?`,
      )
      .all(now, limit) as KeyRow[]
    return rows.map(keyFromRow)
  }

  /** Runs `body` in an IMMEDIATE transaction, translates constraint errors, announces the commit. */
  private write<T>(body: () => T): T {
    let result: T
    try {
      result = this.db
        .transaction(() => {
          joinWriteScope()
          return body()
        })
        .immediate()
    } catch (error) {
      if (error instanceof ConflictError) throw error
      translateSqliteError(error, CONSTRAINTS)
    }
    this.freshness?.written()
    return result
  }

  private applyChanges(
    keyId: string,
    revision: number,
    changes: KeyChanges,
    currentMaterialId?: string,
  ): KeyRecord {
    const sets = ['revision = revision + 1']
    const values: unknown[] = []
    for (const [name, value] of Object.entries(changes) as [keyof KeyChanges, unknown][]) {
      if (value === undefined) continue
      sets.push(`${CHANGE_COLUMNS[name]} = ?`)
      values.push(toColumn(name, value))
    }
    if (currentMaterialId !== undefined) {
      sets.push('current_material_id = ?')
      values.push(currentMaterialId)
    }
    const row = this.db
      .prepare(`UPDATE kms_keys SET ${sets.join(', ')} WHERE key_id = ? AND revision = ? RETURNING *`)
      .get(...values, keyId, revision) as KeyRow | undefined
    if (row === undefined) throw new ConflictError(`kms key ${keyId} changed`)
    return keyFromRow(row)
  }

  private insertMaterial(
    keyId: string,
    material: NewMaterial & { createdAt: number; rotationType: RotationType | undefined },
  ): void {
    this.db
      .prepare(
        `INSERT INTO kms_key_materials (key_id, material_id, sealed_material, created_at, rotation_type)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(keyId, material.materialId, material.sealed, material.createdAt, material.rotationType ?? null)
  }

  private insertAlias(alias: AliasRecord): void {
    this.db
      .prepare(
        `INSERT INTO kms_aliases (account_id, region, alias_name, target_key_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        alias.accountId,
        alias.region,
        alias.aliasName,
        alias.targetKeyId,
        alias.createdAt,
        alias.updatedAt,
      )
  }
}
