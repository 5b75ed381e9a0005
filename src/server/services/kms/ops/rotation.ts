import { LimitExceededException } from '../../../../aws-api/kms/errors.js'
import type { RotationsListEntry } from '../../../../aws-api/kms/types.js'
import { DEFAULT_ROTATION_DAYS, nextRotation } from '../admin.js'
import { keyOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { assertUsable } from '../locate.js'
import { decodeMarker, page } from '../markers.js'
import { msg } from '../messages.js'
import type { KeyRecord } from '../store.js'

const MAX_ON_DEMAND = 25

/**
 * EnableKeyRotation: automatic rotation every RotationPeriodInDays (90-2560, default 365) from now;
 * a new period on a key that already rotates counts from the last scheduled rotation [M].
 */
export const enableKeyRotation = (d: KmsDeps) =>
  keyOperation(
    d,
    'EnableKeyRotation',
    {
      readOnly: false,
      facts: (input) => ({
        conditions: {
          'kms:rotationperiodindays': String(input.RotationPeriodInDays ?? DEFAULT_ROTATION_DAYS),
        },
      }),
    },
    async (input, { key }, ctx) => {
      const period = input.RotationPeriodInDays ?? DEFAULT_ROTATION_DAYS
      await d.admin.update(key, (stored) => {
        assertUsable(stored)
        if (stored.rotationEnabled && stored.rotationPeriodDays === period) return undefined
        const anchor =
          stored.rotationEnabled &&
          stored.nextRotationAt !== undefined &&
          stored.rotationPeriodDays !== undefined
            ? nextRotation(stored.nextRotationAt, -stored.rotationPeriodDays)
            : ctx.now
        return {
          rotationEnabled: true,
          rotationPeriodDays: period,
          nextRotationAt: nextRotation(anchor, period),
        }
      })
      return {}
    },
  )

export const disableKeyRotation = (d: KmsDeps) =>
  keyOperation(d, 'DisableKeyRotation', { readOnly: false }, async (_input, { key }) => {
    await d.admin.update(key, (stored) => {
      assertUsable(stored)
      return stored.rotationEnabled
        ? { rotationEnabled: false, rotationPeriodDays: null, nextRotationAt: null }
        : undefined
    })
    return {}
  })

/**
 * GetKeyRotationStatus: any key state; a key pending deletion reports false (its setting comes back
 * if the deletion is cancelled) [M]. AWS-managed keys always rotate, yearly.
 */
export const getKeyRotationStatus = (d: KmsDeps) =>
  keyOperation(d, 'GetKeyRotationStatus', { readOnly: true, crossAccount: true }, async (_input, { key }) => {
    const enabled = key.rotationEnabled && key.keyState !== 'PendingDeletion'
    return {
      KeyId: key.arn,
      KeyRotationEnabled: enabled,
      ...(enabled &&
        key.rotationPeriodDays !== undefined && { RotationPeriodInDays: key.rotationPeriodDays }),
      ...(enabled && key.nextRotationAt !== undefined && { NextRotationDate: new Date(key.nextRotationAt) }),
    }
  })

/**
 * RotateKeyOnDemand: new key material, current at once (rotation is immediate here); the automatic
 * schedule is unchanged; at most 25 per key [M].
 */
export const rotateKeyOnDemand = (d: KmsDeps) =>
  keyOperation(d, 'RotateKeyOnDemand', { readOnly: false }, async (_input, { key }, ctx) => {
    assertUsable(key)
    const materials = await d.store.listMaterials(key.keyId)
    if (materials.filter((m) => m.rotationType === 'ON_DEMAND').length >= MAX_ON_DEMAND)
      throw new LimitExceededException(msg.onDemandLimit(key.arn))
    const rotated = await d.admin.rotate(key, 'ON_DEMAND', ctx.now, (stored) => {
      assertUsable(stored)
      return {}
    })
    return { KeyId: rotated.arn }
  })

/**
 * ListKeyRotations: the materials rotations added (IncludeKeyMaterial ROTATIONS_ONLY, the default),
 * or all of them with the first (ALL_KEY_MATERIAL) [M]; oldest first.
 */
export const listKeyRotations = (d: KmsDeps) =>
  keyOperation(d, 'ListKeyRotations', { readOnly: true }, async (input, { key }) => {
    const limit = input.Limit ?? 100
    const after = decodeMarker(`rotations/${key.keyId}`, input.Marker)
    const materials = await d.store.listMaterials(key.keyId)
    const current = (await d.store.findKey(key.keyId)) ?? key
    const shown = materials.filter(
      (m) => input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' || m.rotationType !== undefined,
    )
    const start = after === undefined ? 0 : shown.findIndex((m) => m.materialId === after) + 1
    const entries = shown.slice(start).map((m) => entry(current, m))
    const { items, ...more } = page(`rotations/${key.keyId}`, entries, limit, (e) => e.KeyMaterialId ?? '')
    return { Rotations: items, ...more }
  })

function entry(
  key: KeyRecord,
  material: { materialId: string; createdAt: number; rotationType?: 'AUTOMATIC' | 'ON_DEMAND' },
): RotationsListEntry {
  return {
    KeyId: key.keyId,
    KeyMaterialId: material.materialId,
    KeyMaterialState: material.materialId === key.currentMaterialId ? 'CURRENT' : 'NON_CURRENT',
    ...(material.rotationType !== undefined && {
      RotationDate: new Date(material.createdAt),
      RotationType: material.rotationType,
    }),
  }
}
