import { describe, expect, it } from 'vitest'
import { shapes as kms } from '../../aws-api/kms/schema.js'
import { shapes as secretsmanager } from '../../aws-api/secretsmanager/schema.js'
import { shapes as sts } from '../../aws-api/sts/schema.js'
import { cloudTrailForm, javaDate, lowerCamel } from './redact.js'

describe('cloudTrailForm', () => {
  it('drops sensitive members at any depth and names members as CloudTrail does', () => {
    const output = {
      SecretValues: [
        {
          ARN: 'arn:1',
          Name: 'a',
          SecretString: 'value',
          SecretBinary: new Uint8Array([1]),
          VersionStages: ['AWSCURRENT'],
        },
      ],
      Errors: [],
    }
    expect(cloudTrailForm(output, 'BatchGetSecretValueResponse', secretsmanager)).toEqual({
      secretValues: [{ arn: 'arn:1', name: 'a', versionStages: ['AWSCURRENT'] }],
      errors: [],
    })
  })

  it('keeps blobs that are not sensitive, base64; drops KMS plaintext', () => {
    expect(
      cloudTrailForm(
        { KeyId: 'k', Plaintext: new Uint8Array([1, 2]), CiphertextBlob: new Uint8Array([3, 4]) },
        'GenerateDataKeyResponse',
        kms,
      ),
    ).toEqual({ keyId: 'k', ciphertextBlob: 'AwQ=' })
  })

  it('never records session tokens, and formats dates Java-style', () => {
    const out = cloudTrailForm(
      {
        Credentials: {
          AccessKeyId: 'ASIA',
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date(Date.UTC(2018, 4, 3, 17, 51, 2)),
        },
      },
      'GetSessionTokenResponse',
      sts,
    )
    expect(out).toEqual({ credentials: { accessKeyId: 'ASIA', expiration: 'May 3, 2018 5:51:02 PM' } })
  })

  it('leaves out members the model does not know and values of the wrong type', () => {
    expect(
      cloudTrailForm(
        { SecretId: 's', Unknown: 'x', VersionStage: 42 },
        'GetSecretValueRequest',
        secretsmanager,
      ),
    ).toEqual({ secretId: 's' })
  })
})

describe('lowerCamel and javaDate', () => {
  it('lowers a leading acronym as a whole', () => {
    expect(['ARN', 'SecretId', 'KMSKeyId', 'VersionIdsToStages', 'a'].map(lowerCamel)).toEqual([
      'arn',
      'secretId',
      'kmsKeyId',
      'versionIdsToStages',
      'a',
    ])
  })

  it('writes midnight and noon as 12', () => {
    expect(javaDate(Date.UTC(2024, 0, 1, 0, 5, 9))).toBe('Jan 1, 2024 12:05:09 AM')
    expect(javaDate(Date.UTC(2024, 11, 31, 12, 0, 0))).toBe('Dec 31, 2024 12:00:00 PM')
  })
})
