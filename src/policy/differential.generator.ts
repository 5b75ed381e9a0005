/**
 * Test support for differential.test.ts (not part of the engine): a fast-check generator of
 * (policies, request) cases over real Secrets Manager, KMS, SSM and STS actions and resource types,
 * two accounts, users and role sessions, and every condition family. Values come from small pools
 * so that matches and near-misses are both frequent; actions and resources lean towards the
 * request's so that statements often apply.
 */
import fc from 'fast-check'

const A = '111111111111'
const B = '222222222222'
/** Space-separated pool (none of these values contains a space). */
const words = (text: string): string[] => text.trim().split(/\s+/)

export interface Principal {
  readonly arn: string
  readonly account: string
  /** The user ARN, or the role ARN of a role session. */
  readonly principalArn: string
  readonly session: boolean
}
const user = (account: string, name: string): Principal => {
  const arn = `arn:aws:iam::${account}:user/${name}`
  return { arn, account, principalArn: arn, session: false }
}
const session = (account: string, role: string, name: string): Principal => ({
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  account,
  principalArn: `arn:aws:iam::${account}:role/${role}`,
  session: true,
})
const PRINCIPALS: readonly Principal[] = [
  user(A, 'alice'),
  user(B, 'bob'),
  session(A, 'dev', 's1'),
  session(B, 'ops', 's2'),
]

export interface Target {
  readonly action: string
  readonly resource: string
  readonly account: string
  /** The kind of the resource's policy: secret/parameter policy, KMS key policy, role trust policy. */
  readonly kind: 'resource' | 'key' | 'trust'
}
const secret = (acct: string, name: string) =>
  `arn:aws:secretsmanager:us-east-1:${acct}:secret:${name}-AbCdEf`
const TARGETS: readonly Target[] = [A, B].flatMap((account) =>
  (
    [
      ['secretsmanager:GetSecretValue', secret(account, 'app/db'), 'resource'],
      ['secretsmanager:PutSecretValue', secret(account, 'alice'), 'resource'],
      ['secretsmanager:DescribeSecret', secret(account, 'red/cfg'), 'resource'],
      ['kms:Decrypt', `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, 'key'],
      ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${account}:parameter/app/x`, 'resource'],
      ['sts:AssumeRole', `arn:aws:iam::${account}:role/target`, 'trust'],
    ] as const
  ).map(([action, resource, kind]) => ({ action, resource, account, kind })),
)

export interface Statement {
  Effect: 'Allow' | 'Deny'
  Principal?: unknown
  NotPrincipal?: unknown
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Condition?: Record<string, Record<string, string | string[]>>
}
export type Doc = { Version: '2012-10-17'; Statement: Statement[] }

const ACTIONS = words(`* secretsmanager:* secretsmanager:GetSecretValue SecretsManager:getsecretvalue
  secretsmanager:Get* secretsmanager:*Value secretsmanager:?etSecretValue secretsmanager:Describe*
  kms:* kms:Decrypt KMS:Decrypt ssm:Get* sts:AssumeRole sts:* secretsmanager:PutSecretValue`)
const RESOURCES = [
  ...words(`* arn:aws:secretsmanager:*:*:secret:* arn:aws:secretsmanager:us-east-1:*:secret:app/db-??????
    arn:aws:secretsmanager:us-east-?:*:secret:* arn:aws:kms:*:*:key/* arn:aws:ssm:us-east-1:*:parameter/app/*
    arn:aws:iam::*:role/target arn:aws:secretsmanager:*:*:secret:\${aws:PrincipalTag/team}/*`),
  ...words(`${secret(A, 'app/db')} ${secret(B, 'app/db')} arn:aws:kms:us-east-1:${A}:key/*
    arn:aws:secretsmanager:us-east-1:${A}:secret:app/* arn:aws:secretsmanager:us-east-1:${A}:secret:App/*
    arn:aws:secretsmanager:us-east-1:${B}:secret:* arn:aws:iam::${B}:role/*`),
  `arn:aws:secretsmanager:us-east-1:${A}:secret:\${aws:username}-*`,
  "arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team, 'app'}/*",
]

