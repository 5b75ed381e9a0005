import {
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  paginateListPolicies,
  paginateListRoles,
  paginateListUsers,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam'
import {
  MANAGED_TAG,
  type CurrentOidcProvider,
  type CurrentPolicy,
  type CurrentRole,
  type CurrentState,
  type CurrentUser,
  type DesiredState,
  type Tags,
} from './model.js'

/** IAM returns policy documents URL-encoded; the SDK hands them over as they are. */
function decode(document: string | undefined): string {
  return decodeURIComponent(document ?? '')
}

function tagsOf(list: readonly Tag[] | undefined): Tags {
  return Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))
}

const isManaged = (list: readonly Tag[] | undefined) =>
  (list ?? []).some((t) => t.Key === MANAGED_TAG.Key && t.Value === MANAGED_TAG.Value)

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

const CONCURRENCY = 8

/**
 * Reads what the plan compares, through the public IAM API: every customer-managed policy, user, role
 * and OIDC provider with its tags, and the documents and attachments of those the file declares or that
 * carry the managed tag.
 */
export async function readCurrentState(iam: IAMClient, desired: DesiredState): Promise<CurrentState> {
  const [policies, users, roles, oidcProviders] = await Promise.all([
    readPolicies(iam, new Set(desired.policies.map((p) => p.name.toLowerCase()))),
    readUsers(iam, new Set(desired.users.map((u) => u.name.toLowerCase()))),
    readRoles(iam, new Set(desired.roles.map((r) => r.name.toLowerCase()))),
    readOidcProviders(iam),
  ])
  return { policies, users, roles, oidcProviders }
}

async function readPolicies(iam: IAMClient, declared: ReadonlySet<string>): Promise<CurrentPolicy[]> {
  const listed = []
  for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local' }))
    listed.push(...(page.Policies ?? []))
  return mapLimit(listed, CONCURRENCY, async (entry) => {
    const arn = entry.Arn ?? ''
    const { Policy: policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }))
    const managed = isManaged(policy?.Tags)
    const name = policy?.PolicyName ?? ''
    const base = {
      name,
      arn,
      path: policy?.Path ?? '/',
      ...(policy?.Description !== undefined && { description: policy.Description }),
      managed,
    }
    if (!managed && !declared.has(name.toLowerCase())) return { ...base, versions: [] }
    const [versions, current] = await Promise.all([
      iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })),
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy?.DefaultVersionId ?? 'v1' })),
    ])
    return {
      ...base,
      document: decode(current.PolicyVersion?.Document),
      versions: (versions.Versions ?? []).map((v) => ({
        id: v.VersionId ?? '',
        isDefault: v.IsDefaultVersion === true,
      })),
    }
  })
}

async function readUsers(iam: IAMClient, declared: ReadonlySet<string>): Promise<CurrentUser[]> {
  const listed = []
  for await (const page of paginateListUsers({ client: iam }, {})) listed.push(...(page.Users ?? []))
  return mapLimit(listed, CONCURRENCY, async (entry) => {
    const UserName = entry.UserName ?? ''
    const { User: user } = await iam.send(new GetUserCommand({ UserName }))
    const managed = isManaged(user?.Tags)
    const base = {
      name: UserName,
      arn: user?.Arn ?? '',
      path: user?.Path ?? '/',
      managed,
      tags: tagsOf(user?.Tags),
      ...(user?.PermissionsBoundary?.PermissionsBoundaryArn !== undefined && {
        boundary: user.PermissionsBoundary.PermissionsBoundaryArn,
      }),
    }
    if (!managed && !declared.has(UserName.toLowerCase()))
      return { ...base, inline: new Map(), attached: [], accessKeys: [] }
    const [names, attached, keys] = await Promise.all([
      iam.send(new ListUserPoliciesCommand({ UserName, MaxItems: 1000 })),
      iam.send(new ListAttachedUserPoliciesCommand({ UserName, MaxItems: 1000 })),
      iam.send(new ListAccessKeysCommand({ UserName, MaxItems: 1000 })),
    ])
    const inline = await mapLimit(names.PolicyNames ?? [], CONCURRENCY, async (PolicyName) => {
      const got = await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))
      return [PolicyName, decode(got.PolicyDocument)] as const
    })
    return {
      ...base,
      inline: new Map(inline),
      attached: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
      accessKeys: (keys.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? ''),
    }
  })
}

async function readRoles(iam: IAMClient, declared: ReadonlySet<string>): Promise<CurrentRole[]> {
  const listed = []
  for await (const page of paginateListRoles({ client: iam }, {})) listed.push(...(page.Roles ?? []))
  return mapLimit(listed, CONCURRENCY, async (entry) => {
    const RoleName = entry.RoleName ?? ''
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName }))
    const managed = isManaged(role?.Tags)
    const base = {
      name: RoleName,
      arn: role?.Arn ?? '',
      path: role?.Path ?? '/',
      managed,
      tags: tagsOf(role?.Tags),
      ...(role?.PermissionsBoundary?.PermissionsBoundaryArn !== undefined && {
        boundary: role.PermissionsBoundary.PermissionsBoundaryArn,
      }),
      ...(role?.Description !== undefined && { description: role.Description }),
      maxSessionDuration: role?.MaxSessionDuration ?? 3600,
      trust: decode(role?.AssumeRolePolicyDocument),
    }
    if (!managed && !declared.has(RoleName.toLowerCase())) return { ...base, inline: new Map(), attached: [] }
    const [names, attached] = await Promise.all([
      iam.send(new ListRolePoliciesCommand({ RoleName, MaxItems: 1000 })),
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName, MaxItems: 1000 })),
    ])
    const inline = await mapLimit(names.PolicyNames ?? [], CONCURRENCY, async (PolicyName) => {
      const got = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))
      return [PolicyName, decode(got.PolicyDocument)] as const
    })
    return {
      ...base,
      inline: new Map(inline),
      attached: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
    }
  })
}

async function readOidcProviders(iam: IAMClient): Promise<CurrentOidcProvider[]> {
  const { OpenIDConnectProviderList: list = [] } = await iam.send(new ListOpenIDConnectProvidersCommand({}))
  return mapLimit(list, CONCURRENCY, async (entry) => {
    const arn = entry.Arn ?? ''
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))
    return {
      arn,
      url: got.Url ?? '',
      clientIds: got.ClientIDList ?? [],
      thumbprints: got.ThumbprintList ?? [],
      managed: isManaged(got.Tags),
    }
  })
}
