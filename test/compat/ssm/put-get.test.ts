/** PutParameter and GetParameter through @aws-sdk/client-ssm (spec §5.1, §5.2). */
import { DecryptCommand } from '@aws-sdk/client-kms'
import { GetParameterCommand, PutParameterCommand, type PutParameterCommandInput } from '@aws-sdk/client-ssm'
import { describe, expect, it } from 'vitest'
import { awsError, expectSsmError, rawSsm, uniqueName, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
const put = (input: PutParameterCommandInput) => h.ssm.send(new PutParameterCommand(input))
const get = async (Name: string, WithDecryption?: boolean) =>
  (
    await h.ssm.send(
      new GetParameterCommand({ Name, ...(WithDecryption !== undefined && { WithDecryption }) }),
    )
  ).Parameter

const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_'

describe('PutParameter and GetParameter', () => {
  it('stores String, StringList and SecureString parameters; versions start at 1', async () => {
    const base = uniquePath('types')
    expect(await put({ Name: `${base}/s`, Value: 'plain', Type: 'String' })).toMatchObject({
      Version: 1,
      Tier: 'Standard',
    })
    await put({ Name: `${base}/l`, Value: 'a,b,c', Type: 'StringList' })
    await put({ Name: `${base}/secure`, Value: 'pa55', Type: 'SecureString' })
    const s = await get(`${base}/s`)
    expect(s).toEqual({
      Name: `${base}/s`,
      Type: 'String',
      Value: 'plain',
      Version: 1,
      LastModifiedDate: expect.any(Date),
      ARN: `arn:aws:ssm:${h.region}:${h.accountId}:parameter${base}/s`,
      DataType: 'text',
    })
    expect(await get(`${base}/l`)).toMatchObject({ Type: 'StringList', Value: 'a,b,c' })
    expect(await get(`${base}/secure`, true)).toMatchObject({ Type: 'SecureString', Value: 'pa55' })
  })

  it('returns a SecureString without WithDecryption as a real KMS ciphertext bound to the parameter ARN', async () => {
    const { CreateKeyCommand } = await import('@aws-sdk/client-kms')
    const key = await h.kms.send(new CreateKeyCommand({ Description: 'ssm test' }))
    const name = `${uniquePath('blob')}/db`
    await put({ Name: name, Value: 'top-secret', Type: 'SecureString', KeyId: key.KeyMetadata?.Arn ?? '' })
    const parameter = await get(name, false)
    expect(parameter?.Value).not.toContain('top-secret')
    const blob = Buffer.from(parameter?.Value ?? '', 'base64')
    expect(blob.toString('base64')).toBe(parameter?.Value)
    const arn = parameter?.ARN ?? ''
    const opened = await h.kms.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { PARAMETER_ARN: arn } }),
    )
    expect(Buffer.from(opened.Plaintext ?? []).toString()).toBe('top-secret')
    expect(opened.KeyId).toBe(key.KeyMetadata?.Arn)
    await expect(
      h.kms.send(
        new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { PARAMETER_ARN: `${arn}x` } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' })
  })

  it('encrypts under alias/aws/ssm by default, a key only usable through SSM, as on AWS', async () => {
    const name = uniquePath('managed')
    await put({ Name: name, Value: 'm', Type: 'SecureString' })
    const { DescribeParametersCommand } = await import('@aws-sdk/client-ssm')
    const described = await h.ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }),
    )
    expect(described.Parameters?.[0]?.KeyId).toBe('alias/aws/ssm')
    const blob = Buffer.from((await get(name))?.Value ?? '', 'base64')
    const arn = `arn:aws:ssm:${h.region}:${h.accountId}:parameter${name}`
    await expect(
      h.kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { PARAMETER_ARN: arn } })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' })
    expect(await get(name, true)).toMatchObject({ Value: 'm' })
  })

  it('treats `name` and `/name` as one parameter and echoes the form the caller used', async () => {
    const name = uniqueName('slash')
    await put({ Name: name, Value: 'one', Type: 'String' })
    expect(await get(name)).toMatchObject({ Name: name, Value: 'one' })
    expect(await get(`/${name}`)).toMatchObject({
      Name: `/${name}`,
      Value: 'one',
      ARN: `arn:aws:ssm:${h.region}:${h.accountId}:parameter/${name}`,
    })
    await expectSsmError(put({ Name: `/${name}`, Value: 'two', Type: 'String' }), 'ParameterAlreadyExists')
    expect(await put({ Name: `/${name}`, Value: 'two', Overwrite: true })).toMatchObject({ Version: 2 })
    expect(await get(name)).toMatchObject({ Name: name, Value: 'two', Version: 2 })
  })

  it('accepts ARNs and answers with the plain name; leading and trailing spaces are trimmed', async () => {
    const name = `${uniquePath('arn')}/x`
    await put({ Name: ` ${name} `, Value: 'v', Type: 'String' })
    const arn = `arn:aws:ssm:${h.region}:${h.accountId}:parameter${name}`
    expect(await get(arn)).toMatchObject({ Name: name, ARN: arn, Value: 'v' })
    expect(await get(`${arn}:1`)).toMatchObject({ Name: name, Selector: ':1' })
    // Another account's parameter is another account's resource: nothing is shared with this caller.
    await expectSsmError(
      get(`arn:aws:ssm:${h.region}:123456789012:parameter${name}`),
      'AccessDeniedException',
    )
    await expectSsmError(get(`arn:aws:ssm:eu-north-1:${h.accountId}:parameter${name}`), 'ParameterNotFound')
    await expectSsmError(get('a b'), 'ValidationException', INVALID_NAME)
  })

  it('selects versions and labels; Selector only when one was used', async () => {
    const name = `${uniquePath('sel')}/p`
    await put({ Name: name, Value: 'v1', Type: 'String' })
    await put({ Name: name, Value: 'v2', Overwrite: true })
    const { LabelParameterVersionCommand } = await import('@aws-sdk/client-ssm')
    await h.ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 1, Labels: ['prod'] }))
    expect(await get(name)).not.toHaveProperty('Selector')
    expect(await get(name)).toMatchObject({ Value: 'v2', Version: 2 })
    expect(await get(`${name}:1`)).toMatchObject({ Name: name, Value: 'v1', Version: 1, Selector: ':1' })
    expect(await get(`${name}:prod`)).toMatchObject({ Value: 'v1', Version: 1, Selector: ':prod' })
    await expectSsmError(
      get(`${name}:7`),
      'ParameterVersionNotFound',
      `Systems Manager could not find version 7 of ${name}. Verify the version and try again.`,
    )
    await expectSsmError(get(`${name}:nolabel`), 'ParameterNotFound')
  })

  it('answers a missing parameter with ParameterNotFound and an empty message', async () => {
    const name = uniquePath('missing')
    await expectSsmError(get(name), 'ParameterNotFound', 'UnknownError')
    const raw = await rawSsm(h.server, 'GetParameter', { Name: name })
    expect(raw.status).toBe(400)
    expect(raw.headers['x-amzn-errortype']).toBe('ParameterNotFound')
    expect(raw.json).toEqual({ __type: 'ParameterNotFound', message: '' })
    expect(awsError(raw)).toEqual({ type: 'ParameterNotFound', message: '' })
  })

  it('overwrites only with Overwrite, keeps the type, and refuses Tags with Overwrite', async () => {
    const name = `${uniquePath('ow')}/p`
    await put({ Name: name, Value: 'a', Type: 'SecureString', Description: 'first' })
    await expectSsmError(
      put({ Name: name, Value: 'b', Type: 'SecureString' }),
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    )
    expect(await put({ Name: name, Value: 'b', Overwrite: true })).toMatchObject({ Version: 2 })
    expect(await get(name, true)).toMatchObject({ Type: 'SecureString', Value: 'b', Version: 2 })
    await expectSsmError(
      put({ Name: name, Value: 'c', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] }),
      'ValidationException',
      /tags and overwrite can't be used together/,
    )
    expect(await put({ Name: name, Value: 'c', Type: 'String', Overwrite: true })).toMatchObject({
      Version: 3,
    })
    expect(await get(name)).toMatchObject({ Type: 'String', Value: 'c' })
  })

  it('requires a type on creation, a non-empty value, and no nested parameters', async () => {
    const name = uniquePath('rules')
    await expectSsmError(put({ Name: name, Value: 'x' }), 'ValidationException', /parameter type is required/)
    await expectSsmError(
      put({ Name: name, Value: '', Type: 'String' }),
      'ValidationException',
      /length greater/,
    )
    await expectSsmError(
      put({ Name: name, Value: 'x{{ssm:/other}}y', Type: 'String' }),
      'ValidationException',
      'Parameter value can\'t nest another parameter. Do not use "{{}}" in the value.',
    )
    await expectSsmError(get(name), 'ParameterNotFound')
  })

  it('enforces AllowedPattern on every version', async () => {
    const name = uniquePath('pattern')
    await expectSsmError(
      put({ Name: name, Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' }),
      'ParameterPatternMismatchException',
    )
    await put({ Name: name, Value: '123', Type: 'String', AllowedPattern: '^\\d+$' })
    await expectSsmError(
      put({ Name: name, Value: 'x', Overwrite: true }),
      'ParameterPatternMismatchException',
    )
    await expectSsmError(
      put({ Name: name, Value: '1', Overwrite: true, AllowedPattern: '(' }),
      'InvalidAllowedPatternException',
    )
    expect(await put({ Name: name, Value: '456', Overwrite: true })).toMatchObject({ Version: 2 })
  })

  it('applies the tier size limits, Intelligent-Tiering, and never downgrades Advanced', async () => {
    const name = uniquePath('tier')
    const big = 'x'.repeat(4097)
    await expectSsmError(
      put({ Name: name, Value: big, Type: 'String' }),
      'ValidationException',
      /^Standard tier parameters support a maximum parameter value of 4096 characters/,
    )
    expect(await put({ Name: name, Value: 'x'.repeat(4096), Type: 'String' })).toMatchObject({
      Tier: 'Standard',
    })
    expect(await put({ Name: name, Value: big, Overwrite: true, Tier: 'Intelligent-Tiering' })).toMatchObject(
      {
        Tier: 'Advanced',
      },
    )
    expect(await put({ Name: name, Value: 'small', Overwrite: true })).toMatchObject({ Tier: 'Advanced' })
    await expectSsmError(
      put({ Name: name, Value: 'small', Overwrite: true, Tier: 'Standard' }),
      'ValidationException',
      /can't downgrade a parameter from the advanced-parameter tier/,
    )
    expect(await put({ Name: name, Value: 'y'.repeat(8192), Overwrite: true })).toMatchObject({
      Tier: 'Advanced',
    })
    await expectSsmError(put({ Name: name, Value: 'y'.repeat(8193), Overwrite: true }), 'ValidationException')
    const fresh = uniquePath('tier-it')
    expect(await put({ Name: fresh, Value: 's', Type: 'String', Tier: 'Intelligent-Tiering' })).toMatchObject(
      {
        Tier: 'Standard',
      },
    )
  })

  it('supports the text, aws:ec2:image and aws:ssm:integration data types', async () => {
    const base = uniquePath('dt')
    await put({
      Name: `${base}/ami`,
      Value: 'ami-0123456789abcdef0',
      Type: 'String',
      DataType: 'aws:ec2:image',
    })
    expect(await get(`${base}/ami`)).toMatchObject({ DataType: 'aws:ec2:image' })
    await expectSsmError(
      put({ Name: `${base}/bad`, Value: 'not-an-ami', Type: 'String', DataType: 'aws:ec2:image' }),
      'ValidationException',
    )
    await expectSsmError(
      put({ Name: `${base}/bad`, Value: 'x', Type: 'String', DataType: 'Text' }),
      'ValidationException',
      'The following data type is not supported: Text (Data type names are all lowercase.)',
    )
  })

  it('validates names: characters, hierarchy, depth, length and the reserved prefixes', async () => {
    const ok = { Value: 'v', Type: 'String' as const }
    for (const bad of ['a/b/c', '/a//b', '/a/b/', 'na$me', 'in side']) {
      await expectSsmError(put({ Name: bad, ...ok }), 'ValidationException', INVALID_NAME)
    }
    const deep = `${uniquePath('deep')}${'/l'.repeat(14)}`
    await put({ Name: deep, ...ok })
    await expectSsmError(put({ Name: `${deep}/l`, ...ok }), 'HierarchyLevelLimitExceededException')
    const prefix = `arn:aws:ssm:${h.region}:${h.accountId}:parameter/`
    const longest = `/${'n'.repeat(1011 - prefix.length)}`
    await put({ Name: longest, ...ok })
    await expectSsmError(put({ Name: `${longest}n`, ...ok }), 'ValidationException')
    for (const reserved of ['aws-x', 'SSM.y', '/awsfoo']) {
      await expectSsmError(
        put({ Name: reserved, ...ok }),
        'ValidationException',
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
      )
    }
    await expectSsmError(put({ Name: '/ssm/x', ...ok }), 'ValidationException', INVALID_NAME)
    await expectSsmError(
      put({ Name: '/aws/x', ...ok }),
      'AccessDeniedException',
      'No access to reserved parameter name: /aws/x.',
    )
  })

  it('encrypts under a customer KeyId and refuses unknown keys', async () => {
    const { CreateKeyCommand } = await import('@aws-sdk/client-kms')
    const key = await h.kms.send(new CreateKeyCommand({}))
    const name = uniquePath('cmk')
    await put({ Name: name, Value: 'k', Type: 'SecureString', KeyId: key.KeyMetadata?.KeyId ?? '' })
    expect(await get(name, true)).toMatchObject({ Value: 'k' })
    await expectSsmError(
      put({ Name: uniquePath('nokey'), Value: 'k', Type: 'SecureString', KeyId: 'alias/does-not-exist' }),
      'InvalidKeyId',
    )
  })
})
