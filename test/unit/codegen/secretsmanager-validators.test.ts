import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parseBatchGetSecretValueRequest,
  parseCreateSecretRequest,
  parseGetRandomPasswordRequest,
  parseGetSecretValueRequest,
  parseListSecretsRequest,
  parsePutSecretValueRequest,
  parseRemoveRegionsFromReplicationRequest,
  parseRotateSecretRequest,
  parseUntagResourceRequest,
} from '../../../src/aws-api/secretsmanager/validators.js'
import { operations } from '../../../src/aws-api/secretsmanager/operations.js'
import { AwsError, SerializationException, ValidationException } from '../../../src/lib/aws/errors.js'

/** Runs `f`, expects it to throw an `AwsError` of `type`, and returns the message. */
function failure(f: () => unknown, type: typeof ValidationException | typeof SerializationException): string {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(type)
    expect((error as AwsError).status).toBe(400)
    return (error as AwsError).message
  }
  throw new Error('expected the parse to fail')
}

const invalid = (f: () => unknown): string => failure(f, ValidationException)
const unserializable = (f: () => unknown): string => failure(f, SerializationException)
const one = (text: string): string => `1 validation error detected: ${text}`

describe('generated Secrets Manager validators: constraints', () => {
  it('reports a missing required member', () => {
    expect(invalid(() => parseGetSecretValueRequest({}))).toBe(
      one("Value null at 'secretId' failed to satisfy constraint: Member must not be null"),
    )
  })

  it('treats null like an absent member', () => {
    expect(invalid(() => parseGetSecretValueRequest({ SecretId: null }))).toBe(
      one("Value null at 'secretId' failed to satisfy constraint: Member must not be null"),
    )
    expect(parseGetSecretValueRequest({ SecretId: 's', VersionStage: null })).toEqual({ SecretId: 's' })
  })

  it('reports minimum and maximum lengths with the value', () => {
    expect(invalid(() => parseGetSecretValueRequest({ SecretId: 's', VersionId: 'abc' }))).toBe(
      one(
        "Value 'abc' at 'versionId' failed to satisfy constraint: Member must have length greater than or equal to 32",
      ),
    )
    const long = 'n'.repeat(513)
    expect(invalid(() => parseCreateSecretRequest({ Name: long }))).toBe(
      one(
        `Value '${long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512`,
      ),
    )
  })

  it('counts string length in code points', () => {
    const emoji = '\u{1F511}' // two UTF-16 units
    expect(parseCreateSecretRequest({ Name: emoji.repeat(512) }).Name).toHaveLength(1024)
    expect(invalid(() => parseCreateSecretRequest({ Name: emoji.repeat(513) }))).toMatch(
      /Member must have length less than or equal to 512$/,
    )
    // 16 astral characters are 32 UTF-16 units but only 16 code points: too short for a version id.
    expect(invalid(() => parseGetSecretValueRequest({ SecretId: 's', VersionId: emoji.repeat(16) }))).toMatch(
      /Member must have length greater than or equal to 32$/,
    )
  })

  it('reports patterns as written in the model, matching the whole value', () => {
    expect(
      invalid(() =>
        parseRemoveRegionsFromReplicationRequest({ SecretId: 's', RemoveReplicaRegions: ['us_east'] }),
      ),
    ).toBe(
      one(
        "Value 'us_east' at 'removeReplicaRegions.1.member' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: ^([a-z]+-)+\\d+$',
      ),
    )
    // The whole value must match (as AWS's services do), not just one character of it.
    expect(
      parseRotateSecretRequest({ SecretId: 's', RotationRules: { ScheduleExpression: 'rate(1 day)' } }),
    ).toEqual({
      SecretId: 's',
      RotationRules: { ScheduleExpression: 'rate(1 day)' },
    })
    expect(
      invalid(() =>
        parseRotateSecretRequest({ SecretId: 's', RotationRules: { ScheduleExpression: 'rate(1 day)!' } }),
      ),
    ).toMatch(/Member must satisfy regular expression pattern/)
    expect(
      invalid(() => parseRotateSecretRequest({ SecretId: 's', RotationRules: { ScheduleExpression: '!!' } })),
    ).toBe(
      one(
        "Value '!!' at 'rotationRules.scheduleExpression' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: [0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+',
      ),
    )
  })

  it('reports enum violations with the value set', () => {
    expect(invalid(() => parseListSecretsRequest({ SortOrder: 'up' }))).toBe(
      one(
        "Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]",
      ),
    )
    expect(parseListSecretsRequest({ SortOrder: 'desc', SortBy: 'name' })).toEqual({
      SortOrder: 'desc',
      SortBy: 'name',
    })
  })

  it('reports numeric ranges', () => {
    expect(invalid(() => parseListSecretsRequest({ MaxResults: 0 }))).toBe(
      one(
        "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ),
    )
    expect(invalid(() => parseListSecretsRequest({ MaxResults: 101 }))).toBe(
      one(
        "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
      ),
    )
    expect(invalid(() => parseGetRandomPasswordRequest({ PasswordLength: 4097 }))).toMatch(
      /'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096$/,
    )
  })

  it('reports list lengths with the rendered list', () => {
    expect(invalid(() => parseBatchGetSecretValueRequest({ SecretIdList: [] }))).toBe(
      one(
        "Value '[]' at 'secretIdList' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    )
    const ids = Array.from({ length: 21 }, (_, i) => `s${i}`)
    expect(invalid(() => parseBatchGetSecretValueRequest({ SecretIdList: ids }))).toBe(
      one(
        `Value '[${ids.join(', ')}]' at 'secretIdList' failed to satisfy constraint: ` +
          'Member must have length less than or equal to 20',
      ),
    )
  })

  it('collects all violations depth-first in member order', () => {
    const message = invalid(() =>
      parseListSecretsRequest({
        MaxResults: 0,
        Filters: [
          { Key: 'name', Values: ['ok', '#bad'] },
          { Key: 'nope', Values: [] },
        ],
        SortOrder: 'up',
      }),
    )
    expect(message).toBe(
      '5 validation errors detected: ' +
        [
          "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
          "Value '#bad' at 'filters.1.member.values.2.member' failed to satisfy constraint: " +
            'Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$',
          "Value 'nope' at 'filters.2.member.key' failed to satisfy constraint: " +
            'Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, owning-service, all]',
          "Value '[]' at 'filters.2.member.values' failed to satisfy constraint: " +
            'Member must have length greater than or equal to 1',
          "Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]",
        ].join('; '),
    )
  })

  it('reports several violations of one member, and null list elements', () => {
    expect(invalid(() => parseUntagResourceRequest({ SecretId: '', TagKeys: ['k', null] }))).toBe(
      '2 validation errors detected: ' +
        "Value '' at 'secretId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value null at 'tagKeys.2.member' failed to satisfy constraint: Member must not be null",
    )
  })
})

describe('generated Secrets Manager validators: sensitive values', () => {
  it('never renders a too long SecretString', () => {
    const secret = 'correct-horse-battery-staple-'.repeat(2300).slice(0, 65537)
    const message = invalid(() => parseCreateSecretRequest({ Name: 'n', SecretString: secret }))
    expect(message).toBe(
      one(
        "Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
      ),
    )
    expect(message).not.toContain('horse')
  })

  it('never renders an empty or patterned sensitive value', () => {
    expect(invalid(() => parsePutSecretValueRequest({ SecretId: 's', SecretString: '' }))).toBe(
      one(
        "Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    )
    const token = 'rotation token with spaces and more than 36 chars'
    const message = invalid(() => parsePutSecretValueRequest({ SecretId: 's', RotationToken: token }))
    expect(message).toBe(
      one(
        "Value at 'rotationToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$",
      ),
    )
    expect(message).not.toContain('rotation token')
  })

  it('keeps arbitrary secret strings out of every message', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (fragment) => {
        const marker = `\u0000${fragment}\u0000`
        const secret = marker.repeat(Math.ceil(65537 / marker.length) + 1)
        const message = invalid(() => parseCreateSecretRequest({ Name: '', SecretString: secret }))
        expect(message).not.toContain(marker)
      }),
      { numRuns: 50 },
    )
  })
})

describe('generated Secrets Manager validators: blobs', () => {
  it('decodes base64 into bytes', () => {
    const input = parsePutSecretValueRequest({
      SecretId: 's',
      SecretBinary: Buffer.from([0, 1, 254, 255]).toString('base64'),
    })
    expect(input.SecretBinary).toBeInstanceOf(Uint8Array)
    expect([...(input.SecretBinary ?? [])]).toEqual([0, 1, 254, 255])
    expect([
      ...(parsePutSecretValueRequest({ SecretId: 's', SecretBinary: 'AAE' }).SecretBinary ?? []),
    ]).toEqual([0, 1])
  })

  it('applies length constraints to the decoded bytes and never renders them', () => {
    const max = Buffer.alloc(65536, 7).toString('base64')
    expect(parsePutSecretValueRequest({ SecretId: 's', SecretBinary: max }).SecretBinary).toHaveLength(65536)
    const tooLong = Buffer.alloc(65537, 7).toString('base64')
    expect(invalid(() => parsePutSecretValueRequest({ SecretId: 's', SecretBinary: tooLong }))).toBe(
      one(
        "Value at 'secretBinary' failed to satisfy constraint: Member must have length less than or equal to 65536",
      ),
    )
    expect(invalid(() => parsePutSecretValueRequest({ SecretId: 's', SecretBinary: '' }))).toBe(
      one(
        "Value at 'secretBinary' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    )
  })

  it('rejects invalid base64 without echoing it', () => {
    for (const bad of ['AA=A', 'A', 'AAAA AAAA', 'AA==AA==', 'AAA*']) {
      const message = unserializable(() => parsePutSecretValueRequest({ SecretId: 's', SecretBinary: bad }))
      expect(message).toBe('Base64 encoded value could not be decoded.')
    }
    expect(unserializable(() => parsePutSecretValueRequest({ SecretId: 's', SecretBinary: 5 }))).toBe(
      'NUMBER_VALUE can not be converted to a Blob',
    )
  })
})

describe('generated Secrets Manager validators: serialization errors', () => {
  it.each([
    [{ SecretId: 5 }, 'NUMBER_VALUE can not be converted to a String'],
    [{ SecretId: true }, 'TRUE_VALUE can not be converted to a String'],
    [{ SecretId: false }, 'FALSE_VALUE can not be converted to a String'],
    [{ SecretId: {} }, 'Start of structure or map found where not expected.'],
    [{ SecretId: ['s'] }, 'Start of list found where not expected.'],
  ])('%j', (body, message) => {
    expect(unserializable(() => parseGetSecretValueRequest(body))).toBe(message)
  })

  it('rejects wrong number and boolean types', () => {
    expect(unserializable(() => parseListSecretsRequest({ MaxResults: '5' }))).toBe(
      'STRING_VALUE can not be converted to an Integer',
    )
    expect(unserializable(() => parseListSecretsRequest({ MaxResults: 1.5 }))).toBe(
      'NUMBER_VALUE can not be converted to an Integer',
    )
    expect(unserializable(() => parseListSecretsRequest({ MaxResults: 2 ** 31 }))).toBe(
      'NUMBER_VALUE can not be converted to an Integer',
    )
    expect(unserializable(() => parseGetRandomPasswordRequest({ PasswordLength: 2 ** 53 }))).toBe(
      'NUMBER_VALUE can not be converted to a Long',
    )
    expect(unserializable(() => parseListSecretsRequest({ IncludePlannedDeletion: 'true' }))).toBe(
      'STRING_VALUE can not be converted to a Boolean',
    )
  })

  it('rejects containers of the wrong kind', () => {
    expect(unserializable(() => parseListSecretsRequest({ Filters: {} }))).toBe(
      'Start of structure or map found where not expected.',
    )
    expect(unserializable(() => parseListSecretsRequest({ Filters: 'name' }))).toBe(
      'STRING_VALUE can not be converted to a List',
    )
    expect(unserializable(() => parseRotateSecretRequest({ SecretId: 's', RotationRules: [] }))).toBe(
      'Start of list found where not expected.',
    )
    expect(unserializable(() => parseListSecretsRequest({ Filters: [5] }))).toBe(
      'NUMBER_VALUE can not be converted to a Structure',
    )
  })

  it('requires the body to be an object', () => {
    expect(unserializable(() => parseGetSecretValueRequest([]))).toBe(
      'Start of list found where not expected.',
    )
    expect(unserializable(() => parseGetSecretValueRequest('x'))).toBe(
      'STRING_VALUE can not be converted to a Structure',
    )
    // No body at all is an empty input.
    expect(parseListSecretsRequest(undefined)).toEqual({})
  })

  it('throws the serialization error even after collecting violations', () => {
    expect(unserializable(() => parseListSecretsRequest({ MaxResults: 0, SortOrder: 5 }))).toBe(
      'NUMBER_VALUE can not be converted to a String',
    )
    // ... and the next parse starts clean.
    expect(parseListSecretsRequest({ MaxResults: 1 })).toEqual({ MaxResults: 1 })
  })
})

describe('generated Secrets Manager validators: results', () => {
  it('drops unknown members and returns the typed input', () => {
    const input = parseCreateSecretRequest({
      Name: 'prod/db',
      ClientRequestToken: 'c'.repeat(32),
      Unknown: 'x',
      Tags: [{ Key: 'k', Value: 'v', Extra: 1 }],
      AddReplicaRegions: [{ Region: 'eu-west-1' }],
      ForceOverwriteReplicaSecret: false,
    })
    expect(input).toEqual({
      Name: 'prod/db',
      ClientRequestToken: 'c'.repeat(32),
      Tags: [{ Key: 'k', Value: 'v' }],
      AddReplicaRegions: [{ Region: 'eu-west-1' }],
      ForceOverwriteReplicaSecret: false,
    })
    expect(Object.keys(input)).not.toContain('Unknown')
  })

  it('ignores inherited property names in the body', () => {
    const body = JSON.parse('{"SecretId":"s","__proto__":{"VersionId":"x"},"constructor":1}') as unknown
    expect(parseGetSecretValueRequest(body)).toEqual({ SecretId: 's' })
  })

  it('wires every operation to its parser', () => {
    expect(operations.GetSecretValue.parse).toBe(parseGetSecretValueRequest)
    expect(operations.CreateSecret.idempotencyTokens).toEqual(['ClientRequestToken'])
    expect(operations.TagResource.output).toBeUndefined()
    for (const op of Object.values(operations))
      expect(() => op.parse({ SecretId: 's', Name: 'n' })).not.toThrow(TypeError)
  })

  it('only ever throws AWS errors, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        for (const op of Object.values(operations)) {
          for (const body of [a, { SecretId: a, Name: b, Filters: a, Tags: b, SecretBinary: a }]) {
            try {
              op.parse(body)
            } catch (error) {
              expect(error).toBeInstanceOf(AwsError)
            }
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
