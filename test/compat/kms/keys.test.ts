/** Key lifecycle with the JS SDK v3: CreateKey, DescribeKey, ListKeys, Enable/Disable, deletion window, description. */
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms'
import { describe, expect, it } from 'vitest'
import { bytes, expectKmsError, useKmsServer } from './support.js'

const h = useKmsServer()

const DAY = 86_400_000

async function newKey(description = 'test key') {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({ Description: description }))
  if (KeyMetadata?.Arn === undefined) throw new Error('no key')
  return { keyId: KeyMetadata.KeyId ?? '', arn: KeyMetadata.Arn }
}

describe('CreateKey and DescribeKey', () => {
  it('creates a symmetric customer key with the metadata AWS records', async () => {
    const before = Date.now()
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({ Description: 'orders' }))
    expect(KeyMetadata).toEqual({
      AWSAccountId: h.accountId,
      KeyId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      Arn: `arn:aws:kms:${h.region}:${h.accountId}:key/${KeyMetadata?.KeyId}`,
      CreationDate: expect.any(Date),
      Enabled: true,
      Description: 'orders',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
      CurrentKeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(KeyMetadata?.CreationDate?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    const { KeyMetadata: described } = await h.kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata?.Arn }))
    expect(described).toEqual(KeyMetadata)
  })

  it('takes no input at all (empty description)', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}))
    expect(KeyMetadata?.Description).toBe('')
    expect(KeyMetadata?.KeyState).toBe('Enabled')
  })

  it('refuses what Coffer does not make: asymmetric, HMAC, imported, custom key stores, multi-Region', async () => {
    await expectKmsError(
      h.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })),
      'UnsupportedOperationException',
    )
    await expectKmsError(
      h.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })),
      'UnsupportedOperationException',
    )
    await expectKmsError(
      h.kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' })),
      'UnsupportedOperationException',
    )
    await expectKmsError(
      h.kms.send(new CreateKeyCommand({ MultiRegion: true })),
      'UnsupportedOperationException',
    )
    await expectKmsError(
      h.kms.send(new CreateKeyCommand({ CustomKeyStoreId: 'cks-1234567890abcdef0' })),
      'CustomKeyStoreNotFoundException',
    )
    await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS' }),
    )
  })

  it('answers NotFoundException with AWS texts for malformed, unknown and foreign-region references', async () => {
    await expectKmsError(
      h.kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' })),
      'NotFoundException',
      "Invalid keyId 'not-a-key'",
    )
    const missing = '11111111-2222-3333-4444-555555555555'
    await expectKmsError(
      h.kms.send(new DescribeKeyCommand({ KeyId: missing })),
      'NotFoundException',
      `Key 'arn:aws:kms:${h.region}:${h.accountId}:key/${missing}' does not exist`,
    )
    const { arn } = await newKey()
    await expectKmsError(
      h.kms.send(new DescribeKeyCommand({ KeyId: arn.replace(`:${h.region}:`, ':eu-north-1:') })),
      'NotFoundException',
      'Invalid arn eu-north-1',
    )
    await expectKmsError(
      h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/nothing-here' })),
      'NotFoundException',
      `Alias arn:aws:kms:${h.region}:${h.accountId}:alias/nothing-here is not found.`,
    )
  })
})

describe('ListKeys', () => {
  it('lists every key of the account page by page with Truncated and NextMarker', async () => {
    const created = [await newKey(), await newKey(), await newKey()]
    const seen: { KeyId?: string | undefined; KeyArn?: string | undefined }[] = []
    let marker: string | undefined
    let pages = 0
    do {
      const page = await h.kms.send(
        new ListKeysCommand({ Limit: 2, ...(marker !== undefined && { Marker: marker }) }),
      )
      pages++
      expect(page.Keys?.length).toBeLessThanOrEqual(2)
      seen.push(...(page.Keys ?? []))
      expect(page.Truncated).toBe(page.NextMarker !== undefined)
      marker = page.NextMarker
    } while (marker !== undefined)
    expect(pages).toBeGreaterThanOrEqual(2)
    for (const key of created) expect(seen).toContainEqual({ KeyId: key.keyId, KeyArn: key.arn })
    expect(new Set(seen.map((k) => k.KeyId)).size).toBe(seen.length)
    await expectKmsError(
      h.kms.send(new ListKeysCommand({ Marker: 'bogus-marker' })),
      'InvalidMarkerException',
    )
  })
})

