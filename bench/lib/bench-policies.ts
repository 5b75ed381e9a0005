/**
 * The least-privilege reader of the policy benchmark: 20 statements with conditions over two policies
 * (an inline one and an attached managed one). Every Deny statement covers GetSecretValue, so each
 * one is evaluated on every request, and the single Allow that grants the read comes last. The mix
 * uses what real policies use: StringEquals on aws:ResourceTag, StringLike on secretsmanager:Name,
 * IpAddress / NotIpAddress on aws:SourceIp, DateLessThan / DateGreaterThan on aws:CurrentTime, Null,
 * NotResource, NotAction and policy variables.
 */
const GET = 'secretsmanager:GetSecretValue'
const SECRETS = 'arn:aws:secretsmanager:*:*:secret'

export const BENCH_USER_TAGS = { team: 'payments', clearance: 'high' }
export const BENCH_SECRET_TAGS = [
  { Key: 'team', Value: 'payments' },
  { Key: 'env', Value: 'prod' },
]

const doc = (statements: object[]) => ({ Version: '2012-10-17', Statement: statements })

/** Ten statements, inline: the guard rails (all Deny, none applying to the benchmark's read). */
export const INLINE_POLICY = doc([
  { Sid: 'OnlyBench', Effect: 'Deny', Action: 'secretsmanager:*', NotResource: `${SECRETS}:bench/*` },
  {
    Sid: 'NoDev',
    Effect: 'Deny',
    Action: GET,
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/env': 'dev' } },
  },
  {
    Sid: 'OnlyFromInside',
    Effect: 'Deny',
    Action: 'secretsmanager:*',
    Resource: '*',
    Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '10.0.0.0/8', '::1/128'] } },
  },
  {
    Sid: 'NotAfter',
    Effect: 'Deny',
    Action: 'secretsmanager:*',
    Resource: '*',
    Condition: { DateGreaterThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } },
  },
  {
    Sid: 'NoAdminNames',
    Effect: 'Deny',
    Action: GET,
    Resource: '*',
    Condition: { StringLike: { 'secretsmanager:Name': ['admin/*', 'root/*'] } },
  },
  {
    Sid: 'ClearanceRequired',
    Effect: 'Deny',
    Action: 'secretsmanager:Get*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:PrincipalTag/clearance': 'high' } },
  },
  { Sid: 'NotOthersPrivate', Effect: 'Deny', Action: GET, Resource: `${SECRETS}:\${aws:username}-private/*` },
  {
    Sid: 'TaggedOnly',
    Effect: 'Deny',
    Action: GET,
    Resource: '*',
    Condition: { Null: { 'aws:ResourceTag/team': 'true' } },
  },
  {
    Sid: 'NoPending',
    Effect: 'Deny',
    Action: 'secretsmanager:*',
    Resource: '*',
    Condition: { StringEqualsIgnoreCase: { 'secretsmanager:VersionStage': 'AWSPENDING' } },
  },
  {
    Sid: 'NoWrites',
    Effect: 'Deny',
    NotAction: ['secretsmanager:Get*', 'secretsmanager:Describe*'],
    Resource: '*',
  },
])

/** Ten statements, managed: nine Allows that don't grant this read, then the one that does. */
export const MANAGED_POLICY = doc([
  {
    Sid: 'Describe',
    Effect: 'Allow',
    Action: ['secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
    Resource: '*',
  },
  { Sid: 'Other', Effect: 'Allow', Action: GET, Resource: `${SECRETS}:other/*` },
  {
    Sid: 'Ledger',
    Effect: 'Allow',
    Action: GET,
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/team': 'ledger' } },
  },
  {
    Sid: 'ByName',
    Effect: 'Allow',
    Action: GET,
    Resource: '*',
    Condition: { StringLike: { 'secretsmanager:Name': 'bench/*' } },
  },
  { Sid: 'Own', Effect: 'Allow', Action: GET, Resource: `${SECRETS}:\${aws:username}/*` },
  {
    Sid: 'Expired',
    Effect: 'Allow',
    Action: GET,
    Resource: '*',
    Condition: { DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } },
  },
  {
    Sid: 'Office',
    Effect: 'Allow',
    Action: GET,
    Resource: '*',
    Condition: { IpAddress: { 'aws:SourceIp': '192.168.0.0/16' } },
  },
  {
    Sid: 'Previous',
    Effect: 'Allow',
    Action: GET,
    Resource: '*',
    Condition: { StringEquals: { 'secretsmanager:VersionStage': 'AWSPREVIOUS' } },
  },
  { Sid: 'Elsewhere', Effect: 'Allow', Action: GET, NotResource: `${SECRETS}:bench/*` },
  {
    Sid: 'PaymentsReadsBench',
    Effect: 'Allow',
    Action: GET,
    Resource: `${SECRETS}:bench/*`,
    Condition: {
      StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}', 'aws:ResourceTag/env': 'prod' },
      IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] },
      DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' },
    },
  },
])
