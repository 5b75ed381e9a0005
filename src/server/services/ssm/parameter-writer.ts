import { ParameterAlreadyExists, ParameterMaxVersionLimitExceeded } from '../../../aws-api/ssm/errors.js'
import type { PutParameterRequest, PutParameterResult } from '../../../aws-api/ssm/types.js'
import { ValidationException } from '../../../lib/aws/errors.js'
import type { RequestContext } from '../../core/context.js'
import { assertCreatableName, keyOf, parameterArn, trimName } from './domain/names.js'
import {
  assertDataType,
  assertMatchesPattern,
  assertNoPolicies,
  assertValue,
  resolveTier,
} from './domain/values.js'
import { msg } from './messages.js'
import { retryOnConflict } from './retry.js'
import { DEFAULT_KEY_ID, type SecureValues } from './secure-values.js'
import type { NewVersion, ParameterRecord, ParameterScope, SsmStore } from './store.js'
import { assertTagCount, mergeTags } from './tags.js'
import { scopeOf } from './targets.js'

/** Parameter Store keeps the 100 most recent versions of a parameter [M ParameterMaxVersionLimitExceeded]. */
export const MAX_VERSIONS = 100

/**
 * PutParameter (spec §5.2): validates the request completely before anything is written (the KMS
 * managed key included), then creates version 1 or adds version n+1 — under optimistic concurrency, so
 * concurrent puts each get their own version number. Attributes the request leaves out (type,
 * description, allowed pattern, KeyId, data type, tier) carry over from the latest version.
 */
export class ParameterWriter {
  constructor(private readonly deps: { store: SsmStore; secure: SecureValues }) {}

  async put(input: PutParameterRequest, ctx: RequestContext): Promise<PutParameterResult> {
    const scope = scopeOf(ctx)
    const name = trimName(input.Name)
    assertCreatableName(name, scope)
    const overwrite = input.Overwrite === true
    if (overwrite && input.Tags !== undefined && input.Tags.length > 0) {
      throw new ValidationException(msg.tagsWithOverwrite)
    }
    assertValue(input.Value)
    assertNoPolicies(input.Policies)
    const tags = mergeTags([], input.Tags ?? [])
    assertTagCount(tags, () => new ValidationException(msg.tooManyTags))
    const key = keyOf(name)
    return retryOnConflict(async () => {
      const existing = await this.deps.store.find(scope, key)
      if (existing !== undefined && !overwrite) throw new ParameterAlreadyExists(msg.parameterExists)
      const version = await this.nextVersion(input, scope, key, existing, ctx)
      if (existing === undefined) {
        await this.deps.store.create({ ...scope, key, name, tags }, version.version)
      } else {
        await this.deps.store.applyChange({
          parameterId: existing.id,
          expectedRevision: existing.revision,
          addVersion: version.version,
          dropVersions: version.drop,
        })
      }
      return { Version: version.version.version, Tier: version.version.tier }
    })
  }

  private async nextVersion(
    input: PutParameterRequest,
    scope: ParameterScope,
    key: string,
    existing: ParameterRecord | undefined,
    ctx: RequestContext,
  ): Promise<{ version: NewVersion; drop: number[] }> {
    const previous = existing?.latest
    const type = input.Type ?? previous?.type
    if (type === undefined) throw new ValidationException(msg.typeRequired)
    const dataType = input.DataType ?? previous?.dataType ?? 'text'
    assertDataType(dataType, type, input.Value)
    const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern
    assertMatchesPattern(allowedPattern, input.Value)
    const tier = resolveTier(input.Tier, previous?.tier, Buffer.byteLength(input.Value, 'utf8'))
    const drop = existing === undefined ? [] : await this.retention(existing)
    const description = input.Description ?? previous?.description
    const version = {
      version: (previous?.version ?? 0) + 1,
      type,
      ...(description !== undefined && { description }),
      ...(allowedPattern !== undefined && { allowedPattern }),
      dataType,
      tier,
      lastModifiedAt: ctx.now,
      lastModifiedUser: ctx.principal.arn,
    }
    if (type !== 'SecureString') {
      return { version: { ...version, value: Buffer.from(input.Value, 'utf8') }, drop }
    }
    const keyId =
      input.KeyId ?? (previous?.type === 'SecureString' ? previous.keyId : undefined) ?? DEFAULT_KEY_ID
    const kmsKey = await this.deps.secure.key(ctx, keyId)
    const value = await this.deps.secure.seal(ctx, kmsKey, keyId, parameterArn(scope, key), input.Value)
    return { version: { ...version, keyId, value }, drop }
  }

  /** The oldest versions to drop so that at most 100 remain; a labelled one stops the put. */
  private async retention(existing: ParameterRecord): Promise<number[]> {
    if (existing.latest.version < MAX_VERSIONS) return []
    const versions = await this.deps.store.listVersions(existing.id)
    const excess = versions.slice(0, Math.max(0, versions.length - (MAX_VERSIONS - 1)))
    for (const version of excess) {
      if (version.labels.length > 0) {
        throw new ParameterMaxVersionLimitExceeded(msg.maxVersions(existing.name, version.version))
      }
    }
    return excess.map((version) => version.version)
  }
}