type KeyType = 'str' | 'num' | 'date' | 'epoch' | 'bool' | 'ip' | 'arn' | 'set'
const KEYS: Readonly<Record<string, KeyType>> = {
  'aws:ResourceTag/team': 'str',
  'aws:PrincipalTag/team': 'str',
  'aws:username': 'str',
  'secretsmanager:VersionStage': 'str',
  'kms:ViaService': 'str',
  'kms:EncryptionContext:dept': 'str',
  'sts:ExternalId': 'str',
  'aws:MultiFactorAuthAge': 'num',
  'aws:CurrentTime': 'date',
  'aws:EpochTime': 'epoch',
  'aws:SecureTransport': 'bool',
  'aws:SourceIp': 'ip',
  'aws:PrincipalArn': 'arn',
  'secretsmanager:SecretId': 'arn',
  'aws:TagKeys': 'set',
}
const STR = words('red Red blue alice AWSCURRENT secretsmanager.us-east-1.amazonaws.com x-1 ?ed')
const ARNS = words(`arn:aws:iam::${A}:role/dev arn:aws:iam::${A}:user/alice arn:aws:iam::${B}:user/bob`)
ARNS.push(secret(A, 'app/db'))
const CONTEXT: Readonly<Record<KeyType, fc.Arbitrary<string | string[]>>> = {
  str: fc.constantFrom(...STR),
  num: fc.constantFrom('30', '3600', '59.5'),
  date: fc.constantFrom('2024-01-01T00:00:00Z', '2026-06-01T12:30:00Z'),
  epoch: fc.constantFrom('1700000000', '1800000000'),
  bool: fc.constantFrom('true', 'false'),
  ip: fc.constantFrom('10.1.2.3', '192.168.0.9', '2001:db8::5', '2001:db9::1'),
  arn: fc.constantFrom(...ARNS),
  set: fc.subarray(['team', 'env', 'Owner']),
}
const COMPARISONS = words('Equals NotEquals LessThan LessThanEquals GreaterThan GreaterThanEquals')
const OPS: Readonly<Record<KeyType, readonly string[]>> = {
  str: words(`StringEquals StringNotEquals StringEqualsIgnoreCase StringNotEqualsIgnoreCase StringLike
    StringNotLike BinaryEquals`),
  num: COMPARISONS.map((c) => `Numeric${c}`),
  date: COMPARISONS.map((c) => `Date${c}`),
  epoch: COMPARISONS.map((c) => `Date${c}`),
  bool: ['Bool'],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: words('ArnEquals ArnLike ArnNotEquals ArnNotLike StringEquals StringLike'),
  set: words(`ForAnyValue:StringEquals ForAllValues:StringEquals ForAnyValue:StringLike
    ForAllValues:StringNotLike ForAnyValue:StringNotEquals StringEquals`),
}
const VALUES: Readonly<Record<KeyType, readonly string[]>> = {
  str: [
    ...STR,
    ...words('r* ?ed * ${aws:PrincipalTag/team} ${aws:username} cmVk ${*} ${?}ed'),
    "${aws:PrincipalTag/team, 'red'}",
  ],
  num: words('60 30 3600.0 1000'),
  date: words('2025-01-01T00:00:00Z 2024-01-01T00:00:00Z 2026-06-01T12:30:00Z'),
  epoch: words('1750000000 1700000000'),
  bool: words('true false'),
  // Not 0.0.0.0/0: iam-simulate computes its mask as `-1 << 32`, which is -1 in JavaScript.
  ip: words('10.0.0.0/8 192.168.0.0/16 2001:db8::/32 ::/0 128.0.0.0/1 10.1.2.3/32'),
  arn: [
    ...ARNS,
    ...words(`arn:aws:iam::*:user/* arn:aws:secretsmanager:*:*:secret:app/* arn:aws:iam::${A}:role/d?v`),
    `arn:aws:iam::${A}:user/\${aws:username}`,
  ],
  set: words('team env Own* owner'),
}

const oneOrMany = (pool: readonly string[]) =>
  fc.subarray([...pool], { minLength: 1, maxLength: Math.min(3, pool.length) })

const clause = fc.constantFrom(...Object.keys(KEYS)).chain((key) => {
  const t = KEYS[key] ?? 'str'
  return fc
    .record({
      op: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...OPS[t]) },
        { weight: 1, arbitrary: fc.constant('Null') },
      ),
      ifExists: fc.boolean(),
      values: oneOrMany(VALUES[t]),
    })
    .map(({ op, ifExists, values }) => {
      if (op === 'Null') return { op, key, values: [values.length % 2 === 0 ? 'true' : 'false'] }
      const name = op === 'BinaryEquals' ? op : ifExists ? `${op}IfExists` : op
      return { op: name, key, values: op === 'BinaryEquals' ? ['cmVk'] : values }
    })
})

