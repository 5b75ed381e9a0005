import { NotImplementedError } from '../../../../lib/aws/errors.js'
import { smOperation } from '../define.js'

/**
 * Operations whose capability has not landed yet (rotation, multi-Region replication). They validate
 * their input like any other operation, then answer 501 NotImplemented — honest, and not retried by SDKs.
 */
const notYet = (
  name:
    | 'RotateSecret'
    | 'CancelRotateSecret'
    | 'ReplicateSecretToRegions'
    | 'RemoveRegionsFromReplication'
    | 'StopReplicationToReplica',
) =>
  smOperation(name, { readOnly: false }, async () => {
    throw new NotImplementedError(name)
  })

export const notImplementedOperations = () => [
  notYet('RotateSecret'),
  notYet('CancelRotateSecret'),
  notYet('ReplicateSecretToRegions'),
  notYet('RemoveRegionsFromReplication'),
  notYet('StopReplicationToReplica'),
]
