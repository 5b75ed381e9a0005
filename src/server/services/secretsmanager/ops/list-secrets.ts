import type { SortByType } from '../../../../aws-api/secretsmanager/types.js'
import type { RequestContext } from '../../../core/context.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { compileFilters, type SecretFilter } from '../domain/list-filters.js'
import { compareKeys, page } from '../pagination.js'
import { secretListEntry } from '../presenter.js'
import type { SecretRecord } from '../store.js'

const DEFAULT_PAGE = 100

const SORT_KEYS: Record<SortByType, (secret: SecretRecord) => string | number> = {
  'created-date': (secret) => secret.createdAt,
  'last-accessed-date': (secret) => secret.lastAccessedAt ?? 0,
  'last-changed-date': (secret) => secret.lastChangedAt,
  name: (secret) => secret.name,
}

/** Filters, sorting (default: creation date, ascending) and pagination, as on AWS (spec §3.8). */
export const listSecrets = (d: SecretsManagerDeps) =>
  smOperation('ListSecrets', { readOnly: true }, async (input, ctx) => {
    const sortBy = input.SortBy ?? 'created-date'
    const descending = input.SortOrder === 'desc'
    const found = await matchingSecrets(
      d,
      ctx,
      input.Filters,
      input.IncludePlannedDeletion === true,
      sortBy,
      descending,
    )
    const result = page(found, {
      query: `ListSecrets:${sortBy}:${descending ? 'desc' : 'asc'}`,
      token: input.NextToken,
      limit: input.MaxResults ?? DEFAULT_PAGE,
      descending,
      keyOf: (secret) => ({ key: SORT_KEYS[sortBy](secret), tie: secret.arn }),
    })
    const stages = await d.store.stagesOf(result.items.map((secret) => secret.id))
    return {
      SecretList: result.items.map((secret) => secretListEntry(secret, stages.get(secret.id))),
      ...(result.nextToken !== undefined && { NextToken: result.nextToken }),
    }
  })

/** The caller's secrets in this region that pass `filters`, sorted. Shared with BatchGetSecretValue. */
export async function matchingSecrets(
  d: Pick<SecretsManagerDeps, 'store'>,
  ctx: RequestContext,
  filters: readonly SecretFilter[] | undefined,
  includeDeleted: boolean,
  sortBy: SortByType,
  descending: boolean,
): Promise<SecretRecord[]> {
  const predicate = compileFilters(filters)
  const secrets = await d.store.listSecrets(ctx.principal.accountId, ctx.region, { includeDeleted })
  const keyOf = SORT_KEYS[sortBy]
  const direction = descending ? -1 : 1
  return secrets
    .filter((secret) =>
      predicate({
        name: secret.name,
        description: secret.description,
        tags: secret.tags ?? [],
        owningService: secret.owningService,
      }),
    )
    .sort((a, b) => direction * compareKeys(keyOf(a), a.arn, keyOf(b), b.arn))
}
