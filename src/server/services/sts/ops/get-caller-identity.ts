import { operations, service, type OperationTypes } from '../../../../aws-api/sts/operations.js'
import { modelOperation } from '../../../core/model-operation.js'

/** Who the caller is (spec §6.3). Needs no permission. */
export const getCallerIdentity = () =>
  modelOperation<OperationTypes, 'GetCallerIdentity'>(
    { service, operations },
    'GetCallerIdentity',
    { readOnly: true, access: 'public' },
    async (_input, ctx) => ({
      UserId: ctx.principal.principalId,
      Account: ctx.principal.accountId,
      Arn: ctx.principal.arn,
    }),
  )
