/**
 * @aws-lambda-powertools/parameters as a real consumer: SecretsProvider and SSMProvider (get,
 * getMultiple by path, getParametersByName, decryption) and the Secrets Manager passthrough, configured
 * explicitly (endpoint, region, credentials) so nothing comes from the environment.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets'
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { PutParameterCommand, type PutParameterCommandInput } from '@aws-sdk/client-ssm'
import { beforeAll, describe, expect, it } from 'vitest'
import { uniqueName, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
const put = (input: PutParameterCommandInput) => h.ssm.send(new PutParameterCommand(input))

let ssm: SSMProvider
let secrets: SecretsProvider
let root = ''
let clientConfig: ConstructorParameters<typeof SSMProvider>[0] & {}

beforeAll(async () => {
  clientConfig = {
    clientConfig: {
      endpoint: h.server.endpoint,
      region: h.region,
      credentials: {
        accessKeyId: h.server.credentials.accessKeyId,
        secretAccessKey: h.server.credentials.secretAccessKey,
      },
      maxAttempts: 1,
    },
  }
  ssm = new SSMProvider(clientConfig)
  secrets = new SecretsProvider(clientConfig)
  root = uniquePath('pt')
  await put({ Name: `${root}/plain`, Value: 'hello', Type: 'String' })
  await put({ Name: `${root}/json`, Value: '{"a":1,"b":[true]}', Type: 'String' })
  await put({ Name: `${root}/list`, Value: 'x,y,z', Type: 'StringList' })
  await put({ Name: `${root}/secret`, Value: 's3cr3t', Type: 'SecureString' })
  await put({ Name: `${root}/nested/deep`, Value: 'deep', Type: 'String' })
})

describe('Powertools SSMProvider', () => {
  it('gets single parameters, decrypting SecureStrings on request and transforming JSON', async () => {
    expect(await ssm.get(`${root}/plain`)).toBe('hello')
    expect(await ssm.get(`${root}/json`, { transform: 'json' })).toEqual({ a: 1, b: [true] })
    expect(await ssm.get(`${root}/secret`, { decrypt: true })).toBe('s3cr3t')
    const encrypted = await ssm.get(`${root}/secret`, { forceFetch: true })
    expect(encrypted).not.toBe('s3cr3t')
    expect(encrypted).toMatch(/^[A-Za-z0-9+/]+=*$/)
  })

  it('getMultiple reads a path, one level or recursively, with decryption', async () => {
    expect(await ssm.getMultiple(root)).toEqual({
      plain: 'hello',
      json: '{"a":1,"b":[true]}',
      list: 'x,y,z',
      secret: expect.not.stringMatching(/^s3cr3t$/),
    })
    expect(await ssm.getMultiple(root, { recursive: true, decrypt: true, forceFetch: true })).toEqual({
      plain: 'hello',
      json: '{"a":1,"b":[true]}',
      list: 'x,y,z',
      secret: 's3cr3t',
      'nested/deep': 'deep',
    })
  })

  it('getParametersByName batches GetParameters and GetParameter (per-parameter decryption)', async () => {
    const all = await ssm.getParametersByName(
      {
        [`${root}/plain`]: {},
        [`${root}/json`]: { transform: 'json' },
        [`${root}/secret`]: { decrypt: true },
      },
      { maxAge: 0 },
    )
    expect(all).toEqual({
      [`${root}/plain`]: 'hello',
      [`${root}/json`]: { a: 1, b: [true] },
      [`${root}/secret`]: 's3cr3t',
    })
    // A fresh provider: Powertools' cache keys ignore `decrypt`, and an earlier test cached the ciphertext.
    const fresh = new SSMProvider(clientConfig)
    const decryptedBatch = await fresh.getParametersByName(
      { [`${root}/secret`]: {}, [`${root}/plain`]: {} },
      { decrypt: true, maxAge: 0 },
    )
    expect(decryptedBatch).toEqual({ [`${root}/secret`]: 's3cr3t', [`${root}/plain`]: 'hello' })
  })

  it('reports missing parameters through InvalidParameters (throwOnError false) or by throwing', async () => {
    const missing = `${root}/missing`
    const graceful = await ssm.getParametersByName(
      { [`${root}/plain`]: {}, [missing]: {} },
      { throwOnError: false, maxAge: 0 },
    )
    expect(graceful).toEqual({ [`${root}/plain`]: 'hello', _errors: [missing] })
    await expect(ssm.getParametersByName({ [missing]: {} }, { maxAge: 0 })).rejects.toThrow(missing)
    await expect(ssm.get(missing)).rejects.toThrow()
  })

  it('reads Secrets Manager secrets through the /aws/reference/secretsmanager/ passthrough', async () => {
    const name = `pt/${uniqueName('ref')}`
    await h.sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"pw"}' }))
    const reference = `/aws/reference/secretsmanager/${name}`
    expect(await ssm.get(reference, { decrypt: true, transform: 'json' })).toEqual({ password: 'pw' })
    expect(await ssm.get(`${reference}:AWSCURRENT`, { decrypt: true })).toBe('{"password":"pw"}')
    await expect(ssm.get(reference, { forceFetch: true })).rejects.toThrow(/WithDecryption flag must be True/)
  })
})

describe('Powertools SecretsProvider', () => {
  it('gets secrets, transforming JSON', async () => {
    const name = `pt/${uniqueName('secret')}`
    await h.sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"user":"u"}' }))
    expect(await secrets.get(name)).toBe('{"user":"u"}')
    expect(await secrets.get(name, { transform: 'json', forceFetch: true })).toEqual({ user: 'u' })
  })
})
