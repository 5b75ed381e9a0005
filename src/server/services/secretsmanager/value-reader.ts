import { InvalidRequestException, ResourceNotFoundException } from '../../../aws-api/secretsmanager/errors.js'
import type { SecretValueEntry } from '../../../aws-api/secretsmanager/types.js'
import { utcDay } from '../../../lib/clock.js'
import type { RequestContext } from '../../core/context.js'
import { AWSCURRENT } from './domain/stages.js'
import { msg } from './messages.js'
import type { SecretRecord, SecretStore, StoredValue, VersionWithValue } from './store.js'
import type { ValueCrypto } from './value-crypto.js'

export interface VersionSelector {
  readonly versionId?: string | undefined
  readonly stage?: string | undefined
}

/**
 * Reads a secret value (GetSecretValue, BatchGetSecretValue; spec §3.5): selects the version, decrypts
 * it, and records LastAccessedDate — a write only on the first read of a UTC day, not on every read.
 */
export class ValueReader {
  constructor(private readonly deps: { store: SecretStore; crypto: ValueCrypto }) {}

  async read(
    ctx: RequestContext,
    secret: SecretRecord,
    selector: VersionSelector,
  ): Promise<SecretValueEntry> {
    const { version, stored } = await this.select(secret, selector)
    const value = await this.deps.crypto.open(ctx, secret.arn, version.versionId, stored)
    const day = utcDay(ctx.now)
    if ((secret.lastAccessedAt ?? -1) < day || (version.lastAccessedAt ?? -1) < day) {
      await this.deps.store.recordAccess(secret.id, version.versionId, day)
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...(value.type === 'string'
        ? { SecretString: value.bytes.toString('utf8') }
        : { SecretBinary: value.bytes }),
      VersionStages: [...version.stages],
      CreatedDate: new Date(version.createdAt),
    }
  }

  private async select(
    secret: SecretRecord,
    selector: VersionSelector,
  ): Promise<{ version: VersionWithValue; stored: StoredValue }> {
    const { versionId, stage } = selector
    if (versionId !== undefined) {
      const version = await this.deps.store.findVersionById(secret.id, versionId)
      if (version === undefined) throw new ResourceNotFoundException(msg.valueNotFoundForVersion(versionId))
      if (stage !== undefined && !version.stages.includes(stage))
        throw new InvalidRequestException(msg.stageNotOnVersion)
      if (version.value === undefined)
        throw new ResourceNotFoundException(msg.valueNotFoundForVersion(versionId))
      return { version, stored: version.value }
    }
    const label = stage ?? AWSCURRENT
    const version = await this.deps.store.findVersionByStage(secret.id, label)
    if (version?.value === undefined) throw new ResourceNotFoundException(msg.valueNotFoundForStage(label))
    return { version, stored: version.value }
  }
}
