import { shapes } from '../../../aws-api/ssm/schema.js'
import type { Clock } from '../../../lib/clock.js'
import type { JsonServiceDef, OperationDef } from '../../core/operation.js'
import type { KmsKeys } from '../kms/keys.js'
import type { SecretLookup } from '../secretsmanager/secret-lookup.js'
import type { ValueReader } from '../secretsmanager/value-reader.js'
import type { SsmDeps } from './deps.js'
import { addTagsToResource } from './ops/add-tags-to-resource.js'
import { deleteParameter } from './ops/delete-parameter.js'
import { deleteParameters } from './ops/delete-parameters.js'
import { describeParameters } from './ops/describe-parameters.js'
import { getParameterHistory } from './ops/get-parameter-history.js'
import { getParameter } from './ops/get-parameter.js'
import { getParametersByPath } from './ops/get-parameters-by-path.js'
import { getParameters } from './ops/get-parameters.js'
import { labelParameterVersion } from './ops/label-parameter-version.js'
import { listTagsForResource } from './ops/list-tags-for-resource.js'
import { putParameter } from './ops/put-parameter.js'
import { removeTagsFromResource } from './ops/remove-tags-from-resource.js'
import { unlabelParameterVersion } from './ops/unlabel-parameter-version.js'
import { ParameterReader } from './parameter-reader.js'
import { ParameterWriter } from './parameter-writer.js'
import { SecretReferences } from './secret-reference.js'
import { SecureValues } from './secure-values.js'
import type { SsmStore } from './store.js'

export interface SsmModuleDeps {
  readonly store: SsmStore
  readonly kms: KmsKeys
  readonly clock: Clock
  /** Secrets Manager's read path, for `/aws/reference/secretsmanager/...` (spec §5.3). */
  readonly secrets: { readonly lookup: SecretLookup; readonly reader: ValueReader }
}

/** The SSM wire service (`AmazonSSM.*`): the Parameter Store operations of the 2014-11-06 model. */
export function createSsm(deps: SsmModuleDeps): JsonServiceDef {
  const secure = new SecureValues({ kms: deps.kms })
  const d: SsmDeps = {
    store: deps.store,
    reader: new ParameterReader({ store: deps.store, secure }),
    secure,
    references: new SecretReferences(deps.secrets),
    clock: deps.clock,
  }
  const operations: OperationDef[] = [
    addTagsToResource(d),
    deleteParameter(d),
    deleteParameters(d),
    describeParameters(d),
    getParameter(d),
    getParameterHistory(d),
    getParameters(d),
    getParametersByPath(d),
    labelParameterVersion(d),
    listTagsForResource(d),
    putParameter(d, new ParameterWriter({ store: deps.store, secure })),
    removeTagsFromResource(d),
    unlabelParameterVersion(d),
  ]
  return {
    id: 'ssm',
    protocol: 'json',
    signingName: 'ssm',
    targetPrefix: 'AmazonSSM',
    signatureSkewMs: 5 * 60_000,
    internalErrorCode: 'InternalServerError',
    operations: new Map(operations.map((op) => [op.name, op])),
    shapes,
  }
}
