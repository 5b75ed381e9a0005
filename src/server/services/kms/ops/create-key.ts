import {
  CustomKeyStoreNotFoundException,
  MalformedPolicyDocumentException,
  UnsupportedOperationException,
} from '../../../../aws-api/kms/errors.js'
import type { CreateKeyRequest } from '../../../../aws-api/kms/types.js'
import { AccessDeniedException, ValidationException } from '../../../../lib/aws/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { keyTarget, requestTagConditions } from '../authorization.js'
import { kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { keyArn } from '../keys.js'
import { scopeOf } from '../locate.js'
import { msg } from '../messages.js'
import { keyMetadata } from '../metadata.js'
import { assertValidKeyPolicy } from '../policy.js'
import type { KeyRecord } from '../store.js'
import { checkedTags } from '../tags.js'

/**
 * A symmetric customer key (the only kind Coffer makes): default KeySpec SYMMETRIC_DEFAULT, KeyUsage
 * ENCRYPT_DECRYPT, Origin AWS_KMS; without `Policy` the default key policy (spec §4).
 */
export const createKey = (d: KmsDeps) =>
  kmsOperation(
    'CreateKey',
    {
      readOnly: false,
      target: async (input) => ({
        resource: '*',
        context: new Map(
          Object.entries({
            ...requestTagConditions(input.Tags ?? []),
            'kms:bypasspolicylockoutsafetycheck': String(input.BypassPolicyLockoutSafetyCheck ?? false),
            'kms:keyspec': input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
            'kms:keyusage': input.KeyUsage ?? 'ENCRYPT_DECRYPT',
            'kms:keyorigin': input.Origin ?? 'AWS_KMS',
            'kms:multiregion': String(input.MultiRegion ?? false),
          }),
        ),
      }),
    },
    async (input, ctx) => {
      assertSupported(input)
      const tags = checkedTags(input.Tags ?? [])
      const scope = scopeOf(ctx)
      const keyId = d.random.uuid()
      if (input.Policy !== undefined) {
        assertValidKeyPolicy(input.Policy)
        if (input.BypassPolicyLockoutSafetyCheck !== true) {
          const draft: KeyRecord = {
            ...scope,
            keyId,
            arn: keyArn(scope, keyId),
            keyManager: 'CUSTOMER',
            keyState: 'Enabled',
            description: input.Description ?? '',
            currentMaterialId: '',
            createdAt: ctx.now,
            policy: input.Policy,
            tags,
            rotationEnabled: false,
            revision: 0,
          }
          await assertNoLockout(ctx, draft)
        }
      }
      const key = await d.admin.createCustomerKey(
        scope,
        {
          description: input.Description ?? '',
          ...(input.Policy !== undefined && { policy: input.Policy }),
          tags,
        },
        ctx.now,
        keyId,
      )
      return { KeyMetadata: keyMetadata(key) }
    },
  )

function assertSupported(input: CreateKeyRequest): void {
  if (
    input.KeySpec !== undefined &&
    input.CustomerMasterKeySpec !== undefined &&
    input.KeySpec !== input.CustomerMasterKeySpec
  )
    throw new ValidationException(msg.keySpecConflict)
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT'
  if (spec !== 'SYMMETRIC_DEFAULT' || (input.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT')
    throw new UnsupportedOperationException(msg.symmetricOnly)
  if (input.CustomKeyStoreId !== undefined)
    throw new CustomKeyStoreNotFoundException(msg.customKeyStore(input.CustomKeyStoreId))
  if ((input.Origin ?? 'AWS_KMS') !== 'AWS_KMS' || input.XksKeyId !== undefined)
    throw new UnsupportedOperationException(msg.originUnsupported)
  if (input.MultiRegion === true) throw new UnsupportedOperationException(msg.multiRegionUnsupported)
}

/**
 * The lock-out safety check [M]: the new policy must let the caller call PutKeyPolicy on the key again,
 * judged by the same authorizer (identity policies, boundary, session policies, the new key policy).
 */
export async function assertNoLockout(ctx: RequestContext, withNewPolicy: KeyRecord): Promise<void> {
  try {
    await ctx.authorize(
      'kms:PutKeyPolicy',
      keyTarget(withNewPolicy, { callerAccountId: ctx.principal.accountId }),
    )
  } catch (error) {
    if (error instanceof AccessDeniedException) throw new MalformedPolicyDocumentException(msg.lockout)
    throw error
  }
}
