import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { compareKeys, page } from '../pagination.js'
import { bySecretId } from '../targets.js'

const DEFAULT_PAGE = 100
const DEFAULT_KEY_ID = 'DefaultEncryptionKey'

/**
 * Versions oldest first; deprecated ones only with IncludeDeprecated, and then without VersionStages.
 * `KmsKeyIds` is `["DefaultEncryptionKey"]` for the AWS-managed key (spec §3.3). Works on secrets
 * scheduled for deletion.
 */
export const listSecretVersionIds = (d: SecretsManagerDeps) =>
  smOperation('ListSecretVersionIds', { readOnly: true, target: bySecretId(d) }, async (input, ctx) => {
    const secret = await d.lookup.require(ctx, input.SecretId)
    const versions = (await d.store.listVersions(secret.id))
      .filter((version) => input.IncludeDeprecated === true || version.stages.length > 0)
      .sort((a, b) => compareKeys(a.createdAt, a.versionId, b.createdAt, b.versionId))
    const result = page(versions, {
      query: `ListSecretVersionIds:${secret.arn}:${input.IncludeDeprecated === true}`,
      token: input.NextToken,
      limit: input.MaxResults ?? DEFAULT_PAGE,
      keyOf: (version) => ({ key: version.createdAt, tie: version.versionId }),
    })
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: result.items.map((version) => ({
        VersionId: version.versionId,
        ...(version.stages.length > 0 && { VersionStages: [...version.stages] }),
        ...(version.lastAccessedAt !== undefined && { LastAccessedDate: new Date(version.lastAccessedAt) }),
        CreatedDate: new Date(version.createdAt),
        KmsKeyIds: [version.kmsKeyArn ?? DEFAULT_KEY_ID],
      })),
      ...(result.nextToken !== undefined && { NextToken: result.nextToken }),
    }
  })
