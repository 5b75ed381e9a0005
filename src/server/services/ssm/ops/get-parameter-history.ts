import { ParameterNotFound } from '../../../../aws-api/ssm/errors.js'
import type { ParameterHistory } from '../../../../aws-api/ssm/types.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { parseReference, trimName } from '../domain/names.js'
import { msg } from '../messages.js'
import { decodeToken, encodeToken } from '../pagination.js'
import { historyView } from '../presenter.js'
import { byName, scopeOf } from '../targets.js'

const DEFAULT_PAGE = 50

/** Every retained version, oldest first, with its labels; values decrypted only with WithDecryption. */
export const getParameterHistory = (d: SsmDeps) =>
  ssmOperation(
    'GetParameterHistory',
    { readOnly: true, target: byName(d.store, (input) => input.Name) },
    async (input, ctx) => {
      const scope = scopeOf(ctx)
      const reference = parseReference(trimName(input.Name), scope)
      const parameter =
        reference === undefined || reference.selector !== undefined
          ? undefined
          : await d.store.find(scope, reference.key)
      if (reference === undefined || parameter === undefined)
        throw new ParameterNotFound(msg.parameterNotFound)
      const query = `History\n${parameter.id}`
      const after = input.NextToken === undefined ? 0 : decodeToken(input.NextToken, query, 'number')
      const limit = input.MaxResults ?? DEFAULT_PAGE
      const versions = (await d.store.listVersions(parameter.id)).filter((v) => v.version > after)
      const page = versions.slice(0, limit)
      const history: ParameterHistory[] = []
      for (const version of page) {
        const value = await d.reader.value(ctx, parameter, version, input.WithDecryption === true)
        history.push(historyView(reference.echo ?? parameter.name, version, value))
      }
      const last = page[page.length - 1]
      return {
        Parameters: history,
        ...(versions.length > limit && last !== undefined && { NextToken: encodeToken(query, last.version) }),
      }
    },
  )
