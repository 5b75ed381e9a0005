import { describe, expect, it } from 'vitest'
import { compilePolicyText, evaluate, type ContextValue, type RequestPrincipal } from '../../policy/index.js'
import { servicePrincipal, trustPolicyAllows } from '../services/sts/index.js'
import { builtinRolePolicy, LAMBDA_TRUST_POLICY } from './builtin-role.js'

const ACCOUNT = '123456789012'
const SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`
const session: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/coffer-rotation/coffer-postgres-single-user`,
  accountId: ACCOUNT,
  principalArn: `arn:aws:iam::${ACCOUNT}:role/coffer-rotation`,
  isRoot: false,
  userId: 'AROAEXAMPLE:coffer-postgres-single-user',
}

function decide(action: string, resource: string, context: Record<string, ContextValue> = {}): string {
  const compiled = compilePolicyText(builtinRolePolicy(ACCOUNT), 'identity')
  if (!compiled.ok) throw new Error('the built-in policy does not compile')
  return evaluate(
    {
      principal: session,
      action,
      resource,
      resourceAccountId: resource.split(':')[4] || ACCOUNT,
      context: new Map(Object.entries(context)),
    },
    { identity: [compiled.policy] },
  ).effect
}

const rotatedBy = (name: string, account = ACCOUNT) => ({
  'secretsmanager:resource/allowrotationlambdaarn': `arn:aws:lambda:eu-west-1:${account}:function:${name}`,
})

describe('the coffer-rotation role', () => {
  it('trusts Lambda and nothing else', () => {
    const role = {
      arn: `arn:aws:iam::${ACCOUNT}:role/coffer-rotation`,
      accountId: ACCOUNT,
      assumeRolePolicy: LAMBDA_TRUST_POLICY,
    }
    expect(
      trustPolicyAllows(role, servicePrincipal('lambda.amazonaws.com', ACCOUNT), 'sts:AssumeRole', new Map()),
    ).toBe(true)
    expect(
      trustPolicyAllows(role, servicePrincipal('ec2.amazonaws.com', ACCOUNT), 'sts:AssumeRole', new Map()),
    ).toBe(false)
    expect(trustPolicyAllows(role, session, 'sts:AssumeRole', new Map())).toBe(false)
  })

  it('rotates secrets whose rotation function is a built-in, and only those', () => {
    for (const action of ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage']) {
      expect(decide(`secretsmanager:${action}`, SECRET, rotatedBy('coffer-postgres-single-user'))).toBe(
        'Allow',
      )
    }
    for (const action of ['DescribeSecret', 'PutSecretValue', 'UpdateSecretVersionStage']) {
      expect(decide(`secretsmanager:${action}`, SECRET, rotatedBy('my-own-rotator'))).toBe('Deny')
      expect(
        decide(`secretsmanager:${action}`, SECRET, rotatedBy('coffer-random-password', '999999999999')),
      ).toBe('Deny')
      expect(decide(`secretsmanager:${action}`, SECRET)).toBe('Deny')
    }
    for (const action of [
      'DeleteSecret',
      'PutResourcePolicy',
      'RotateSecret',
      'CreateSecret',
      'UpdateSecret',
    ]) {
      expect(decide(`secretsmanager:${action}`, SECRET, rotatedBy('coffer-postgres-single-user'))).toBe(
        'Deny',
      )
    }
  })

  it('reads any secret of its account (the master secrets), generates passwords, and uses KMS only through Secrets Manager', () => {
    expect(decide('secretsmanager:GetSecretValue', SECRET)).toBe('Allow')
    expect(decide('secretsmanager:GetSecretValue', SECRET.replace(ACCOUNT, '999999999999'))).toBe('Deny')
    expect(decide('secretsmanager:GetRandomPassword', '*')).toBe('Allow')
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      expect(decide(action, key, { 'kms:viaservice': 'secretsmanager.eu-west-1.amazonaws.com' })).toBe(
        'Allow',
      )
      expect(decide(action, key, { 'kms:viaservice': 'ssm.eu-west-1.amazonaws.com' })).toBe('Deny')
      expect(decide(action, key)).toBe('Deny')
    }
    expect(decide('kms:Encrypt', key, { 'kms:viaservice': 'secretsmanager.eu-west-1.amazonaws.com' })).toBe(
      'Deny',
    )
  })
})
