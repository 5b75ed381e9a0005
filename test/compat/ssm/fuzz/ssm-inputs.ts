/**
 * SSM's domain overrides for the schema fuzzer: names drawn from the fixtures (with and without their
 * slash, as ARNs, with selectors), references to a secret, reserved and malformed names; values, labels,
 * keys, filters and tokens that reach the business rules; plausible requests per operation.
 */
import fc from 'fast-check'
import { operations } from '../../../../src/aws-api/ssm/operations.js'
import { shapes } from '../../../../src/aws-api/ssm/schema.js'
import type { ShapeSchema } from '../../../../src/lib/aws/schema-types.js'
import { FIXTURES, NEW_NAMES, SECRET_NAME } from './fixtures.js'
import { anyString, optional, schemaFuzzer, type FuzzBody } from './generic.js'

export type OperationName = keyof typeof operations

export interface Scope {
  readonly accountId: string
  readonly region: string
}

const REF = '/aws/reference/secretsmanager/'

function names(scope: Scope): string[] {
  const existing = FIXTURES.map((f) => f.name)
  const arn = (name: string) =>
    `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${name.replace(/^\//, '')}`
  return [
    ...existing,
    ...existing.map((n) => (n.startsWith('/') && n.indexOf('/', 1) === -1 ? n.slice(1) : `/${n}`)),
    ...existing.map(arn),
    ...existing.flatMap((n) => [`${n}:1`, `${n}:3`, `${n}:99`, `${n}:prod`, `${n}:full3`, `${n}:nolabel`]),
    ...NEW_NAMES,
    `${REF}${SECRET_NAME}`,
    `${REF}${SECRET_NAME}:AWSCURRENT`,
    `${REF}${SECRET_NAME}:${'f'.repeat(32)}`,
    `${REF}missing-secret`,
    `${REF}`,
    '/aws/x',
    'aws-x',
    '/ssm/y',
    'a/b',
    '//x',
    ' /fz/a/p1 ',
    'in side',
    '/fz/a:b:c',
    `/fz${'/l'.repeat(15)}`,
    `/${'n'.repeat(1000)}`,
    arn('/fz/a/p1').replace(scope.accountId, '123456789012'),
  ]
}

function override(shapeName: string, scope: Scope): fc.Arbitrary<unknown> | undefined {
  switch (shapeName) {
    case 'PSParameterName':
    case 'ResourceId':
      return fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...names(scope)) },
        { weight: 1, arbitrary: anyString(1, 30) },
      )
    case 'PSParameterValue':
      return fc.oneof(
        { weight: 8, arbitrary: anyString(1, 30) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            '',
            '{{ssm:/x}}',
            'x'.repeat(4097),
            'y'.repeat(8193),
            'ami-0123456789abcdef0',
            'abc',
            '123',
          ),
        },
      )
    case 'ParameterLabel':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('prod', 'stable', 'qa', 'full0', 'full9', 'new-label') },
        { weight: 2, arbitrary: fc.constantFrom('1bad', 'awsX', 'SSMy', 'has space', 'x!', 'l'.repeat(100)) },
        { weight: 1, arbitrary: anyString(1, 12) },
      )
    case 'ParameterKeyId':
      return fc.constantFrom(
        'alias/aws/ssm',
        `arn:aws:kms:${scope.region}:${scope.accountId}:alias/aws/ssm`,
        'alias/missing',
        '1234abcd-12ab-34cd-56ef-1234567890ab',
        'alias/aws/secretsmanager',
        'x',
      )
    case 'ParameterStringFilterKey':
      return fc.constantFrom(
        'Type',
        'KeyId',
        'Label',
        'Name',
        'Path',
        'Tier',
        'DataType',
        'tag:env',
        'tag:',
        'xNamey',
        'Bogus',
      )
    case 'ParameterStringQueryOption':
      return fc.constantFrom('Equals', 'BeginsWith', 'Contains', 'Recursive', 'OneLevel', 'bad')
    case 'ParameterStringFilterValue':
    case 'ParametersFilterValue':
      return fc.constantFrom(
        '/fz',
        '/fz/a',
        'String',
        'SecureString',
        'Standard',
        'Advanced',
        'text',
        'alias/aws/ssm',
        'prod',
        '/aws/x',
        'x',
        'fz',
      )
    case 'AllowedPattern':
      return fc.constantFrom('^\\d+$', '.*', '(', '[a-z]+', '', '^[a-z0-9]+$', '\\')
    case 'ParameterDataType':
      return fc.constantFrom('text', 'aws:ec2:image', 'aws:ssm:integration', 'TEXT', '')
    case 'ParameterPolicies':
      return fc.constantFrom('[]', '[{"Type":"Expiration","Version":"1.0","Attributes":{}}]', 'x')
    case 'PSParameterVersion':
      return fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(99, 2 ** 40))
    case 'TagKey':
      return fc.oneof(fc.constantFrom('env', 'team', 'managed-by'), anyString(1, 8))
    case 'TagValue':
      return fc.constantFrom('', 'prod', 'dev')
    case 'NextToken':
      return fc.oneof(
        anyString(1, 20),
        fc
          .tuple(
            fc.constantFrom('Describe', 'ByPath\n/fz\ntrue', 'ByPath\n/\nfalse', 'History\n1'),
            fc.oneof(fc.string(), fc.integer()),
          )
          .map((t) => Buffer.from(JSON.stringify(t)).toString('base64url')),
      )
    default:
      return undefined
  }
}