describe('EnableKey / DisableKey', () => {
  it('a disabled key refuses cryptographic use with DisabledException until enabled again', async () => {
    const { keyId, arn } = await newKey()
    await h.kms.send(new DisableKeyCommand({ KeyId: keyId }))
    const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))
    expect(KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false })
    await expectKmsError(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') })),
      'DisabledException',
      `${arn} is disabled.`,
    )
    await h.kms.send(new DisableKeyCommand({ KeyId: keyId }))
    await h.kms.send(new EnableKeyCommand({ KeyId: arn }))
    await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') }))
  })

  it('takes key ids and ARNs only, not aliases', async () => {
    await expectKmsError(
      h.kms.send(new DisableKeyCommand({ KeyId: 'alias/aws/secretsmanager' })),
      'NotFoundException',
      "Invalid keyId 'alias/aws/secretsmanager'",
    )
  })
})

describe('ScheduleKeyDeletion / CancelKeyDeletion', () => {
  it('schedules 7-30 days out (default 30), refuses use meanwhile, and cancelling leaves the key Disabled', async () => {
    const { keyId, arn } = await newKey()
    const before = Date.now()
    const scheduled = await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }))
    expect(scheduled).toMatchObject({ KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 30 })
    const deletionDate = scheduled.DeletionDate?.getTime() ?? 0
    expect(deletionDate).toBeGreaterThanOrEqual(before + 30 * DAY - 1000)
    expect(deletionDate).toBeLessThanOrEqual(Date.now() + 30 * DAY + 1000)
    const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))
    expect(KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      PendingDeletionWindowInDays: 30,
    })
    expect(KeyMetadata?.DeletionDate?.getTime()).toBe(deletionDate)

    const pending = `${arn} is pending deletion.`
    await expectKmsError(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') })),
      'KMSInvalidStateException',
      pending,
    )
    await expectKmsError(
      h.kms.send(new EnableKeyCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
      pending,
    )
    await expectKmsError(
      h.kms.send(new DisableKeyCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
      pending,
    )
    await expectKmsError(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
      pending,
    )
    await expectKmsError(
      h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'x' })),
      'KMSInvalidStateException',
      pending,
    )

    expect(await h.kms.send(new CancelKeyDeletionCommand({ KeyId: arn }))).toMatchObject({ KeyId: arn })
    const { KeyMetadata: after } = await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))
    expect(after).toMatchObject({ KeyState: 'Disabled', Enabled: false })
    expect(after?.DeletionDate).toBeUndefined()
    expect(after?.PendingDeletionWindowInDays).toBeUndefined()
    await expectKmsError(
      h.kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
    )
    await h.kms.send(new EnableKeyCommand({ KeyId: keyId }))
    await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') }))
  })

  it('accepts a window of 7 to 30 days only', async () => {
    const { keyId } = await newKey()
    await expectKmsError(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 6 })),
      'ValidationException',
      'PendingWindowInDays should be between 7 and 30, but it is 6',
    )
    await expectKmsError(
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 31 })),
      'ValidationException',
      'PendingWindowInDays should be between 7 and 30, but it is 31',
    )
    const scheduled = await h.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    )
    expect(scheduled.PendingWindowInDays).toBe(7)
  })
})

describe('UpdateKeyDescription', () => {
  it('changes the description, also to empty', async () => {
    const { keyId } = await newKey('old')
    await h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'new' }))
    expect((await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Description).toBe('new')
    await h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: '' }))
    expect((await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Description).toBe('')
  })
})
