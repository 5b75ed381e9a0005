/** Cryptographic operations with the JS SDK v3: Encrypt, Decrypt, ReEncrypt, GenerateDataKey*, GenerateRandom. */
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import { describe, expect, it } from 'vitest'
import { bytes, expectKmsError, kmsRaw, text, useKmsServer } from './support.js'

const h = useKmsServer()

async function newKey() {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}))
  if (KeyMetadata?.Arn === undefined) throw new Error('no key')
  return {
    keyId: KeyMetadata.KeyId ?? '',
    arn: KeyMetadata.Arn,
    materialId: KeyMetadata.CurrentKeyMaterialId,
  }
}

describe('Encrypt / Decrypt', () => {
  it('round-trips with an encryption context, in any order, without naming the key', async () => {
    const { keyId, arn, materialId } = await newKey()
    const context = { purpose: 'test', tenant: 'acme' }
    const encrypted = await h.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: bytes('hello'), EncryptionContext: context }),
    )
    expect(encrypted).toMatchObject({ KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })
    expect(Buffer.from(encrypted.CiphertextBlob ?? []).includes(Buffer.from('hello'))).toBe(false)
    const decrypted = await h.kms.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        EncryptionContext: { tenant: 'acme', purpose: 'test' },
      }),
    )
    expect(decrypted).toMatchObject({
      KeyId: arn,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      KeyMaterialId: materialId,
    })
    expect(text(decrypted.Plaintext)).toBe('hello')
  })

  it('a wrong, missing or extra context, or a corrupt blob, is InvalidCiphertextException with an empty message', async () => {
    const { keyId } = await newKey()
    const { CiphertextBlob } = await h.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x'), EncryptionContext: { a: 'b' } }),
    )
    const blob = Buffer.from(CiphertextBlob ?? [])
    const flipped = Buffer.from(blob)
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1
    for (const [CiphertextBlobIn, EncryptionContext] of [
      [blob, { a: 'B' }],
      [blob, { A: 'b' }],
      [blob, undefined],
      [blob, { a: 'b', c: 'd' }],
      [flipped, { a: 'b' }],
      [Buffer.from('not a ciphertext at all, not even close'), { a: 'b' }],
    ] as const) {
      const res = await kmsRaw(h.server, 'Decrypt', {
        CiphertextBlob: CiphertextBlobIn.toString('base64'),
        ...(EncryptionContext !== undefined && { EncryptionContext }),
      })
      expect(res.status).toBe(400)
      expect(res.json).toEqual({ __type: 'InvalidCiphertextException', message: '' })
      await expectKmsError(
        h.kms.send(
          new DecryptCommand({
            CiphertextBlob: CiphertextBlobIn,
            ...(EncryptionContext !== undefined && { EncryptionContext }),
          }),
        ),
        'InvalidCiphertextException',
      )
    }
  })

  it('a KeyId naming another key is IncorrectKeyException', async () => {
    const one = await newKey()
    const other = await newKey()
    const { CiphertextBlob } = await h.kms.send(
      new EncryptCommand({ KeyId: one.keyId, Plaintext: bytes('x') }),
    )
    await expectKmsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: other.keyId })),
      'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    )
    expect(text((await h.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: one.arn }))).Plaintext)).toBe(
      'x',
    )
  })

  it('takes 1 to 4096 bytes of plaintext', async () => {
    const { keyId } = await newKey()
    const big = await h.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(4096).fill(7) }),
    )
    expect((await h.kms.send(new DecryptCommand({ CiphertextBlob: big.CiphertextBlob }))).Plaintext).toEqual(
      new Uint8Array(4096).fill(7),
    )
    const res = await kmsRaw(h.server, 'Encrypt', {
      KeyId: keyId,
      Plaintext: Buffer.alloc(4097).toString('base64'),
    })
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ __type: 'ValidationException' })
    expect(String(res.json?.message ?? res.json?.Message)).toContain(
      "at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    )
  })

  it('refuses asymmetric algorithms, dry runs and unusable keys with the modelled errors', async () => {
    const { keyId, arn } = await newKey()
    await expectKmsError(
      h.kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: bytes('x'),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
      'InvalidKeyUsageException',
    )
    await expectKmsError(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x'), DryRun: true })),
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    )
    const { CiphertextBlob } = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') }))
    await h.kms.send(new DisableKeyCommand({ KeyId: keyId }))
    await expectKmsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob })),
      'DisabledException',
      `${arn} is disabled.`,
    )
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
    await expectKmsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob })),
      'KMSInvalidStateException',
      `${arn} is pending deletion.`,
    )
  })
})

