/**
 * The context keys Secrets Manager, KMS, SSM and STS policies use, each in a typical condition: the
 * grant applies with a matching value, not with another value, and not when the key is absent.
 * (The engine is key-agnostic; this pins the operator each key is typically written with.)
 */
import { describe, expect, it } from 'vitest'
import type { ContextValue } from './evaluation-types.js'
import { allow, allowed, request, user } from './evaluate.fixtures.js'

interface Row {
  readonly key: string
  readonly condition: object
  readonly yes: ContextValue
  readonly no: ContextValue
}

const ROLE = 'arn:aws:iam::111111111111:role/rotator'
const LAMBDA = 'arn:aws:lambda:us-east-1:111111111111:function:rotate'
const SECRET = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf'

const ROWS: readonly Row[] = [
  {
    key: 'aws:PrincipalArn',
    condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/rot*' } },
    yes: ROLE,
    no: 'arn:aws:iam::111111111111:user/x',
  },
  {
    key: 'aws:PrincipalAccount',
    condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    yes: '111111111111',
    no: '222222222222',
  },
  {
    key: 'aws:PrincipalTag/team',
    condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
    yes: 'red',
    no: 'blue',
  },
  {
    key: 'aws:ResourceTag/team',
    condition: { StringEquals: { 'aws:ResourceTag/team': 'red' } },
    yes: 'red',
    no: 'Red',
  },
  {
    key: 'aws:RequestTag/env',
    condition: { StringEquals: { 'aws:RequestTag/env': ['dev', 'test'] } },
    yes: 'test',
    no: 'prod',
  },
  {
    key: 'aws:TagKeys',
    condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
    yes: ['env'],
    no: ['env', 'owner'],
  },
  {
    key: 'aws:SourceIp',
    condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    yes: '203.0.113.9',
    no: '198.51.100.1',
  },
  {
    key: 'aws:CurrentTime',
    condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
    yes: '2025-01-01T00:00:00Z',
    no: '2031-01-01T00:00:00Z',
  },
  {
    key: 'aws:EpochTime',
    condition: { DateGreaterThan: { 'aws:EpochTime': '1700000000' } },
    yes: '1700000001',
    no: '1600000000',
  },
  {
    key: 'aws:SecureTransport',
    condition: { Bool: { 'aws:SecureTransport': 'true' } },
    yes: 'true',
    no: 'false',
  },
  {
    key: 'secretsmanager:Name',
    condition: { StringLike: { 'secretsmanager:Name': 'app/*' } },
    yes: 'app/db',
    no: 'ops/db',
  },
  {
    key: 'secretsmanager:SecretId',
    condition: { ArnLike: { 'secretsmanager:SecretId': 'arn:aws:secretsmanager:*:*:secret:app/*' } },
    yes: SECRET,
    no: SECRET.replace('app/', 'ops/'),
  },
  {
    key: 'secretsmanager:VersionStage',
    condition: { StringEquals: { 'secretsmanager:VersionStage': 'AWSCURRENT' } },
    yes: 'AWSCURRENT',
    no: 'AWSPREVIOUS',
  },
  {
    key: 'secretsmanager:VersionId',
    condition: { StringEquals: { 'secretsmanager:VersionId': 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1' } },
    yes: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
    no: 'other',
  },
  {
    key: 'secretsmanager:ResourceTag/team',
    condition: { StringEquals: { 'secretsmanager:ResourceTag/team': 'red' } },
    yes: 'red',
    no: 'blue',
  },
  {
    key: 'secretsmanager:KmsKeyId',
    condition: { StringEquals: { 'secretsmanager:KmsKeyId': 'alias/app' } },
    yes: 'alias/app',
    no: 'alias/aws/secretsmanager',
  },
  {
    key: 'secretsmanager:BlockPublicPolicy',
    condition: { Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } },
    yes: 'true',
    no: 'false',
  },
  {
    key: 'secretsmanager:resource/AllowRotationLambdaArn',
    condition: { ArnEquals: { 'secretsmanager:resource/AllowRotationLambdaArn': LAMBDA } },
    yes: LAMBDA,
    no: `${LAMBDA}2`,
  },
  {
    key: 'sts:ExternalId',
    condition: { StringEquals: { 'sts:ExternalId': 'Unique-42' } },
    yes: 'Unique-42',
    no: 'unique-42',
  },
  {
    key: 'kms:ViaService',
    condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    yes: 'secretsmanager.us-east-1.amazonaws.com',
    no: 'ssm.us-east-1.amazonaws.com',
  },
  {
    key: 'kms:EncryptionContext:SecretARN',
    condition: { StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:*:secret:app/*' } },
    yes: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf',
    no: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:ops/db-AbCdEf',
  },
  {
    key: 'kms:EncryptionContextKeys',
    condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'SecretARN' } },
    yes: ['SecretARN', 'SecretVersionId'],
    no: ['Other'],
  },
  {
    key: 'kms:CallerAccount',
    condition: { StringEquals: { 'kms:CallerAccount': '111111111111' } },
    yes: '111111111111',
    no: '222222222222',
  },
]

function allows(row: Row, value: ContextValue | undefined): boolean {
  const context = value === undefined ? {} : { [row.key.toLowerCase()]: value }
  return allowed(request(user('alice'), { context }), allow('*', '*', { Condition: row.condition }))
}

describe('context keys', () => {
  for (const row of ROWS) {
    it(row.key, () => {
      expect(allows(row, row.yes)).toBe(true)
      expect(allows(row, row.no)).toBe(false)
      // ForAllValues holds vacuously on an absent key; everything else needs the key.
      expect(allows(row, undefined)).toBe(Object.keys(row.condition)[0]?.startsWith('ForAllValues:'))
    })
  }
})
