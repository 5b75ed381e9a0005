import { NotImplementedError } from '../../../../lib/aws/errors.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { bool, bySecretId } from '../targets.js'

/**
 * Operations whose capability has not landed yet (multi-Region replication). They validate
 * their input and authorize it like any other operation, then answer 501 NotImplemented — honest, and
 * not retried by SDKs.
 */
const notYet = async (name: string) => {
  throw new NotImplementedError(name)
}

export const notImplementedOperations = (d: SecretsManagerDeps) => [
  smOperation(
    'ReplicateSecretToRegions',
    {
      readOnly: false,
      target: bySecretId(d, (input) => [
        ['secretsmanager:addreplicaregions', input.AddReplicaRegions.flatMap((r) => r.Region ?? [])],
        ['secretsmanager:forceoverwritereplicasecret', bool(input.ForceOverwriteReplicaSecret)],
      ]),
    },
    () => notYet('ReplicateSecretToRegions'),
  ),
  smOperation('RemoveRegionsFromReplication', { readOnly: false, target: bySecretId(d) }, () =>
    notYet('RemoveRegionsFromReplication'),
  ),
  smOperation('StopReplicationToReplica', { readOnly: false, target: bySecretId(d) }, () =>
    notYet('StopReplicationToReplica'),
  ),
]
