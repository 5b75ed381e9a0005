import {
  InvalidParameterException,
  ResourceNotFoundException,
} from '../../../../aws-api/secretsmanager/errors.js'
import type { APIErrorType, SecretValueEntry } from '../../../../aws-api/secretsmanager/types.js'
import { AwsError } from '../../../../lib/aws/errors.js'
import { ANY_RESOURCE } from '../../../core/authorize.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { msg } from '../messages.js'
import { page } from '../pagination.js'
import { assertKeyUsableFrom, assertLive } from '../secret-lookup.js'
import type { SecretRecord } from '../store.js'
import { secretTarget } from '../targets.js'
import { matchingSecrets } from './list-secrets.js'

const DEFAULT_PAGE = 20
const GET_SECRET_VALUE = 'secretsmanager:GetSecretValue'

/**
 * The AWSCURRENT values of up to 20 named secrets, or of the secrets a filter selects (paginated).
 * The call itself is authorized on `*` (and, with filters, needs `secretsmanager:ListSecrets` too);
 * each secret then needs `secretsmanager:GetSecretValue`, and a denial is one more entry in `Errors`
 * (AccessDeniedException), like any per-secret failure: the call succeeds (spec §3.9). Each secret's
 * check is also logged as a `GetSecretValue` record by the core (`itemRecords`, reference §1).
 */
export const batchGetSecretValue = (d: SecretsManagerDeps) =>
  smOperation(
    'BatchGetSecretValue',
    { readOnly: true, itemRecords: { action: GET_SECRET_VALUE, eventName: 'GetSecretValue' } },
    async (input, ctx) => {
      if ((input.SecretIdList === undefined) === (input.Filters === undefined)) {
        throw new InvalidParameterException(msg.batchIdsOrFilters)
      }
      if (input.Filters === undefined && input.MaxResults !== undefined) {
        throw new InvalidParameterException(msg.batchMaxResultsNeedsFilters)
      }
      const values: SecretValueEntry[] = []
      const errors: APIErrorType[] = []
      const collect = async (secretId: string, find: () => Promise<SecretRecord | undefined>) => {
        try {
          const secret = await find()
          await ctx.authorize(GET_SECRET_VALUE, secretTarget(ctx, secretId, secret))
          if (secret === undefined) throw new ResourceNotFoundException(msg.secretNotFound)
          assertLive(secret)
          assertKeyUsableFrom(ctx, secret)
          values.push(await d.reader.read(ctx, secret, {}))
        } catch (error) {
          if (!(error instanceof AwsError) || error.fault !== 'client') throw error
          errors.push({ SecretId: secretId, ErrorCode: error.code, Message: error.message })
        }
      }
      if (input.SecretIdList !== undefined) {
        for (const secretId of input.SecretIdList) await collect(secretId, () => d.lookup.find(ctx, secretId))
        return { SecretValues: values, Errors: errors }
      }
      await ctx.authorize('secretsmanager:ListSecrets', ANY_RESOURCE)
      const result = page(await matchingSecrets(d, ctx, input.Filters, false, 'created-date', false), {
        query: 'BatchGetSecretValue',
        token: input.NextToken,
        limit: input.MaxResults ?? DEFAULT_PAGE,
        keyOf: (secret) => ({ key: secret.createdAt, tie: secret.arn }),
      })
      for (const secret of result.items) await collect(secret.name, async () => secret)
      return {
        SecretValues: values,
        Errors: errors,
        ...(result.nextToken !== undefined && { NextToken: result.nextToken }),
      }
    },
  )
