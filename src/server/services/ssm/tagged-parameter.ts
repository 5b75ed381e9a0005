import { InvalidResourceId, InvalidResourceType } from '../../../aws-api/ssm/errors.js'
import type { ResourceTypeForTagging } from '../../../aws-api/ssm/types.js'
import type { RequestContext } from '../../core/context.js'
import type { SsmDeps } from './deps.js'
import { plainKey } from './domain/names.js'
import { msg } from './messages.js'
import type { ParameterRecord } from './store.js'
import { scopeOf } from './targets.js'

/**
 * The parameter a tagging request names: `ResourceType=Parameter`, `ResourceId=<name>` (spec §5.2).
 * Coffer has no other taggable SSM resources: other types are InvalidResourceType.
 */
export async function taggedParameter(
  d: SsmDeps,
  ctx: RequestContext,
  input: { readonly ResourceType: ResourceTypeForTagging; readonly ResourceId: string },
): Promise<ParameterRecord> {
  if (input.ResourceType !== 'Parameter') throw new InvalidResourceType(msg.invalidResourceType)
  const named = plainKey(input.ResourceId, scopeOf(ctx))
  const parameter = named === undefined ? undefined : await d.store.find(scopeOf(ctx), named.key)
  if (parameter === undefined) throw new InvalidResourceId(msg.invalidResourceId)
  return parameter
}
