/** Aliases with the JS SDK v3: CreateAlias, UpdateAlias, DeleteAlias, ListAliases, and aliases as key references. */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type AliasListEntry,
} from '@aws-sdk/client-kms'
import { describe, expect, it } from 'vitest'
import { bytes, expectKmsError, text, uniqueAlias, useKmsServer } from './support.js'

const h = useKmsServer()

async function newKey() {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}))
  if (KeyMetadata?.Arn === undefined) throw new Error('no key')
  return { keyId: KeyMetadata.KeyId ?? '', arn: KeyMetadata.Arn }
}

async function allAliases(keyId?: string): Promise<AliasListEntry[]> {
  const out: AliasListEntry[] = []
  let marker: string | undefined
  do {
    const page = await h.kms.send(
      new ListAliasesCommand({
        Limit: 3,
        ...(keyId !== undefined && { KeyId: keyId }),
        ...(marker !== undefined && { Marker: marker }),
      }),
    )
    out.push(...(page.Aliases ?? []))
    expect(page.Truncated).toBe(page.NextMarker !== undefined)
    marker = page.NextMarker
  } while (marker !== undefined)
  return out
}

describe('aliases', () => {
  it('creates an alias usable in place of the key id, by name and by alias ARN', async () => {
    const { keyId, arn } = await newKey()
    const alias = uniqueAlias('orders')
    const aliasArn = `arn:aws:kms:${h.region}:${h.accountId}:${alias}`
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
    for (const ref of [alias, aliasArn]) {
      expect((await h.kms.send(new DescribeKeyCommand({ KeyId: ref }))).KeyMetadata?.Arn).toBe(arn)
      const { CiphertextBlob, KeyId } = await h.kms.send(
        new EncryptCommand({ KeyId: ref, Plaintext: bytes('via alias') }),
      )
      expect(KeyId).toBe(arn)
      const plain = await h.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: ref }))
      expect(text(plain.Plaintext)).toBe('via alias')
    }
    const listed = await allAliases(keyId)
    expect(listed).toEqual([
      {
        AliasName: alias,
        AliasArn: aliasArn,
        TargetKeyId: keyId,
        CreationDate: expect.any(Date),
        LastUpdatedDate: expect.any(Date),
      },
    ])
  })

  it('lists all aliases page by page, the AWS-managed ones even before their key exists', async () => {
    const { keyId } = await newKey()
    const names = [uniqueAlias('a'), uniqueAlias('b'), uniqueAlias('c'), uniqueAlias('d')]
    for (const name of names)
      await h.kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId }))
    const listed = await allAliases()
    const listedNames = listed.map((a) => a.AliasName ?? '')
    expect(listedNames).toEqual([...listedNames].sort())
    for (const name of names) expect(listedNames).toContain(name)
    const ssm = listed.find((a) => a.AliasName === 'alias/aws/ssm')
    expect(ssm).toEqual({
      AliasName: 'alias/aws/ssm',
      AliasArn: `arn:aws:kms:${h.region}:${h.accountId}:alias/aws/ssm`,
    })
    expect(listed.find((a) => a.AliasName === 'alias/aws/secretsmanager')).toBeDefined()
    expect((await allAliases(keyId)).map((a) => a.AliasName)).toEqual([...names].sort())
  })

  it('refuses a name without the alias/ prefix, in the reserved alias/aws/ space, or taken', async () => {
    const { keyId } = await newKey()
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: 'orders', TargetKeyId: keyId })),
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    )
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keyId })),
      'NotAuthorizedException',
    )
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: 'alias/a:b', TargetKeyId: keyId })),
      'InvalidAliasNameException',
    )
    const alias = uniqueAlias('taken')
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId })),
      'AlreadyExistsException',
      `An alias with the name arn:aws:kms:${h.region}:${h.accountId}:${alias} already exists`,
    )
    await expectKmsError(
      h.kms.send(
        new CreateAliasCommand({
          AliasName: uniqueAlias(),
          TargetKeyId: '11111111-2222-3333-4444-555555555555',
        }),
      ),
      'NotFoundException',
    )
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: alias })),
      'NotFoundException',
      `Invalid keyId '${alias}'`,
    )
  })

  it('does not point an alias at a key pending deletion, nor at an AWS-managed key', async () => {
    const { keyId } = await newKey()
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: keyId })),
      'KMSInvalidStateException',
    )
    const managed = (await h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' })))
      .KeyMetadata?.KeyId
    await expectKmsError(
      h.kms.send(new CreateAliasCommand({ AliasName: uniqueAlias(), TargetKeyId: managed })),
      'AccessDeniedException',
    )
  })

  it('UpdateAlias moves an alias to another key; old ciphertexts still decrypt by their own key', async () => {
    const first = await newKey()
    const second = await newKey()
    const alias = uniqueAlias('moving')
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: first.keyId }))
    const before = await h.kms.send(new EncryptCommand({ KeyId: alias, Plaintext: bytes('one') }))
    expect(before.KeyId).toBe(first.arn)
    await h.kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: second.arn }))
    const after = await h.kms.send(new EncryptCommand({ KeyId: alias, Plaintext: bytes('two') }))
    expect(after.KeyId).toBe(second.arn)
    expect(
      text((await h.kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).Plaintext),
    ).toBe('one')
    await expectKmsError(
      h.kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob, KeyId: alias })),
      'IncorrectKeyException',
    )
    await expectKmsError(
      h.kms.send(new UpdateAliasCommand({ AliasName: uniqueAlias('none'), TargetKeyId: second.keyId })),
      'NotFoundException',
      /^Alias arn:aws:kms:.*:alias\/none-.* is not found\.$/,
    )
    await expectKmsError(
      h.kms.send(
        new UpdateAliasCommand({ AliasName: 'alias/aws/secretsmanager', TargetKeyId: second.keyId }),
      ),
      'NotAuthorizedException',
    )
  })

  it('DeleteAlias removes the alias and leaves the key', async () => {
    const { keyId } = await newKey()
    const alias = uniqueAlias('gone')
    await h.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }))
    await h.kms.send(new DeleteAliasCommand({ AliasName: alias }))
    await expectKmsError(h.kms.send(new DescribeKeyCommand({ KeyId: alias })), 'NotFoundException')
    await expectKmsError(h.kms.send(new DeleteAliasCommand({ AliasName: alias })), 'NotFoundException')
    expect((await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe('Enabled')
  })
})
