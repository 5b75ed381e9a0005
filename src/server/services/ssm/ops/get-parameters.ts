import { ParameterVersionNotFound } from '../../../../aws-api/ssm/errors.js'
import type { Parameter } from '../../../../aws-api/ssm/types.js'
import type { RequestContext } from '../../../core/context.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { parseReference, trimName } from '../domain/names.js'
import { parameterView } from '../presenter.js'
import { isSecretReference } from '../secret-reference.js'
import { byName, parameterTarget, resourceOf, scopeOf } from '../targets.js'

const ACTION = 'ssm:GetParameters'

/**
 * Up to 10 parameters (names, ARNs, selectors, Secrets Manager references): found ones in `Parameters`,
 * sorted by name; the others in `InvalidParameters` — `[]` when there are none (spec §5.2). Each
 * parameter is authorized (the core checked the first one).
 */
export const getParameters = (d: SsmDeps) =>
  ssmOperation(
    'GetParameters',
    { readOnly: true, target: byName(d.store, (input) => input.Names[0] ?? '') },
    async (input, ctx) => {
      const withDecryption = input.WithDecryption === true
      const names = [...new Set(input.Names)]
      const found: Parameter[] = []
      const invalid: string[] = []
      const first = resourceOf(ctx, input.Names[0] ?? '').arn
      for (const raw of names) {
        if (resourceOf(ctx, raw).arn !== first)
          await ctx.authorize(ACTION, await parameterTarget(d.store, ctx, raw))
        const parameter = await read(d, ctx, trimName(raw), withDecryption)
        if (parameter === undefined) invalid.push(raw)
        else found.push(parameter)
      }
      found.sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : (a.Name ?? '') > (b.Name ?? '') ? 1 : 0))
      return { Parameters: found, InvalidParameters: invalid }
    },
  )

async function read(
  d: SsmDeps,
  ctx: RequestContext,
  name: string,
  withDecryption: boolean,
): Promise<Parameter | undefined> {
  if (isSecretReference(name)) return d.references.read(ctx, name, withDecryption)
  const reference = parseReference(name, scopeOf(ctx))
  if (reference === undefined) return undefined
  let selected
  try {
    selected = await d.reader.select(scopeOf(ctx), reference)
  } catch (error) {
    if (error instanceof ParameterVersionNotFound) return undefined
    throw error
  }
  if (selected === undefined) return undefined
  return parameterView(selected.parameter, selected.version, {
    name: reference.echo,
    value: await d.reader.value(ctx, selected.parameter, selected.version, withDecryption),
    ...(reference.selector !== undefined && { selector: reference.selector.text }),
  })
}
