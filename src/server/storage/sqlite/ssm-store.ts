import type { Statement } from 'better-sqlite3'
import { ConflictError } from '../../../lib/neutral-errors.js'
import type {
  ListQuery,
  NewParameter,
  NewVersion,
  ParameterChange,
  ParameterRecord,
  ParameterScope,
  ParameterType,
  ParameterVersion,
  SsmStore,
  StoredTier,
  Tag,
} from '../../services/ssm/store.js'
import type { SqliteDb } from './database.js'
import { translateSqliteError } from './errors.js'
import type { SqliteFreshness } from './freshness.js'
import { joinWriteScope } from '../write-scope.js'

const UNIQUE = {
  'ssm_parameters.account_id, ssm_parameters.region, ssm_parameters.name_key': 'parameter_name',
  'ssm_parameter_versions.parameter_id, ssm_parameter_versions.version': 'parameter_version',
}

interface VersionRow {
  version: number
  type: ParameterType
  value: Buffer
  key_id: string | null
  description: string | null
  allowed_pattern: string | null
  data_type: string
  tier: StoredTier
  last_modified_at: number
  last_modified_user: string
  labels: string
}

interface ParameterRow extends VersionRow {
  id: number
  account_id: string
  region: string
  name_key: string
  name: string
  tags: string
  revision: number
}

const LABELS = `(SELECT json_group_array(label) FROM (SELECT label FROM ssm_parameter_labels l
  WHERE l.parameter_id = v.parameter_id AND l.version = v.version ORDER BY label))`
const VERSION_COLUMNS = `v.version, v.type, v.value, v.key_id, v.description, v.allowed_pattern, v.data_type,
  v.tier, v.last_modified_at, v.last_modified_user, ${LABELS} AS labels`
const PARAMETER_SELECT = `SELECT p.id, p.account_id, p.region, p.name_key, p.name, p.tags, p.revision, ${VERSION_COLUMNS}
  FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.parameter_id = p.id AND v.version = p.version`

/** Bound on remembered reads; the cache is simply emptied when it fills up. */
const MAX_CACHED_READS = 20_000

/**
 * The SQLite adapter of `SsmStore`; every statement is prepared once. Lookups by key, version and label
 * are remembered until the data may have changed, as told by `Freshness` (another process's commit,
 * seen at the start of a request, or a write through this connection) — as `SqliteSecretStore` does.
 */
export class SqliteSsmStore implements SsmStore {
  private readonly byKey: Statement<[string, string, string], ParameterRow>
  private readonly byId: Statement<[number], ParameterRow>
  private readonly versionByNumber: Statement<[number, number], VersionRow>
  private readonly versionByLabel: Statement<[number, string], VersionRow>
  private readonly versions: Statement<[number], VersionRow>
  private readonly listAll: Statement<[string, string, string, number], ParameterRow>
  private readonly listRange: Statement<[string, string, string, string, string, number], ParameterRow>
  private readonly listChildren: Statement<[string, string, string, string, number], ParameterRow>
  private readonly insertParameter: Statement
  private readonly insertVersion: Statement
  private readonly bump: Statement<[number, number]>
  private readonly setLatest: Statement<[number, number]>
  private readonly setTags: Statement<[string, number]>
  private readonly dropVersion: Statement<[number, number]>
  private readonly upsertLabel: Statement<[number, string, number]>
  private readonly deleteLabel: Statement<[number, string]>
  private readonly remove: Statement<[number]>
  private readonly reads = new Map<string, unknown>()

