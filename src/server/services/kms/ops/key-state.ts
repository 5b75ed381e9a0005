import { KMSInvalidStateException } from '../../../../aws-api/kms/errors.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import { MS_PER_DAY } from '../../../../lib/clock.js'
import { keyOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { assertNotPendingDeletion } from '../locate.js'
import { msg } from '../messages.js'

/** EnableKey: Disabled → Enabled; refused while pending deletion (CancelKeyDeletion first). */
export const enableKey = (d: KmsDeps) =>
  keyOperation(d, 'EnableKey', { readOnly: false }, async (_input, { key }) => {
    await d.admin.update(key, (stored) => {
      assertNotPendingDeletion(stored)
      return stored.keyState === 'Enabled' ? undefined : { keyState: 'Enabled' }
    })
    return {}
  })

/** DisableKey: the key refuses cryptographic use (DisabledException) until enabled again. */
export const disableKey = (d: KmsDeps) =>
  keyOperation(d, 'DisableKey', { readOnly: false }, async (_input, { key }) => {
    await d.admin.update(key, (stored) => {
      assertNotPendingDeletion(stored)
      return stored.keyState === 'Disabled' ? undefined : { keyState: 'Disabled' }
    })
    return {}
  })

const DEFAULT_WINDOW_DAYS = 30

/**
 * ScheduleKeyDeletion: PendingDeletion for 7-30 days (default 30), then the purge job deletes the key,
 * its material and its aliases [M]. The key refuses every use meanwhile.
 */
export const scheduleKeyDeletion = (d: KmsDeps) =>
  keyOperation(
    d,
    'ScheduleKeyDeletion',
    {
      readOnly: false,
      facts: (input) => ({
        conditions: {
          'kms:schedulekeydeletionpendingwindowindays': String(
            input.PendingWindowInDays ?? DEFAULT_WINDOW_DAYS,
          ),
        },
      }),
    },
    async (input, { key }, ctx) => {
      const days = input.PendingWindowInDays ?? DEFAULT_WINDOW_DAYS
      if (days < 7 || days > 30) throw new ValidationException(msg.pendingWindow(days))
      const deletionDate = ctx.now + days * MS_PER_DAY
      const scheduled = await d.admin.update(key, (stored) => {
        assertNotPendingDeletion(stored)
        return { keyState: 'PendingDeletion', deletionDate, pendingWindowDays: days }
      })
      return {
        KeyId: scheduled.arn,
        DeletionDate: new Date(deletionDate),
        KeyState: 'PendingDeletion',
        PendingWindowInDays: days,
      }
    },
  )

/** CancelKeyDeletion: the key comes back **Disabled** (not Enabled) [M]. */
export const cancelKeyDeletion = (d: KmsDeps) =>
  keyOperation(d, 'CancelKeyDeletion', { readOnly: false }, async (_input, { key }) => {
    const cancelled = await d.admin.update(key, (stored) => {
      if (stored.keyState !== 'PendingDeletion')
        throw new KMSInvalidStateException(msg.notPendingDeletion(stored.arn))
      return { keyState: 'Disabled', deletionDate: null, pendingWindowDays: null }
    })
    return { KeyId: cancelled.arn }
  })

/** UpdateKeyDescription: refused while pending deletion. */
export const updateKeyDescription = (d: KmsDeps) =>
  keyOperation(d, 'UpdateKeyDescription', { readOnly: false }, async (input, { key }) => {
    await d.admin.update(key, (stored) => {
      assertNotPendingDeletion(stored)
      return { description: input.Description }
    })
    return {}
  })
