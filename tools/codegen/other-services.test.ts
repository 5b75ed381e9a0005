/**
 * The generator is ready for the services after Secrets Manager: subsets of KMS, SSM, STS, IAM and
 * CloudTrail are generated into a temporary directory inside the repository (so the `src/lib` imports
 * resolve), type-checked with the repository's compiler options, and exercised at runtime.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AwsError } from '../../src/lib/aws/errors.js'
import { generateService, header } from './generate.js'
import { run } from './main.js'
import { repoRoot } from './paths.js'
import type { ServiceEntry } from './services.js'
import { VENDORED_MODELS } from './vendor-models.js'

const tmpRoot = path.join(repoRoot, 'tools', 'codegen', `.tmp-services-${process.pid}`)

const entries: readonly ServiceEntry[] = [
  { id: 'kms', model: 'kms/2014-11-01', operations: ['Encrypt', 'Decrypt', 'CreateKey'] },
  {
    id: 'ssm',
    model: 'ssm/2014-11-06',
    operations: ['GetParameter', 'PutParameter', 'GetParametersByPath', 'SendCommand'],
  },
  { id: 'sts', model: 'sts/2011-06-15', operations: ['AssumeRole', 'GetCallerIdentity'] },
  { id: 'iam', model: 'iam/2010-05-08', operations: ['CreateUser', 'CreateAccessKey'] },
  { id: 'cloudtrail', model: 'cloudtrail/2013-11-01', operations: ['LookupEvents'] },
]

type Module = Record<string, unknown>
const modules = new Map<string, Module>()

async function load(id: string): Promise<Module> {
  const cached = modules.get(id)
  if (cached) return cached
  const mod = (await import(path.join(tmpRoot, id, 'index.ts'))) as Module
  modules.set(id, mod)
  return mod
}

function parser(mod: Module, name: string): (raw: unknown) => Record<string, unknown> {
  const fn = mod[name]
  if (typeof fn !== 'function') throw new Error(`${name} is not exported`)
  return fn as (raw: unknown) => Record<string, unknown>
}

function errorClass(
  mod: Module,
  code: string,
): { spec: { code: string; status: number; messageMember: string } } {
  const table = mod['errorClasses'] as Record<
    string,
    { spec: { code: string; status: number; messageMember: string } }
  >
  const cls = table[code]
  if (!cls) throw new Error(`no error class for ${code}`)
  return cls
}

function message(f: () => unknown): string {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError)
    return (error as AwsError).message
  }
  throw new Error('expected the parse to fail')
}

beforeAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true })
  await run({ check: false, outRoot: tmpRoot, services: entries })
})

afterAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true })
})

describe('generated code for other services', () => {
  it('type-checks with the repository compiler options', async () => {
    const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), (f) => ts.sys.readFile(f))
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot)
    const rootNames = entries.map((e) => path.join(tmpRoot, e.id, 'index.ts'))
    // A consumer's view too: the operation table must satisfy the hand-written spec types.
    const consumer = path.join(tmpRoot, 'consumer.ts')
    await writeFile(
      consumer,
      [
        "import type { OperationSpec } from '../../../src/lib/aws/schema-types.js'",
        "import { operations, type OperationTypes } from './sts/index.js'",
        'const spec: OperationSpec = operations.AssumeRole',
        "type Output = OperationTypes['AssumeRole']['output']",
        "const output: Output = { Credentials: { AccessKeyId: 'a', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() } }",
        'export { spec, output }',
        '',
      ].join('\n'),
    )
    const program = ts.createProgram({
      rootNames: [...rootNames, consumer],
      options: { ...parsed.options, noEmit: true },
    })
    const diagnostics = ts.getPreEmitDiagnostics(program)
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => repoRoot,
      getNewLine: () => '\n',
    })
    expect(text).toBe('')
  })

  it('starts every file with the generated header', async () => {
    for (const entry of entries) {
      const files = await generateService(entry, { outDir: path.join(tmpRoot, entry.id) })
      for (const content of files.values()) expect(content.startsWith(header(entry))).toBe(true)
    }
  })

  it('uses the awsQuery error codes and statuses (STS, IAM)', async () => {
    const sts = await load('sts')
    expect(errorClass(sts, 'MalformedPolicyDocument').spec).toMatchObject({
      code: 'MalformedPolicyDocument',
      status: 400,
      messageMember: 'message',
    })
    expect(errorClass(sts, 'PackedPolicyTooLarge').spec.code).toBe('PackedPolicyTooLarge')
    expect(errorClass(sts, 'RegionDisabledException').spec.status).toBe(403)
    const iam = await load('iam')
    expect(errorClass(iam, 'NoSuchEntity').spec).toMatchObject({ code: 'NoSuchEntity', status: 404 })
    expect(errorClass(iam, 'EntityAlreadyExists').spec).toMatchObject({
      code: 'EntityAlreadyExists',
      status: 409,
    })
    const NoSuchEntity = iam['NoSuchEntityException'] as new (message: string) => AwsError
    const error = new NoSuchEntity('The user with name bob cannot be found.')
    expect(error).toBeInstanceOf(AwsError)
    expect([error.code, error.status, error.fault, error.messageMember]).toEqual([
      'NoSuchEntity',
      404,
      'client',
      'message',
    ])
  })

  it('describes the query protocol for the codecs', async () => {
    const sts = await load('sts')
    const service = sts['service'] as Record<string, unknown>
    expect(service).toMatchObject({
      protocol: 'query',
      xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    })
    const operations = sts['operations'] as Record<string, Record<string, unknown>>
    expect(operations['AssumeRole']?.['resultWrapper']).toBe('AssumeRoleResult')
    expect(Object.keys(operations)).toEqual(['AssumeRole', 'GetCallerIdentity'])
    expect(parser(sts, 'parseGetCallerIdentityRequest')({})).toEqual({})
    expect(
      message(() => parser(sts, 'parseAssumeRoleRequest')({ RoleArn: 'arn:aws:iam::123456789012:role/r' })),
    ).toBe(
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    )
  })

  it('emits only the shapes reachable from the selected operations', async () => {
    const kms = await load('kms')
    const shapes = kms['shapes'] as Record<string, unknown>
    expect(shapes).toHaveProperty('EncryptRequest')
    expect(shapes).toHaveProperty('NotFoundException')
    expect(shapes).not.toHaveProperty('ListAliasesRequest')
    expect(kms).not.toHaveProperty('parseListAliasesRequest')
    expect(errorClass(kms, 'NotFoundException').spec.messageMember).toBe('message')
    expect((kms['service'] as Record<string, unknown>)['targetPrefix']).toBe('TrentService')
  })

  it('decodes KMS blobs and maps, and redacts the plaintext', async () => {
    const encrypt = parser(await load('kms'), 'parseEncryptRequest')
    const input = encrypt({ KeyId: 'alias/k', Plaintext: 'aGk=', EncryptionContext: { purpose: 'test' } })
    expect(input['Plaintext']).toBeInstanceOf(Uint8Array)
    expect(input['EncryptionContext']).toEqual({ purpose: 'test' })
    expect(message(() => encrypt({ KeyId: 'alias/k', Plaintext: '' }))).toBe(
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
  })

  it('keeps sensitive values and the keys of sensitive maps out of messages (SSM)', async () => {
    const ssm = await load('ssm')
    const secret = 'hunter2'.repeat(1000)
    const put = parser(ssm, 'parsePutParameterRequest')
    expect(put({ Name: '/p', Value: secret })).toEqual({ Name: '/p', Value: secret })
    const failed = message(() => put({ Name: '', Value: secret, Tier: 'Gold' }))
    expect(failed).toMatch(/^2 validation errors detected: Value '' at 'name' .*; Value 'Gold' at 'tier' /)
    expect(failed).not.toContain('hunter2')
    const send = message(() =>
      parser(
        ssm,
        'parseSendCommandRequest',
      )({ DocumentName: 'AWS-RunShellScript', Parameters: { 'db-password': null } }),
    )
    expect(send).toBe(
      "1 validation error detected: Value null at 'parameters' failed to satisfy constraint: Member must not be null",
    )
    expect(errorClass(ssm, 'ParameterNotFound').spec.messageMember).toBe('message')
  })

  it('parses timestamps and checks enums (CloudTrail)', async () => {
    const lookup = parser(await load('cloudtrail'), 'parseLookupEventsRequest')
    const input = lookup({ StartTime: 1700000000, EndTime: '2024-01-01T00:00:00Z' })
    expect(input['StartTime']).toEqual(new Date(1700000000 * 1000))
    expect(input['EndTime']).toEqual(new Date('2024-01-01T00:00:00Z'))
    expect(message(() => lookup({ LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: 'x' }] }))).toBe(
      "1 validation error detected: Value 'Nope' at 'lookupAttributes.1.member.attributeKey' failed to satisfy " +
        'constraint: Member must satisfy enum value set: [EventId, EventName, ReadOnly, Username, ResourceType, ' +
        'ResourceName, EventSource, AccessKeyId]',
    )
  })

  it('generates every vendored model in full without errors', async () => {
    for (const model of VENDORED_MODELS) {
      const id = model.split('/')[0] ?? model
      const files = await generateService({ id, model }, { outDir: path.join(tmpRoot, 'full', id) })
      expect(files.size).toBe(6)
    }
  })
})

describe('generation failures are explicit', () => {
  it('rejects unknown operations in an allow-list', async () => {
    await expect(
      generateService(
        { id: 'kms', model: 'kms/2014-11-01', operations: ['Encrypt', 'Nope'] },
        { outDir: tmpRoot },
      ),
    ).rejects.toThrow('unknown operations in allow-list: Nope')
  })

  it('fails on a pattern that cannot be compiled, pointing at patches', async () => {
    const models = path.join(tmpRoot, 'bad-models')
    await mkdir(path.join(models, 'x', '2020-01-01'), { recursive: true })
    const model = {
      metadata: { apiVersion: '2020-01-01', endpointPrefix: 'x', protocol: 'json', serviceId: 'X' },
      operations: { Op: { name: 'Op', input: { shape: 'In' } } },
      shapes: {
        In: { type: 'structure', members: { A: { shape: 'S' } } },
        S: { type: 'string', pattern: '[a-z&&[^b]]+' },
      },
    }
    await writeFile(path.join(models, 'x', '2020-01-01', 'service-2.json'), JSON.stringify(model))
    await expect(
      generateService(
        { id: 'x', model: 'x/2020-01-01' },
        { outDir: path.join(tmpRoot, 'x'), modelsDir: models },
      ),
    ).rejects.toThrow(/pattern of shape S cannot be compiled[\s\S]*tools\/codegen\/patches/)
  })
})