  constructor(
    private readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
  ) {
    freshness.subscribe(() => this.reads.clear())
    this.byKey = db.prepare(`${PARAMETER_SELECT} WHERE p.account_id = ? AND p.region = ? AND p.name_key = ?`)
    this.byId = db.prepare(`${PARAMETER_SELECT} WHERE p.id = ?`)
    this.versionByNumber = db.prepare(
      `SELECT ${VERSION_COLUMNS} FROM ssm_parameter_versions v WHERE v.parameter_id = ? AND v.version = ?`,
    )
    this.versionByLabel = db.prepare(
      `SELECT ${VERSION_COLUMNS} FROM ssm_parameter_labels l
       JOIN ssm_parameter_versions v ON v.parameter_id = l.parameter_id AND v.version = l.version
       WHERE l.parameter_id = ? AND l.label = ?`,
    )
    this.versions = db.prepare(
      `SELECT ${VERSION_COLUMNS} FROM ssm_parameter_versions v WHERE v.parameter_id = ? ORDER BY v.version`,
    )
    const scoped = 'p.account_id = ? AND p.region = ? AND p.name_key > ?'
    this.listAll = db.prepare(`${PARAMETER_SELECT} WHERE ${scoped} ORDER BY p.name_key LIMIT ?`)
    this.listRange = db.prepare(
      `${PARAMETER_SELECT} WHERE ${scoped} AND p.name_key >= ? AND p.name_key < ? ORDER BY p.name_key LIMIT ?`,
    )
    this.listChildren = db.prepare(
      `${PARAMETER_SELECT} WHERE ${scoped} AND p.parent_key = ? ORDER BY p.name_key LIMIT ?`,
    )
    this.insertParameter = db.prepare(
      `INSERT INTO ssm_parameters (account_id, region, name_key, name, parent_key, version, tags)
       VALUES (@accountId, @region, @key, @name, @parentKey, @version, @tags)`,
    )
    this.insertVersion = db.prepare(
      `INSERT INTO ssm_parameter_versions (parameter_id, version, type, value, key_id, description,
         allowed_pattern, data_type, tier, last_modified_at, last_modified_user)
       VALUES (@parameterId, @version, @type, @value, @keyId, @description, @allowedPattern, @dataType, @tier,
         @lastModifiedAt, @lastModifiedUser)`,
    )
    this.bump = db.prepare('UPDATE ssm_parameters SET revision = revision + 1 WHERE id = ? AND revision = ?')
    this.setLatest = db.prepare('UPDATE ssm_parameters SET version = ? WHERE id = ?')
    this.setTags = db.prepare('UPDATE ssm_parameters SET tags = ? WHERE id = ?')
    this.dropVersion = db.prepare('DELETE FROM ssm_parameter_versions WHERE parameter_id = ? AND version = ?')
    this.upsertLabel = db.prepare(
      `INSERT INTO ssm_parameter_labels (parameter_id, label, version) VALUES (?, ?, ?)
       ON CONFLICT (parameter_id, label) DO UPDATE SET version = excluded.version`,
    )
    this.deleteLabel = db.prepare('DELETE FROM ssm_parameter_labels WHERE parameter_id = ? AND label = ?')
    this.remove = db.prepare('DELETE FROM ssm_parameters WHERE id = ?')
  }

  async find(scope: ParameterScope, key: string): Promise<ParameterRecord | undefined> {
    return this.remembered(`k\0${scope.accountId}\0${scope.region}\0${key}`, () => {
      const row = this.byKey.get(scope.accountId, scope.region, key)
      return row === undefined ? undefined : toParameter(row)
    })
  }

  async findVersion(parameterId: number, version: number): Promise<ParameterVersion | undefined> {
    return this.remembered(`v\0${parameterId}\0${version}`, () => {
      const row = this.versionByNumber.get(parameterId, version)
      return row === undefined ? undefined : toVersion(row)
    })
  }

  async findVersionByLabel(parameterId: number, label: string): Promise<ParameterVersion | undefined> {
    return this.remembered(`l\0${parameterId}\0${label}`, () => {
      const row = this.versionByLabel.get(parameterId, label)
      return row === undefined ? undefined : toVersion(row)
    })
  }

  async listVersions(parameterId: number): Promise<ParameterVersion[]> {
    return this.versions.all(parameterId).map(toVersion)
  }

