/**
 * Key rotation with the JS SDK v3: Enable/DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand,
 * ListKeyRotations, automatic rotation by the background job — older material keeps decrypting.
 */
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import Database from 'better-sqlite3'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bytes, expectKmsError, text, useKmsServer } from './support.js'

const config = join(mkdtempSync(join(tmpdir(), 'coffer-kms-rotation-')), 'coffer.yaml')
writeFileSync(config, 'purgeIntervalSeconds: 1\n')
const h = useKmsServer({ args: ['--config', config] })

const DAY = 86_400_000

async function newKey() {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}))
  if (KeyMetadata?.Arn === undefined) throw new Error('no key')
  return {
    keyId: KeyMetadata.KeyId ?? '',
    arn: KeyMetadata.Arn,
    materialId: KeyMetadata.CurrentKeyMaterialId,
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 10 s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe('automatic rotation settings', () => {
  it('is off for a new key; on with 365 days by default or 90-2560 days; off again', async () => {
    const { keyId, arn } = await newKey()
    expect(await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).toMatchObject({
      KeyId: arn,
      KeyRotationEnabled: false,
    })
    const before = Date.now()
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId }))
    const on = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: arn }))
    expect(on).toMatchObject({ KeyId: arn, KeyRotationEnabled: true, RotationPeriodInDays: 365 })
    const next = on.NextRotationDate?.getTime() ?? 0
    expect(next).toBeGreaterThanOrEqual(before + 365 * DAY - 1000)
    expect(next).toBeLessThanOrEqual(Date.now() + 365 * DAY + 1000)

    await h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }))
    const shorter = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))
    expect(shorter.RotationPeriodInDays).toBe(90)
    expect(shorter.NextRotationDate?.getTime()).toBe(next - 275 * DAY)
    await expectKmsError(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 89 })),
      'ValidationException',
    )
    await expectKmsError(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 2561 })),
      'ValidationException',
    )

    await h.kms.send(new DisableKeyRotationCommand({ KeyId: keyId }))
    const off = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))
    expect(off).toEqual(expect.objectContaining({ KeyId: arn, KeyRotationEnabled: false }))
    expect(off.RotationPeriodInDays).toBeUndefined()
    expect(off.NextRotationDate).toBeUndefined()
  })

  it('a disabled key refuses rotation changes; pending deletion reports false and cancelling restores it', async () => {
    const { keyId, arn } = await newKey()
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId }))
    await h.kms.send(new DisableKeyCommand({ KeyId: keyId }))
    await expectKmsError(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
      'DisabledException',
      `${arn} is disabled.`,
    )
    await expectKmsError(h.kms.send(new DisableKeyRotationCommand({ KeyId: keyId })), 'DisabledException')
    await expectKmsError(h.kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'DisabledException')
    expect((await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(
      true,
    )
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
    expect((await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(
      false,
    )
    await expectKmsError(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
    )
    await h.kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }))
    expect((await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(
      true,
    )
    await h.kms.send(new EnableKeyCommand({ KeyId: keyId }))
  })
})

describe('RotateKeyOnDemand and ListKeyRotations', () => {
  it('new material becomes current at once; ciphertexts under older material still decrypt', async () => {
    const { keyId, arn, materialId: first } = await newKey()
    const old = await h.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: bytes('before'), EncryptionContext: { v: '1' } }),
    )
    expect(await h.kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).toMatchObject({
      Rotations: [],
      Truncated: false,
    })

    expect(await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }))).toEqual(
      expect.objectContaining({ KeyId: arn }),
    )
    const second = (await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
      ?.CurrentKeyMaterialId
    expect(second).toMatch(/^[0-9a-f]{64}$/)
    expect(second).not.toBe(first)
    await h.kms.send(new RotateKeyOnDemandCommand({ KeyId: arn }))
    const third = (await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
      ?.CurrentKeyMaterialId

    const fresh = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('after') }))
    const oldPlain = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: old.CiphertextBlob, EncryptionContext: { v: '1' } }),
    )
    expect(text(oldPlain.Plaintext)).toBe('before')
    expect(oldPlain.KeyMaterialId).toBe(first)
    expect(
      (await h.kms.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }))).KeyMaterialId,
    ).toBe(third)

    const rotations = await h.kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))
    expect(rotations.Rotations).toEqual([
      {
        KeyId: keyId,
        KeyMaterialId: second,
        KeyMaterialState: 'NON_CURRENT',
        RotationDate: expect.any(Date),
        RotationType: 'ON_DEMAND',
      },
      {
        KeyId: keyId,
        KeyMaterialId: third,
        KeyMaterialState: 'CURRENT',
        RotationDate: expect.any(Date),
        RotationType: 'ON_DEMAND',
      },
    ])
    const all = await h.kms.send(
      new ListKeyRotationsCommand({ KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 2 }),
    )
    expect(all.Rotations?.map((r) => r.KeyMaterialId)).toEqual([first, second])
    expect(all.Truncated).toBe(true)
    const rest = await h.kms.send(
      new ListKeyRotationsCommand({
        KeyId: keyId,
        IncludeKeyMaterial: 'ALL_KEY_MATERIAL',
        Limit: 2,
        Marker: all.NextMarker,
      }),
    )
    expect(rest).toMatchObject({ Truncated: false })
    expect(rest.Rotations?.map((r) => r.KeyMaterialId)).toEqual([third])
  })

  it('is not offered for AWS-managed keys, which always rotate yearly', async () => {
    const managed = (await h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' })))
      .KeyMetadata
    await expectKmsError(
      h.kms.send(new RotateKeyOnDemandCommand({ KeyId: managed?.KeyId })),
      'AccessDeniedException',
    )
    await expectKmsError(
      h.kms.send(new EnableKeyRotationCommand({ KeyId: managed?.KeyId })),
      'AccessDeniedException',
    )
    await expectKmsError(
      h.kms.send(new DisableKeyRotationCommand({ KeyId: managed?.KeyId })),
      'AccessDeniedException',
    )
    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: managed?.KeyId }))
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 })
  })
})

describe('the background job', () => {
  it('rotates a key when its rotation is due, and old ciphertexts keep decrypting', async () => {
    const { keyId, materialId: first } = await newKey()
    await h.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }))
    const old = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('aged') }))
    // The period ends: move the next rotation into the past, as time would.
    const db = new Database(join(h.server.dataDir, 'coffer.db'))
    db.pragma('busy_timeout = 5000')
    db.prepare('UPDATE kms_keys SET next_rotation_at = ? WHERE key_id = ?').run(Date.now() - 1000, keyId)
    db.close()
    const rotated = await until('automatic rotation', async () => {
      const { Rotations } = await h.kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))
      return Rotations?.length === 1 ? Rotations[0] : undefined
    })
    expect(rotated).toMatchObject({ RotationType: 'AUTOMATIC', KeyMaterialState: 'CURRENT' })
    expect(rotated.KeyMaterialId).not.toBe(first)
    const status = await h.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))
    expect(status.NextRotationDate?.getTime()).toBeGreaterThan(Date.now() + 89 * DAY)
    expect(
      text((await h.kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext),
    ).toBe('aged')
  })
})
