import type { Parameter } from '../../../../aws-api/ssm/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { compileFilters } from '../domain/filters.js'
import { normalizePath, parameterArn, trimName } from '../domain/names.js'
import { collectPage } from '../listing.js'
import { msg } from '../messages.js'
import { decodeToken, encodeToken } from '../pagination.js'
import { parameterView } from '../presenter.js'
import type { ParameterVersion } from '../store.js'
import { scopeOf } from '../targets.js'

const DEFAULT_PAGE = 10

/**
 * The parameters one level (or, `Recursive`, all levels) under a path, ordered by name, with the
 * `Type`/`KeyId`/`Label` filters (spec §5.2). Access to a path is access to everything below it, so the
 * path alone is authorized [M GetParametersByPathRequest.Recursive]. Secrets Manager references are
 * not listed (§5.3).
 */
export const getParametersByPath = (d: SsmDeps) =>
  ssmOperation(
    'GetParametersByPath',
    {
      readOnly: true,
      target: async (input, ctx) => {
        const path = input.Path.replace(/^ +| +$/g, '')
        const key = normalizePath(path) ?? (path.startsWith('/') ? path : `/${path}`)
        return {
          resource: parameterArn(scopeOf(ctx), key),
          context: new Map([['ssm:recursive', String(input.Recursive === true)]]),
        }
      },
    },
    async (input, ctx) => {
      const path = normalizePath(trimName(input.Path))
      if (path === undefined) throw new ValidationException(msg.invalidPath)
      const recursive = input.Recursive === true
      const predicate = compileFilters(input.ParameterFilters, 'by-path')
      const query = `ByPath\n${path}\n${recursive}`
      const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken, query, 'string')
      const scope = scopeOf(ctx)
      const withDecryption = input.WithDecryption === true
      const page = await collectPage(
        (cursor, limit) =>
          d.store.list(scope, {
            under: { path, recursive },
            limit,
            ...(cursor !== undefined && { after: cursor }),
          }),
        async (parameter) => {
          if (!predicate.test(parameter)) return undefined
          let version: ParameterVersion | undefined = parameter.latest
          if (predicate.labels !== undefined) {
            version = undefined
            for (const label of predicate.labels) {
              version ??= await d.store.findVersionByLabel(parameter.id, label)
            }
          }
          return version === undefined ? undefined : { parameter, version }
        },
        input.MaxResults ?? DEFAULT_PAGE,
        after,
      )
      const parameters: Parameter[] = []
      for (const { parameter, version } of page.items) {
        const value = await d.reader.value(ctx, parameter, version, withDecryption)
        parameters.push(parameterView(parameter, version, { name: undefined, value }))
      }
      return {
        Parameters: parameters,
        ...(page.next !== undefined && { NextToken: encodeToken(query, page.next) }),
      }
    },
  )