  async list(scope: ParameterScope, query: ListQuery): Promise<ParameterRecord[]> {
    const { accountId, region } = scope
    const after = query.after ?? ''
    let rows: ParameterRow[]
    if (query.under === undefined) rows = this.listAll.all(accountId, region, after, query.limit)
    else if (!query.under.recursive) {
      rows = this.listChildren.all(accountId, region, after, query.under.path, query.limit)
    } else {
      // Every key under `/a` starts with `/a/`: the range [`/a/`, `/a0`) (`0` follows `/`).
      const prefix = query.under.path === '/' ? '/' : `${query.under.path}/`
      const end = `${prefix.slice(0, -1)}0`
      rows = this.listRange.all(accountId, region, after, prefix, end, query.limit)
    }
    return rows.map(toParameter)
  }

  async create(parameter: NewParameter, first: NewVersion): Promise<ParameterRecord> {
    const create = this.db.transaction(() => {
      joinWriteScope()
      const { lastInsertRowid } = this.insertParameter.run({
        accountId: parameter.accountId,
        region: parameter.region,
        key: parameter.key,
        name: parameter.name,
        parentKey: parentKey(parameter.key),
        version: first.version,
        tags: JSON.stringify(parameter.tags),
      })
      const id = Number(lastInsertRowid)
      this.addVersion(id, first)
      return this.byId.get(id)
    })
    try {
      const row = this.writing(() => create.immediate())
      if (row === undefined) throw new Error('parameter vanished inside its own transaction')
      return toParameter(row)
    } catch (error) {
      return translateSqliteError(error, UNIQUE)
    }
  }

  async applyChange(change: ParameterChange): Promise<void> {
    const apply = this.db.transaction(() => {
      joinWriteScope()
      const id = change.parameterId
      if (this.bump.run(id, change.expectedRevision).changes !== 1) {
        throw new ConflictError(`parameter ${id} changed since revision ${change.expectedRevision}`)
      }
      if (change.tags !== undefined) this.setTags.run(JSON.stringify(change.tags), id)
      if (change.addVersion !== undefined) {
        this.addVersion(id, change.addVersion)
        this.setLatest.run(change.addVersion.version, id)
      }
      for (const version of change.dropVersions ?? []) this.dropVersion.run(id, version)
      for (const { label, version } of change.labels ?? []) {
        if (version === null) this.deleteLabel.run(id, label)
        else this.upsertLabel.run(id, label, version)
      }
    })
    try {
      this.writing(() => apply.immediate())
    } catch (error) {
      translateSqliteError(error, UNIQUE)
    }
  }

  async delete(parameterId: number): Promise<boolean> {
    const remove = this.db.transaction(() => {
      joinWriteScope()
      return this.remove.run(parameterId).changes === 1
    })
    return this.writing(() => remove.immediate())
  }

  /** A read remembered until the data may have changed. Callers must not mutate it. */
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

  private addVersion(parameterId: number, version: NewVersion): void {
    this.insertVersion.run({
      parameterId,
      version: version.version,
      type: version.type,
      value: version.value,
      keyId: version.keyId ?? null,
      description: version.description ?? null,
      allowedPattern: version.allowedPattern ?? null,
      dataType: version.dataType,
      tier: version.tier,
      lastModifiedAt: version.lastModifiedAt,
      lastModifiedUser: version.lastModifiedUser,
    })
  }
}

/** `/a` for `/a/b`, `/` for `/param-x`. */
function parentKey(key: string): string {
  const slash = key.lastIndexOf('/')
  return slash <= 0 ? '/' : key.slice(0, slash)
}

function toVersion(row: VersionRow): ParameterVersion {
  return {
    version: row.version,
    type: row.type,
    value: row.value,
    ...(row.key_id !== null && { keyId: row.key_id }),
    ...(row.description !== null && { description: row.description }),
    ...(row.allowed_pattern !== null && { allowedPattern: row.allowed_pattern }),
    dataType: row.data_type,
    tier: row.tier,
    lastModifiedAt: row.last_modified_at,
    lastModifiedUser: row.last_modified_user,
    labels: JSON.parse(row.labels) as string[],
  }
}

function toParameter(row: ParameterRow): ParameterRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    key: row.name_key,
    name: row.name,
    tags: JSON.parse(row.tags) as Tag[],
    revision: row.revision,
    latest: toVersion(row),
  }
}
