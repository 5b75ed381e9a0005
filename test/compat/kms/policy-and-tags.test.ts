/**
 * Key policies and tags with the JS SDK v3: Get/Put/ListKeyPolicies (enforced by the authorizer, with
 * the lock-out safety check), ListResourceTags/TagResource/UntagResource, and what an AWS-managed key
 * refuses.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { beforeAll, describe, expect, it } from 'vitest'
import { bytes, expectKmsError, text, useKmsServer } from './support.js'

const h = useKmsServer()
let callerArn = ''

beforeAll(async () => {
  const sts = new STSClient({
    endpoint: h.server.endpoint,
    region: h.region,
    credentials: {
      accessKeyId: h.server.credentials.accessKeyId,
      secretAccessKey: h.server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  })
  callerArn = (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? ''
  sts.destroy()
})

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const rootGrant = () => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${h.accountId}:root` },
  Action: 'kms:*',
  Resource: '*',
})

async function newKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand(input))
  if (KeyMetadata?.Arn === undefined) throw new Error('no key')
  return { keyId: KeyMetadata.KeyId ?? '', arn: KeyMetadata.Arn }
}

describe('key policies', () => {
  it('a new key has the default policy, byte for byte as AWS prints it', async () => {
    const { keyId } = await newKey()
    const got = await h.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))
    expect(got.Policy).toBe(
      `{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::${h.accountId}:root"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`,
    )
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(got.Policy)
    expect(await h.kms.send(new ListKeyPoliciesCommand({ KeyId: keyId }))).toMatchObject({
      PolicyNames: ['default'],
      Truncated: false,
    })
    await expectKmsError(
      h.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'other' })),
      'NotFoundException',
    )
  })

  it('stores a put policy as given and enforces it: an explicit deny beats the delegation to IAM', async () => {
    const { keyId } = await newKey()
    const { CiphertextBlob } = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('s') }))
    const denyEncrypt = policy(rootGrant(), {
      Sid: 'NoEncrypt',
      Effect: 'Deny',
      Principal: { AWS: callerArn },
      Action: 'kms:Encrypt',
      Resource: '*',
    })
    await h.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: denyEncrypt }))
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(denyEncrypt)
    await expectKmsError(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('s') })),
      'AccessDeniedException',
      new RegExp(
        `^User: ${callerArn} is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:.*explicit deny`,
      ),
    )
    expect(text((await h.kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('s')
  })

  it('refuses a policy that would lock the caller out, unless the check is bypassed', async () => {
    const { keyId } = await newKey()
    const lockout = policy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${h.accountId}:root` },
      Action: 'kms:DescribeKey',
      Resource: '*',
    })
    await expectKmsError(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: lockout })),
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    )
    await expectKmsError(
      h.kms.send(new CreateKeyCommand({ Policy: lockout })),
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    )
    await h.kms.send(
      new PutKeyPolicyCommand({ KeyId: keyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }),
    )
    await h.kms.send(new DescribeKeyCommand({ KeyId: keyId }))
    await expectKmsError(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('s') })),
      'AccessDeniedException',
    )
    await expectKmsError(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy(rootGrant()) })),
      'AccessDeniedException',
    )
  })

  it('CreateKey takes a policy; malformed or oversized policies are refused', async () => {
    const own = policy(rootGrant())
    const { keyId } = await newKey({ Policy: own })
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(own)
    await expectKmsError(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: '{"Version": ' })),
      'MalformedPolicyDocumentException',
    )
    await expectKmsError(
      h.kms.send(
        new PutKeyPolicyCommand({
          KeyId: keyId,
          Policy: policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }),
        }),
      ),
      'MalformedPolicyDocumentException',
    )
    const padded = policy({ ...rootGrant(), Sid: 'x'.repeat(33_000).replace(/x/g, 'a') })
    await expectKmsError(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: padded })),
      'LimitExceededException',
    )
  })
})

describe('tags', () => {
  it('CreateKey, TagResource (overwriting) and UntagResource; ListResourceTags page by page', async () => {
    const { keyId } = await newKey({
      Tags: [
        { TagKey: 'env', TagValue: 'prod' },
        { TagKey: 'team', TagValue: '' },
      ],
    })
    expect((await h.kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'prod' },
      { TagKey: 'team', TagValue: '' },
    ])
    await h.kms.send(
      new TagResourceCommand({
        KeyId: keyId,
        Tags: [
          { TagKey: 'env', TagValue: 'dev' },
          { TagKey: 'cost', TagValue: '7' },
        ],
      }),
    )
    await h.kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['team', 'absent'] }))
    const first = await h.kms.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 1 }))
    expect(first).toMatchObject({ Tags: [{ TagKey: 'env', TagValue: 'dev' }], Truncated: true })
    const second = await h.kms.send(
      new ListResourceTagsCommand({ KeyId: keyId, Limit: 1, Marker: first.NextMarker }),
    )
    expect(second).toMatchObject({ Tags: [{ TagKey: 'cost', TagValue: '7' }], Truncated: false })
  })

  it('answers TagException with AWS texts for reserved, duplicate and too many keys', async () => {
    const { keyId } = await newKey()
    await expectKmsError(
      h.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] })),
      'TagException',
      'Tags beginning with aws: are reserved',
    )
    await expectKmsError(
      h.kms.send(
        new CreateKeyCommand({
          Tags: [
            { TagKey: 'a', TagValue: '1' },
            { TagKey: 'a', TagValue: '2' },
          ],
        }),
      ),
      'TagException',
      'Duplicate tag keys',
    )
    const many = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: '' }))
    await expectKmsError(
      h.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: many })),
      'TagException',
      'Too many tags',
    )
    await h.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: many.slice(0, 50) }))
    await expectKmsError(
      h.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'one-more', TagValue: '' }] })),
      'TagException',
      'Too many tags',
    )
  })
})

describe('AWS-managed keys', () => {
  it('can be read but not managed or used directly, as their key policy says', async () => {
    const { KeyMetadata } = await h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' }))
    expect(KeyMetadata).toMatchObject({
      KeyManager: 'AWS',
      KeyState: 'Enabled',
      Description: 'Default key that protects my Secrets Manager data when no other key is defined',
    })
    const keyId = KeyMetadata?.KeyId
    const managedPolicy = (await h.kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy ?? ''
    expect(JSON.parse(managedPolicy)).toMatchObject({
      Statement: [
        { Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${h.region}.amazonaws.com` } } },
        {},
        { Principal: { AWS: `arn:aws:iam::${h.accountId}:root` } },
      ],
    })
    expect((await h.kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([])
    for (const call of [
      h.kms.send(new DisableKeyCommand({ KeyId: keyId })),
      h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })),
      h.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy(rootGrant()) })),
      h.kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
      h.kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'mine' })),
      h.kms.send(new EncryptCommand({ KeyId: 'alias/aws/secretsmanager', Plaintext: bytes('x') })),
    ])
      await expectKmsError(
        call,
        'AccessDeniedException',
        /^User: .* is not authorized to perform: kms:\w+ on resource: arn:aws:kms:/,
      )
  })
})
