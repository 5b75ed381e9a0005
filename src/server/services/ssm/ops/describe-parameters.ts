import { ValidationException } from '../../../../lib/aws/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { compileFilters, compileLegacyFilters } from '../domain/filters.js'
import { collectPage } from '../listing.js'
import { msg } from '../messages.js'
import { decodeToken, encodeToken } from '../pagination.js'
import { metadataView } from '../presenter.js'
import { scopeOf } from '../targets.js'

const DEFAULT_PAGE = 10
const QUERY = 'Describe'

/**
 * Metadata of the caller's parameters, ordered by name, with ParameterFilters (or the deprecated
 * Filters, never both; spec §5.2). Nothing is shared with other accounts, so `Shared` lists nothing.
 * Secrets Manager references are not listed (§5.3).
 */
export const describeParameters = (d: SsmDeps) =>
  ssmOperation('DescribeParameters', { readOnly: true }, async (input, ctx) => {
    if (input.Filters !== undefined && input.ParameterFilters !== undefined) {
      throw new ValidationException(msg.bothFilterKinds)
    }
    const predicate =
      input.Filters !== undefined
        ? compileLegacyFilters(input.Filters)
        : compileFilters(input.ParameterFilters, 'describe')
    const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken, QUERY, 'string')
    if (input.Shared === true) return { Parameters: [] }
    const scope = scopeOf(ctx)
    const page = await collectPage(
      (cursor, limit) => d.store.list(scope, { limit, ...(cursor !== undefined && { after: cursor }) }),
      async (parameter) => (predicate.test(parameter) ? parameter : undefined),
      input.MaxResults ?? DEFAULT_PAGE,
      after,
    )
    return {
      Parameters: page.items.map(metadataView),
      ...(page.next !== undefined && { NextToken: encodeToken(QUERY, page.next) }),
    }
  })