function scenario(op: OperationName, scope: Scope): fc.Arbitrary<Record<string, unknown>> | undefined {
  const name = fc.constantFrom(...names(scope))
  const fixture = fc.constantFrom(...FIXTURES.map((f) => f.name))
  const tag = fc.record({
    Key: fc.constantFrom('env', 'team', 'owner'),
    Value: fc.constantFrom('', 'prod', 'x'),
  })
  const strip = (o: Record<string, unknown>) => {
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
    return o
  }
  switch (op) {
    case 'PutParameter':
      return fc
        .record({
          Name: fc.oneof(name, fc.constantFrom(...NEW_NAMES)),
          Value: fc.oneof(fc.constantFrom('abc', 'v1', 'a,b'), anyString(1, 12)),
          Type: optional(fc.constantFrom('String', 'StringList', 'SecureString')),
          Overwrite: optional(fc.boolean()),
          Tier: optional(fc.constantFrom('Standard', 'Advanced', 'Intelligent-Tiering')),
          Description: optional(fc.constantFrom('d', '')),
        })
        .map(strip)
    case 'GetParametersByPath':
      return fc
        .record({
          Path: fc.constantFrom('/', '/fz', '/fz/a', '/fz/a/', '/aws/reference/secretsmanager', 'fz'),
          Recursive: optional(fc.boolean()),
          WithDecryption: optional(fc.boolean()),
          MaxResults: optional(fc.integer({ min: 1, max: 10 })),
        })
        .map(strip)
    case 'LabelParameterVersion':
      return fc
        .record({
          Name: fc.constantFrom(...FIXTURES.map((f) => f.name)),
          ParameterVersion: optional(fc.integer({ min: 1, max: 4 })),
          Labels: fc.array(fc.constantFrom('prod', 'stable', 'qa', 'x1', '1bad'), {
            minLength: 1,
            maxLength: 3,
          }),
        })
        .map(strip)
    case 'UnlabelParameterVersion':
      return fc.record({
        Name: fixture,
        ParameterVersion: fc.integer({ min: 1, max: 4 }),
        Labels: fc.array(fc.constantFrom('prod', 'stable', 'full1', 'nope'), { minLength: 1, maxLength: 3 }),
      })
    case 'AddTagsToResource':
    case 'RemoveTagsFromResource':
    case 'ListTagsForResource':
      return fc
        .record({
          ResourceType: fc.constantFrom('Parameter', 'Parameter', 'Document'),
          ResourceId: fixture,
          Tags: op === 'AddTagsToResource' ? fc.array(tag, { maxLength: 3 }) : fc.constant(undefined),
          TagKeys:
            op === 'RemoveTagsFromResource'
              ? fc.array(
                  tag.map((t) => t.Key),
                  { minLength: 1, maxLength: 2 },
                )
              : fc.constant(undefined),
        })
        .map(strip)
    case 'GetParameterHistory':
      return fc
        .record({
          Name: fixture,
          WithDecryption: optional(fc.boolean()),
          MaxResults: optional(fc.integer({ min: 1, max: 50 })),
        })
        .map(strip)
    case 'DescribeParameters':
      return fc
        .record({
          ParameterFilters: optional(
            fc.array(
              fc
                .record({
                  Key: fc.constantFrom('Name', 'Type', 'KeyId', 'Path', 'Tier', 'DataType', 'tag:env'),
                  Option: optional(fc.constantFrom('Equals', 'BeginsWith', 'Recursive', 'OneLevel')),
                  Values: fc.array(
                    fc.constantFrom('/fz', '/fz/a', 'String', 'SecureString', 'Standard', 'text', 'prod'),
                    {
                      minLength: 1,
                      maxLength: 2,
                    },
                  ),
                })
                .map(strip),
              { maxLength: 2 },
            ),
          ),
          MaxResults: optional(fc.integer({ min: 1, max: 50 })),
        })
        .map(strip)
    default:
      return undefined
  }
}

export function requestBody(op: OperationName, scope: Scope): fc.Arbitrary<FuzzBody> {
  const fuzzer = schemaFuzzer(shapes as unknown as Record<string, ShapeSchema>, (s) => override(s, scope))
  return fuzzer.requestBody(operations[op].input, scenario(op, scope))
}
