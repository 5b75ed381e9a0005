import { ParameterNotFound } from '../../../../aws-api/ssm/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { parseReference, trimName } from '../domain/names.js'
import { msg } from '../messages.js'
import { parameterView } from '../presenter.js'
import { isSecretReference, SecretReferences } from '../secret-reference.js'
import { byName, scopeOf } from '../targets.js'

/**
 * A parameter by name, ARN, `name:<version>` or `name:<label>` (spec §5.2), or a Secrets Manager secret
 * through `/aws/reference/secretsmanager/...` (§5.3). Missing: ParameterNotFound with an empty message.
 */
export const getParameter = (d: SsmDeps) =>
  ssmOperation(
    'GetParameter',
    { readOnly: true, target: byName(d.store, (input) => input.Name) },
    async (input, ctx) => {
      const name = trimName(input.Name)
      const withDecryption = input.WithDecryption === true
      if (isSecretReference(name)) {
        const parameter = await d.references.read(ctx, name, withDecryption)
        if (parameter === undefined) throw SecretReferences.notFound(name)
        return { Parameter: parameter }
      }
      const reference = parseReference(name, scopeOf(ctx))
      const selected = reference === undefined ? undefined : await d.reader.select(scopeOf(ctx), reference)
      if (reference === undefined || selected === undefined)
        throw new ParameterNotFound(msg.parameterNotFound)
      const { parameter, version } = selected
      return {
        Parameter: parameterView(parameter, version, {
          name: reference.echo,
          value: await d.reader.value(ctx, parameter, version, withDecryption),
          ...(reference.selector !== undefined && { selector: reference.selector.text }),
        }),
      }
    },
  )
