/**
 * Parameter Store's storage port. Adapters (SQLite today, PostgreSQL as a sibling) implement it and
 * pass the shared contract suite in `src/server/storage/contract/ssm-store.contract.ts`.
 *
 * Contract:
 * - Missing items are `undefined` / empty, never errors.
 * - A parameter is identified by its key: the name with exactly one leading slash (`/param-x` for
 *   both `param-x` and `/param-x`, `/a/b` for `/a/b`; spec §5.1), unique per account and region.
 *   `create` throws `UniqueViolationError('parameter_name')` when the key is taken.
 * - Every write is one transaction. `applyChange` first checks `expectedRevision` and throws
 *   `ConflictError` when the parameter changed (or vanished) since it was read — the caller re-reads
 *   and recomputes; a version number that exists throws `UniqueViolationError('parameter_version')`.
 * - A label sits on at most one version of a parameter and on an existing one; dropping a version
 *   drops its labels; deleting a parameter deletes everything it owns.
 * - SecureString values are stored only as KMS ciphertext; adapters never see their plaintext.
 * - Listings are ordered by key (code-unit order) and resume strictly after `after`.
 * - Reads are safe to run concurrently with writes from any process.
 */
export type ParameterType = 'String' | 'StringList' | 'SecureString'

/** Stored tiers: Intelligent-Tiering is a request option that resolves to one of these. */
export type StoredTier = 'Standard' | 'Advanced'

export interface ParameterScope {
  readonly accountId: string
  readonly region: string
}

export interface Tag {
  readonly Key: string
  readonly Value: string
}

export interface NewVersion {
  readonly version: number
  readonly type: ParameterType
  /** String/StringList: the value's UTF-8 bytes. SecureString: the KMS ciphertext blob. */
  readonly value: Buffer
  /** SecureString only: the KeyId as the caller gave it (default `alias/aws/ssm`). */
  readonly keyId?: string
  readonly description?: string
  readonly allowedPattern?: string
  readonly dataType: string
  readonly tier: StoredTier
  readonly lastModifiedAt: number
  /** The ARN of the principal that wrote the version. */
  readonly lastModifiedUser: string
}

export interface ParameterVersion extends NewVersion {
  /** The version's labels, sorted. */
  readonly labels: readonly string[]
}

export interface ParameterRecord extends ParameterScope {
  readonly id: number
  /** The name with one leading slash: the parameter's identity. */
  readonly key: string
  /** The name as it was created (with or without the leading slash of a single-level name). */
  readonly name: string
  readonly tags: readonly Tag[]
  readonly revision: number
  /** The latest version. */
  readonly latest: ParameterVersion
}

export interface NewParameter extends ParameterScope {
  readonly key: string
  readonly name: string
  readonly tags: readonly Tag[]
}

export interface ParameterChange {
  readonly parameterId: number
  readonly expectedRevision: number
  readonly tags?: readonly Tag[]
  /** Becomes the latest version. */
  readonly addVersion?: NewVersion
  /** Old versions to delete (retention), with their labels. Applied before `labels`. */
  readonly dropVersions?: readonly number[]
  /** Label moves, in order: `version: null` detaches the label. */
  readonly labels?: readonly { readonly label: string; readonly version: number | null }[]
}

export interface ListQuery {
  /** Only parameters under `path` (a key without trailing slash, `/` for the root): one level or all. */
  readonly under?: { readonly path: string; readonly recursive: boolean }
  /** Resume strictly after this key. */
  readonly after?: string
  readonly limit: number
}

export interface SsmStore {
  find(scope: ParameterScope, key: string): Promise<ParameterRecord | undefined>
  findVersion(parameterId: number, version: number): Promise<ParameterVersion | undefined>
  findVersionByLabel(parameterId: number, label: string): Promise<ParameterVersion | undefined>
  /** Every retained version, oldest first. */
  listVersions(parameterId: number): Promise<ParameterVersion[]>
  /** Parameters of an account and region (with their latest version), ordered by key. */
  list(scope: ParameterScope, query: ListQuery): Promise<ParameterRecord[]>
  create(parameter: NewParameter, first: NewVersion): Promise<ParameterRecord>
  applyChange(change: ParameterChange): Promise<void>
  /** Removes a parameter and everything it owns; false when it was already gone. */
  delete(parameterId: number): Promise<boolean>
}
