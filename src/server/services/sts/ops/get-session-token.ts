import { operations, service, type OperationTypes } from '../../../../aws-api/sts/operations.js'
import { modelOperation } from '../../../core/model-operation.js'
import type { StsDeps } from '../deps.js'
import { msg, StsAccessDenied } from '../messages.js'
import { issueSession } from '../sessions.js'

const DEFAULT_DURATION = 43_200
/** Root credentials get at most an hour ("Credentials based on account credentials": 900-3600 [M]). */
const ROOT_MAX_DURATION = 3600

/**
 * GetSessionToken: temporary credentials with the calling user's own permissions (900-129600 s, default
 * 12 h [M]). "No permissions are required" [M], so it is public; it must be called with long-term
 * credentials. MFA (SerialNumber/TokenCode) is not supported: Coffer has no MFA devices.
 */
export const getSessionToken = (deps: StsDeps) =>
  modelOperation<OperationTypes, 'GetSessionToken'>(
    { service, operations },
    'GetSessionToken',
    { readOnly: false, access: 'public' },
    async (input, ctx) => {
      const caller = ctx.principal
      if (caller.session !== undefined || caller.type === 'AssumedRole') {
        throw new StsAccessDenied(msg.sessionTokenWithSession)
      }
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
        throw new StsAccessDenied(msg.mfaFailed)
      }
      let duration = input.DurationSeconds ?? DEFAULT_DURATION
      if (caller.type === 'Root')
        duration = Math.min(input.DurationSeconds ?? ROOT_MAX_DURATION, ROOT_MAX_DURATION)
      const user = caller.type === 'IAMUser' ? caller.entity : undefined
      const credentials = await issueSession(
        deps,
        {
          accountId: caller.accountId,
          principalKind: 'user',
          principalId: user?.id ?? caller.principalId,
          sessionPolicies: [],
          tags: [],
          transitiveTagKeys: [],
          chained: false,
        },
        { now: ctx.now, durationSeconds: duration },
        // The account root exists only in dev mode, where any credentials are accepted: nothing to store.
        user !== undefined,
      )
      return { Credentials: credentials }
    },
  )
