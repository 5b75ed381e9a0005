import { InvalidInputException, NoSuchEntityException } from '../../../aws-api/iam/errors.js'
import type { RequestContext } from '../../core/context.js'
import { AWS_MANAGED_ACCOUNT, parsePolicyArn } from './domain/arns.js'
import { ValidationError } from './domain/validation.js'
import type { IamRole, IamStore, IamUser, ManagedPolicy, PrincipalKind } from './iam-store.js'
import { msg } from './messages.js'

/** A user or role as the operations common to both see it. */
export interface PrincipalRef {
  readonly kind: PrincipalKind
  readonly id: string
  readonly name: string
  readonly arn: string
}

/**
 * Finds the entities a request names, in the caller's account, or throws IAM's NoSuchEntity. Both
 * the authorization target and the handler look up (cheap indexed reads), so a handler never relies
 * on authorization having run.
 */
export class IamLookup {
  constructor(private readonly store: IamStore) {}

  findUser(ctx: RequestContext, userName: string): Promise<IamUser | undefined> {
    return this.store.principals.findUser(ctx.principal.accountId, userName)
  }

  async user(ctx: RequestContext, userName: string): Promise<IamUser> {
    const user = await this.findUser(ctx, userName)
    if (user === undefined) throw new NoSuchEntityException(msg.noSuchUser(userName))
    return user
  }

  /** The user named, or the calling user when no name is given (access keys, GetUser). */
  async userOrCaller(ctx: RequestContext, userName: string | undefined): Promise<IamUser> {
    return this.user(ctx, userName ?? callerUserName(ctx))
  }

  findRole(ctx: RequestContext, roleName: string): Promise<IamRole | undefined> {
    return this.store.principals.findRole(ctx.principal.accountId, roleName)
  }

  async role(ctx: RequestContext, roleName: string): Promise<IamRole> {
    const role = await this.findRole(ctx, roleName)
    if (role === undefined) throw new NoSuchEntityException(msg.noSuchRole(roleName))
    return role
  }

  async principal(ctx: RequestContext, kind: PrincipalKind, name: string): Promise<PrincipalRef> {
    if (kind === 'user') {
      const user = await this.user(ctx, name)
      return { kind, id: user.userId, name: user.userName, arn: user.arn }
    }
    const role = await this.role(ctx, name)
    return { kind, id: role.roleId, name: role.roleName, arn: role.arn }
  }

  /**
   * A managed policy visible to the caller: its own account's or AWS's. A malformed ARN is
   * InvalidInput; another account's policy is as missing as an unknown one (`notFound` builds the text).
   */
  async policy(
    ctx: RequestContext,
    arn: string,
    notFound: (arn: string) => string = msg.noSuchPolicy,
  ): Promise<ManagedPolicy> {
    const parts = parsePolicyArn(arn)
    if (parts === undefined) throw new InvalidInputException(msg.invalidArn(arn))
    const visible = parts.accountId === ctx.principal.accountId || parts.accountId === AWS_MANAGED_ACCOUNT
    const policy = visible ? await this.store.policies.findPolicy(arn) : undefined
    if (policy === undefined) throw new NoSuchEntityException(notFound(arn))
    return policy
  }
}

/** Operations that default to the caller need a user caller (not a role session or the root). */
export function callerUserName(ctx: RequestContext): string {
  const { principal } = ctx
  if (principal.type !== 'IAMUser' || principal.userName === undefined)
    throw new ValidationError(msg.nonUserCredentials)
  return principal.userName
}
