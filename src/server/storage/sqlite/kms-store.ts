import type { AliasRecord, KeyRecord, KmsStore } from '../../services/kms/store.js'
import type { SqliteDb } from './database.js'
import { translateSqliteError } from './errors.js'

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
}

export class SqliteKmsStore implements KmsStore {
  constructor(private readonly db: SqliteDb) {}

  async findKey(keyId: string): Promise<KeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM kms_keys WHERE key_id = ?').get(keyId) as KeyRow | undefined
    if (row === undefined) return undefined
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
    }
  }

  async findAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined> {
    const row = this.db
      .prepare('SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?')
      .get(accountId, region, aliasName) as
      { target_key_id: string; created_at: number; updated_at: number } | undefined
    if (row === undefined) return undefined
    return {
      accountId,
      region,
      aliasName,
      targetKeyId: row.target_key_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  }

  async findSealedMaterial(keyId: string, materialId: string): Promise<Buffer | undefined> {
    const row = this.db
      .prepare('SELECT sealed_material FROM kms_key_materials WHERE key_id = ? AND material_id = ?')
      .get(keyId, materialId) as { sealed_material: Buffer } | undefined
    return row?.sealed_material
  }

  async createKey(
    key: KeyRecord,
    material: { materialId: string; sealed: Buffer },
    alias?: AliasRecord,
  ): Promise<void> {
    const create = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO kms_keys (key_id, account_id, region, arn, key_manager, key_state, description,
             current_material_id, created_at, deletion_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        )
      this.db
        .prepare(
          'INSERT INTO kms_key_materials (key_id, material_id, sealed_material, created_at) VALUES (?, ?, ?, ?)',
        )
        .run(key.keyId, material.materialId, material.sealed, key.createdAt)
      if (alias !== undefined) {
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
    })
    try {
      create.immediate()
    } catch (error) {
      translateSqliteError(error, {
        'kms_aliases.account_id, kms_aliases.region, kms_aliases.alias_name': 'kms_alias',
        'kms_keys.key_id': 'kms_key',
      })
    }
  }
}
