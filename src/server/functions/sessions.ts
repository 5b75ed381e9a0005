import { AwsError } from '../../lib/aws/errors.js'
import type { ContextValue } from '../../policy/index.js'
import { issueSession, servicePrincipal, trustPolicyAllows, type StsDeps } from '../services/sts/index.js'
import type { RoleRecord } from '../services/sts/store.js'
import { LAMBDA_SERVICE, type BuiltinRoles } from './builtin-role.js'
import type { FunctionCredentials, FunctionDefinition, FunctionSessions } from './contract.js'

/** Lambda's answer when an execution role is missing or does not trust it. */
export class InvalidParameterValueException extends AwsError {
  constructor(message: string) {
    super({ code: 'InvalidParameterValueException', status: 400, fault: 'client' }, message)
  }
}

export const ROLE_CANNOT_BE_ASSUMED = 'The role defined for the function cannot be assumed by Lambda.'

/** Margin over the function's timeout, so the credentials outlive every call the function makes. */
const MARGIN_SECONDS = 15 * 60

/**
 * Execution-role sessions, as Lambda obtains them: the function's role must exist and its trust
 * policy must let `lambda.amazonaws.com` call `sts:AssumeRole`; the session is named after the
 * function (`assumed-role/<role>/<function>`) and is an ordinary STS session, so its credentials
 * authenticate like AssumeRole's and carry the role's policies. Built-ins first get their account's
 * `coffer-rotation` role created if it does not exist yet.
 */
export class FunctionSessionIssuer implements FunctionSessions {
  constructor(
    private readonly deps: {
      readonly sts: Pick<StsDeps, 'store' | 'barrier' | 'random'>
      readonly builtinRoles: Pick<BuiltinRoles, 'ensure'>
    },
  ) {}

  async issue(fn: FunctionDefinition, now: number): Promise<FunctionCredentials> {
    if (fn.code.kind === 'builtin') await this.deps.builtinRoles.ensure(fn.accountId)
    const role = await this.deps.sts.store.findRole(fn.roleArn)
    if (role === undefined || !lambdaMayAssume(role, fn, now))
      throw new InvalidParameterValueException(ROLE_CANNOT_BE_ASSUMED)
    const credentials = await issueSession(
      this.deps.sts,
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
      { now, durationSeconds: fn.timeoutSeconds + MARGIN_SECONDS },
    )
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    }
  }
}

/**
 * Whether Lambda may assume `role` for `fn`: the role is in the function's account (Lambda has no
 * cross-account execution roles) and its trust policy allows `lambda.amazonaws.com` `sts:AssumeRole`.
 */
export function lambdaMayAssume(
  role: RoleRecord,
  fn: Pick<FunctionDefinition, 'arn' | 'accountId'>,
  now: number,
): boolean {
  return (
    role.accountId === fn.accountId &&
    trustPolicyAllows(
      role,
      servicePrincipal(LAMBDA_SERVICE, fn.accountId),
      'sts:AssumeRole',
      context(fn, now),
    )
  )
}

/** The keys Lambda's AssumeRole carries (lower-cased): the calling service and the function. */
function context(
  fn: Pick<FunctionDefinition, 'arn' | 'accountId'>,
  now: number,
): ReadonlyMap<string, ContextValue> {
  return new Map([
    ['aws:principalservicename', LAMBDA_SERVICE],
    ['aws:sourceaccount', fn.accountId],
    ['aws:sourcearn', fn.arn],
    ['aws:currenttime', new Date(now).toISOString()],
    ['aws:epochtime', String(Math.floor(now / 1000))],
  ])
}
