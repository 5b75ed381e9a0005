import type { Clock } from '../../lib/clock.js'
import { UniqueViolationError } from '../../lib/neutral-errors.js'
import type { Random } from '../../lib/random.js'
import { roleArn } from '../services/iam/domain/arns.js'
import { newUniqueId } from '../services/iam/domain/ids.js'
import type { IamStore } from '../services/iam/iam-store.js'
import { BUILTIN_ROLE_NAME } from './functions.js'

/** Lambda's service principal: execution roles must trust it. */
export const LAMBDA_SERVICE = 'lambda.amazonaws.com'

/** The trust policy of an execution role: Lambda may assume it. */
export const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: LAMBDA_SERVICE }, Action: 'sts:AssumeRole' }],
})

/** The inline policy of `coffer-rotation` (same name as the role). */
export const BUILTIN_POLICY_NAME = BUILTIN_ROLE_NAME

/**
 * What the built-in rotators need, and nothing more: the four rotation calls on secrets whose
 * rotation function is a built-in, reading any secret of the account (alternating-users rotators read
 * the master secret named by `masterarn`), random passwords, and the secrets' KMS keys only through
 * Secrets Manager.
 */
export function builtinRolePolicy(accountId: string): string {
  const secrets = `arn:aws:secretsmanager:*:${accountId}:secret:*`
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RotateSecretsOfBuiltinRotators',
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: secrets,
        Condition: {
          StringLike: {
            'secretsmanager:resource/AllowRotationLambdaArn': `arn:aws:lambda:*:${accountId}:function:coffer-*`,
          },
        },
      },
      {
        Sid: 'ReadMasterSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: secrets,
      },
      {
        Sid: 'GenerateRandomPasswords',
        Effect: 'Allow',
        Action: 'secretsmanager:GetRandomPassword',
        Resource: '*',
      },
      {
        Sid: 'UseKeysThroughSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } },
      },
    ],
  })
}

/**
 * The `coffer-rotation` role of each account, created through the IAM store the first time a
 * built-in rotator runs there. After that it is an ordinary role: Coffer never changes it again, so
 * an operator's edits (put-role-policy, update-assume-role-policy) stay. Concurrent first uses in
 * this process share one creation; another process creating it at the same moment makes this one's
 * `createRole` fail on the unique name, which counts as done.
 */
export class BuiltinRoles {
  private readonly inFlight = new Map<string, Promise<void>>()

  constructor(
    private readonly deps: {
      readonly iam: Pick<IamStore, 'principals' | 'principalPolicies'>
      readonly random: Random
      readonly clock: Clock
    },
  ) {}

  ensure(accountId: string): Promise<void> {
    let pending = this.inFlight.get(accountId)
    if (pending === undefined) {
      pending = this.create(accountId).finally(() => this.inFlight.delete(accountId))
      this.inFlight.set(accountId, pending)
    }
    return pending
  }

  private async create(accountId: string): Promise<void> {
    const { principals, principalPolicies } = this.deps.iam
    if ((await principals.findRole(accountId, BUILTIN_ROLE_NAME)) !== undefined) return
    const roleId = newUniqueId(this.deps.random, 'AROA')
    try {
      await principals.createRole({
        roleId,
        accountId,
        roleName: BUILTIN_ROLE_NAME,
        path: '/',
        arn: roleArn(accountId, '/', BUILTIN_ROLE_NAME),
        assumeRolePolicy: LAMBDA_TRUST_POLICY,
        description: "Execution role of Coffer's built-in rotation functions",
        maxSessionDuration: 3600,
        tags: [],
        createdAt: this.deps.clock.now(),
      })
    } catch (error) {
      if (error instanceof UniqueViolationError) return
      throw error
    }
    await principalPolicies.putInlinePolicy(
      'role',
      roleId,
      { name: BUILTIN_POLICY_NAME, document: builtinRolePolicy(accountId) },
      () => {},
    )
  }
}
