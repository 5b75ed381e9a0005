import { AccessDeniedException } from '../../lib/aws/errors.js'
import type { Random } from '../../lib/random.js'
import type { FunctionCredentials, FunctionDefinition, FunctionSessions } from '../functions/contract.js'
import { BUILTIN_ROLE_NAME } from '../functions/functions.js'
import type { PrincipalPolicyStore, PrincipalStore } from '../services/iam/iam-store.js'
import { roleArn } from '../services/iam/domain/arns.js'
import { newUniqueId } from '../services/iam/domain/ids.js'
import { issueSession } from '../services/sts/sessions.js'
import type { StsDeps } from '../services/sts/deps.js'

const LAMBDA = 'lambda.amazonaws.com'
const MIN_SESSION_SECONDS = 900

/** Trust policy of the built-in rotators' role: Lambda may assume it, as for a Lambda execution role. */
const BUILTIN_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: LAMBDA }, Action: 'sts:AssumeRole' }],
})

/** What AWS's rotation templates grant their execution role on Secrets Manager. */
const BUILTIN_PERMISSIONS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
        'secretsmanager:GetRandomPassword',
      ],
      Resource: '*',
    },
  ],
})

/**
 * Execution-role sessions for rotation functions: temporary STS credentials for the function's role,
 * issued as `AssumeRole` by Lambda would be (session named after the function). The role must trust
 * `lambda.amazonaws.com`; the built-ins' `coffer-rotation` role is created on first use in each account.
 */
export class RoleSessions implements FunctionSessions {
  constructor(
    private readonly deps: Pick<StsDeps, 'store' | 'barrier' | 'random'> & {
      readonly iam: { readonly principals: PrincipalStore; readonly principalPolicies: PrincipalPolicyStore }
      readonly random: Random
    },
  ) {}

  async issue(fn: FunctionDefinition, now: number): Promise<FunctionCredentials> {
    if (fn.code.kind === 'builtin') await this.ensureBuiltinRole(fn.accountId, now)
    const role = await this.deps.store.findRole(fn.roleArn)
    if (role === undefined) throw new AccessDeniedException(`The role ${fn.roleArn} does not exist.`)
    if (!trustsLambda(role.assumeRolePolicy))
      throw new AccessDeniedException(`The role ${fn.roleArn} cannot be assumed by ${LAMBDA}.`)
    const credentials = await issueSession(
      this.deps,
      {
        accountId: role.accountId,
        principalKind: 'role',
        principalId: role.roleId,
        roleArn: role.arn,
        sessionName: fn.name,
        sessionPolicies: [],
        tags: role.tags,
        transitiveTagKeys: [],
        chained: false,
      },
      { now, durationSeconds: Math.max(MIN_SESSION_SECONDS, fn.timeoutSeconds * 2) },
    )
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    }
  }

  private async ensureBuiltinRole(accountId: string, now: number): Promise<void> {
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
        assumeRolePolicy: BUILTIN_TRUST,
        description: 'Execution role of the built-in rotation functions',
        maxSessionDuration: 3600,
        tags: [],
        createdAt: now,
      })
    } catch {
      // Created meanwhile by another process: its policy is put there.
      return
    }
    await principalPolicies.putInlinePolicy(
      'role',
      roleId,
      { name: 'secrets-manager-rotation', document: BUILTIN_PERMISSIONS },
      () => undefined,
    )
  }
}

function trustsLambda(policy: string): boolean {
  const statements = (JSON.parse(policy) as { Statement?: unknown }).Statement
  const list = Array.isArray(statements) ? statements : [statements]
  return list.some((s: { Effect?: string; Principal?: { Service?: string | string[] } } | undefined) => {
    const services = s?.Principal?.Service
    return (
      s?.Effect === 'Allow' && (services === LAMBDA || (Array.isArray(services) && services.includes(LAMBDA)))
    )
  })
}