describe('ReEncrypt', () => {
  it('moves a ciphertext to another key and context without showing the plaintext', async () => {
    const source = await newKey()
    const destination = await newKey()
    const { CiphertextBlob } = await h.kms.send(
      new EncryptCommand({
        KeyId: source.keyId,
        Plaintext: bytes('moving'),
        EncryptionContext: { from: '1' },
      }),
    )
    const moved = await h.kms.send(
      new ReEncryptCommand({
        CiphertextBlob,
        SourceEncryptionContext: { from: '1' },
        DestinationKeyId: destination.arn,
        DestinationEncryptionContext: { to: '2' },
      }),
    )
    expect(moved).toMatchObject({
      SourceKeyId: source.arn,
      KeyId: destination.arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      SourceKeyMaterialId: source.materialId,
      DestinationKeyMaterialId: destination.materialId,
    })
    const plain = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { to: '2' } }),
    )
    expect(plain.KeyId).toBe(destination.arn)
    expect(text(plain.Plaintext)).toBe('moving')
    await expectKmsError(
      h.kms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination.keyId })),
      'InvalidCiphertextException',
    )
    await expectKmsError(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob,
          SourceEncryptionContext: { from: '1' },
          SourceKeyId: destination.keyId,
          DestinationKeyId: destination.keyId,
        }),
      ),
      'IncorrectKeyException',
    )
    await expectKmsError(
      h.kms.send(
        new ReEncryptCommand({
          CiphertextBlob,
          SourceEncryptionContext: { from: '1' },
          DestinationKeyId: 'alias/none',
        }),
      ),
      'NotFoundException',
    )
  })
})

describe('GenerateDataKey / GenerateDataKeyWithoutPlaintext', () => {
  it('returns a data key in the clear and wrapped under the key and context', async () => {
    const { keyId, arn, materialId } = await newKey()
    const context = { bucket: 'b' }
    const dataKey = await h.kms.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }),
    )
    expect(dataKey).toMatchObject({ KeyId: arn, KeyMaterialId: materialId })
    expect(dataKey.Plaintext).toHaveLength(32)
    const unwrapped = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }),
    )
    expect(unwrapped.Plaintext).toEqual(dataKey.Plaintext)
    expect(
      (await h.kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_128' }))).Plaintext,
    ).toHaveLength(16)
    expect(
      (await h.kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 1024 }))).Plaintext,
    ).toHaveLength(1024)
    const hidden = await h.kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({
        KeyId: keyId,
        NumberOfBytes: 7,
        EncryptionContext: context,
      }),
    )
    expect((hidden as unknown as Record<string, unknown>).Plaintext).toBeUndefined()
    expect(hidden).toMatchObject({ KeyId: arn, KeyMaterialId: materialId })
    expect(
      (
        await h.kms.send(
          new DecryptCommand({ CiphertextBlob: hidden.CiphertextBlob, EncryptionContext: context }),
        )
      ).Plaintext,
    ).toHaveLength(7)
  })

  it('wants exactly one of KeySpec and NumberOfBytes (1-1024)', async () => {
    const { keyId } = await newKey()
    await expectKmsError(h.kms.send(new GenerateDataKeyCommand({ KeyId: keyId })), 'ValidationException')
    await expectKmsError(
      h.kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 })),
      'ValidationException',
    )
    await expectKmsError(
      h.kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId })),
      'ValidationException',
    )
    const res = await kmsRaw(h.server, 'GenerateDataKey', { KeyId: keyId, NumberOfBytes: 1025 })
    expect(res.json).toMatchObject({ __type: 'ValidationException' })
    expect(String(res.json?.message ?? res.json?.Message)).toContain("'numberOfBytes'")
  })
})

describe('GenerateRandom', () => {
  it('returns 1 to 1024 random bytes', async () => {
    const one = await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }))
    const two = await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }))
    expect(one.Plaintext).toHaveLength(32)
    expect(Buffer.from(one.Plaintext ?? []).equals(Buffer.from(two.Plaintext ?? []))).toBe(false)
    expect((await h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext).toHaveLength(
      1024,
    )
    await expectKmsError(
      h.kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })),
      'ValidationException',
    )
    await expectKmsError(h.kms.send(new GenerateRandomCommand({})), 'ValidationException')
  })
})