/** Actions and resources are biased towards the request's, so that statements often apply. */
function statementArb(
  t: Target,
  principals: fc.Arbitrary<Partial<Statement>> | undefined,
  resources: boolean,
): fc.Arbitrary<Statement> {
  const service = t.action.split(':')[0] ?? ''
  const near = (pool: readonly string[], own: readonly string[]) =>
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...own) }, { weight: 2, arbitrary: oneOrMany(pool) })
  return fc
    .record({
      deny: fc.integer({ min: 0, max: 9 }),
      notAction: fc.integer({ min: 0, max: 9 }),
      notResource: fc.integer({ min: 0, max: 9 }),
      actions: near(ACTIONS, [t.action, `${service}:*`, '*']),
      resources: near(RESOURCES, [t.resource, '*']),
      conditions: fc.oneof(fc.constant([]), fc.array(clause, { minLength: 1, maxLength: 2 })),
      principal: principals ?? fc.constant({}),
    })
    .map((r) => {
      const s: Statement = { Effect: r.deny < 2 ? 'Deny' : 'Allow', ...r.principal }
      if (r.notAction < 1) s.NotAction = r.actions
      else s.Action = r.actions
      if (resources && r.notResource < 1) s.NotResource = r.resources
      else if (resources) s.Resource = r.resources
      const cond: Record<string, Record<string, string[]>> = {}
      for (const c of r.conditions) (cond[c.op] ??= {})[c.key] = c.values
      if (r.conditions.length > 0) s.Condition = cond
      return s
    })
}

const PRINCIPAL_VALUES = [A, `arn:aws:iam::${B}:root`, ...PRINCIPALS.flatMap((p) => [p.arn, p.principalArn])]
const principalArb: fc.Arbitrary<Partial<Statement>> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom<Partial<Statement>>({ Principal: '*' }, { Principal: { AWS: '*' } }),
  },
  { weight: 5, arbitrary: oneOrMany(PRINCIPAL_VALUES).map((v) => ({ Principal: { AWS: v } })) },
  { weight: 1, arbitrary: oneOrMany(PRINCIPAL_VALUES).map((v) => ({ NotPrincipal: { AWS: v } })) },
)

const doc = (st: fc.Arbitrary<Statement>, max: number): fc.Arbitrary<Doc> =>
  fc.array(st, { minLength: 1, maxLength: max }).map((Statement) => ({ Version: '2012-10-17', Statement }))

export interface Case {
  principal: Principal
  target: Target
  context: Record<string, string | string[]>
  identity: Doc[]
  boundary: Doc | undefined
  session: Doc | undefined
  resourcePolicy: Doc | undefined
}

export const gen: fc.Arbitrary<Case> = fc
  .record({ principal: fc.constantFrom(...PRINCIPALS), target: fc.constantFrom(...TARGETS) })
  .chain(({ principal, target }) =>
    fc.record({
      principal: fc.constant(principal),
      target: fc.constant(target),
      context: fc.dictionary(fc.constantFrom(...Object.keys(KEYS)), fc.constant(0), { maxKeys: 8 }),
      identity: fc.array(doc(statementArb(target, undefined, true), 3), { maxLength: 2 }),
      boundary: fc.option(doc(statementArb(target, undefined, true), 2), { freq: 3, nil: undefined }),
      session: fc.option(doc(statementArb(target, undefined, true), 2), { freq: 3, nil: undefined }),
      withPolicy: fc.boolean(),
      resourcePolicy: doc(statementArb(target, principalArb, target.kind !== 'trust'), 3),
    }),
  )
  .chain((r) =>
    fc.tuple(...Object.keys(r.context).map((k) => CONTEXT[KEYS[k] ?? 'str'])).map((values) => {
      const context: Record<string, string | string[]> = {}
      Object.keys(r.context).forEach((k, i) => (context[k] = values[i] ?? ''))
      const withPolicy = r.target.kind === 'key' || r.withPolicy
      return {
        principal: r.principal,
        target: r.target,
        context,
        identity: r.identity,
        boundary: r.boundary,
        session: r.principal.session ? r.session : undefined,
        resourcePolicy: withPolicy ? r.resourcePolicy : undefined,
      }
    }),
  )
