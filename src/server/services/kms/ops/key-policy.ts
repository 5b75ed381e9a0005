import { NotFoundException } from '../../../../aws-api/kms/errors.js'
import { keyOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { msg } from '../messages.js'
import { POLICY_NAME, assertValidKeyPolicy, effectivePolicy } from '../policy.js'
import { assertNoLockout } from './create-key.js'

function assertPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== POLICY_NAME) throw new NotFoundException(msg.policyName)
}

/** GetKeyPolicy: the policy in force (the default one until a policy is put), any key state. */
export const getKeyPolicy = (d: KmsDeps) =>
  keyOperation(d, 'GetKeyPolicy', { readOnly: true }, async (input, { key }) => {
    assertPolicyName(input.PolicyName)
    return { Policy: effectivePolicy(key), PolicyName: POLICY_NAME }
  })

/**
 * PutKeyPolicy: ≤ 32 KiB, syntax checked by the policy parser, and the lock-out safety check unless
 * BypassPolicyLockoutSafetyCheck [M]. The policy is stored as given.
 */
export const putKeyPolicy = (d: KmsDeps) =>
  keyOperation(
    d,
    'PutKeyPolicy',
    {
      readOnly: false,
      facts: (input) => ({
        conditions: {
          'kms:bypasspolicylockoutsafetycheck': String(input.BypassPolicyLockoutSafetyCheck ?? false),
        },
      }),
    },
    async (input, { key }, ctx) => {
      assertPolicyName(input.PolicyName)
      assertValidKeyPolicy(input.Policy)
      if (input.BypassPolicyLockoutSafetyCheck !== true)
        await assertNoLockout(ctx, { ...key, policy: input.Policy })
      await d.admin.update(key, () => ({ policy: input.Policy }))
      return {}
    },
  )

/** ListKeyPolicies: always the one policy name `default` [M]. */
export const listKeyPolicies = (d: KmsDeps) =>
  keyOperation(d, 'ListKeyPolicies', { readOnly: true }, async () => ({
    PolicyNames: [POLICY_NAME],
    Truncated: false,
  }))
