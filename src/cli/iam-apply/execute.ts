import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteOpenIDConnectProviderCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { MANAGED_TAG, type CurrentState, type PolicyRef, type Tags } from './model.js'
import type { Step } from './steps.js'

const tagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))

/**
 * Runs a plan's steps in order through the IAM API. Policies the plan creates are named by the later
 * steps that attach them, so their ARNs are learnt as they are created. Stops at the first failure.
 */
export async function executeSteps(
  iam: IAMClient,
  steps: readonly Step[],
  current: CurrentState,
  onStep: (step: Step) => void,
): Promise<void> {
  const arns = new Map(current.policies.map((p) => [p.name.toLowerCase(), p.arn]))
  const resolve = (ref: PolicyRef): string => {
    if ('arn' in ref) return ref.arn
    const arn = arns.get(ref.name.toLowerCase())
    if (arn === undefined) throw new Error(`policy ${ref.name} does not exist`)
    return arn
  }
  const createOidc = (url: string, clientIds: readonly string[], thumbprints: readonly string[]) =>
    iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: url,
        ClientIDList: [...clientIds],
        ...(thumbprints.length > 0 && { ThumbprintList: [...thumbprints] }),
        Tags: [MANAGED_TAG],
      }),
    )

  for (const step of steps) {
    onStep(step)
    switch (step.op) {
      case 'create-oidc':
        await createOidc(step.url, step.clientIds, step.thumbprints)
        break
      case 'replace-oidc':
        await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: step.arn }))
        await createOidc(step.url, step.clientIds, step.thumbprints)
        break
      case 'create-policy': {
        const { Policy } = await iam.send(
          new CreatePolicyCommand({
            PolicyName: step.name,
            Path: step.path,
            PolicyDocument: step.document,
            ...(step.description !== undefined && { Description: step.description }),
            Tags: [MANAGED_TAG],
          }),
        )
        arns.set(step.name.toLowerCase(), Policy?.Arn ?? '')
        break
      }
      case 'update-policy':
        if (step.dropVersion !== undefined)
          await iam.send(new DeletePolicyVersionCommand({ PolicyArn: step.arn, VersionId: step.dropVersion }))
        await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: step.arn,
            PolicyDocument: step.document,
            SetAsDefault: true,
          }),
        )
        break
      case 'create-user':
        await iam.send(
          new CreateUserCommand({
            UserName: step.name,
            Path: step.path,
            Tags: tagList(step.tags),
            ...(step.boundary !== undefined && { PermissionsBoundary: resolve(step.boundary) }),
          }),
        )
        break
      case 'create-role':
        await iam.send(
          new CreateRoleCommand({
            RoleName: step.name,
            Path: step.path,
            AssumeRolePolicyDocument: step.trust,
            MaxSessionDuration: step.maxSessionDuration,
            ...(step.description !== undefined && { Description: step.description }),
            Tags: tagList(step.tags),
            ...(step.boundary !== undefined && { PermissionsBoundary: resolve(step.boundary) }),
          }),
        )
        break
      case 'move-user':
        await iam.send(new UpdateUserCommand({ UserName: step.name, NewPath: step.to }))
        break
      case 'update-role':
        await iam.send(
          new UpdateRoleCommand({
            RoleName: step.name,
            ...(step.description !== undefined && { Description: step.description }),
            ...(step.maxSessionDuration !== undefined && { MaxSessionDuration: step.maxSessionDuration }),
          }),
        )
        break
      case 'update-trust':
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: step.name, PolicyDocument: step.trust }))
        break
      case 'tag':
        await tag(iam, step)
        break
      case 'set-boundary':
        await setBoundary(
          iam,
          step.kind,
          step.name,
          step.boundary === undefined ? undefined : resolve(step.boundary),
        )
        break
      case 'put-inline':
        await (step.kind === 'user'
          ? iam.send(
              new PutUserPolicyCommand({
                UserName: step.name,
                PolicyName: step.policy,
                PolicyDocument: step.document,
              }),
            )
          : iam.send(
              new PutRolePolicyCommand({
                RoleName: step.name,
                PolicyName: step.policy,
                PolicyDocument: step.document,
              }),
            ))
        break
      case 'delete-inline':
        await deleteInline(iam, step.kind, step.name, step.policy)
        break
      case 'attach': {
        const PolicyArn = resolve(step.policy)
        await (step.kind === 'user'
          ? iam.send(new AttachUserPolicyCommand({ UserName: step.name, PolicyArn }))
          : iam.send(new AttachRolePolicyCommand({ RoleName: step.name, PolicyArn })))
        break
      }
      case 'detach':
        await detach(iam, step.kind, step.name, step.arn)
        break
      case 'delete-user':
        for (const AccessKeyId of step.accessKeys)
          await iam.send(new DeleteAccessKeyCommand({ UserName: step.name, AccessKeyId }))
        for (const policy of step.inline) await deleteInline(iam, 'user', step.name, policy)
        for (const arn of step.attached) await detach(iam, 'user', step.name, arn)
        await iam.send(new DeleteUserCommand({ UserName: step.name }))
        break
      case 'delete-role':
        for (const policy of step.inline) await deleteInline(iam, 'role', step.name, policy)
        for (const arn of step.attached) await detach(iam, 'role', step.name, arn)
        await iam.send(new DeleteRoleCommand({ RoleName: step.name }))
        break
      case 'delete-policy':
        for (const VersionId of step.versions)
          await iam.send(new DeletePolicyVersionCommand({ PolicyArn: step.arn, VersionId }))
        await iam.send(new DeletePolicyCommand({ PolicyArn: step.arn }))
        break
      case 'delete-oidc':
        await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: step.arn }))
        break
    }
  }
}

async function tag(iam: IAMClient, step: Extract<Step, { op: 'tag' }>): Promise<void> {
  const Tags = tagList(step.add)
  if (step.remove.length > 0)
    await (step.kind === 'user'
      ? iam.send(new UntagUserCommand({ UserName: step.name, TagKeys: [...step.remove] }))
      : iam.send(new UntagRoleCommand({ RoleName: step.name, TagKeys: [...step.remove] })))
  if (Tags.length > 0)
    await (step.kind === 'user'
      ? iam.send(new TagUserCommand({ UserName: step.name, Tags }))
      : iam.send(new TagRoleCommand({ RoleName: step.name, Tags })))
}

async function setBoundary(
  iam: IAMClient,
  kind: 'user' | 'role',
  name: string,
  arn: string | undefined,
): Promise<void> {
  if (kind === 'user')
    await (arn === undefined
      ? iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: name }))
      : iam.send(new PutUserPermissionsBoundaryCommand({ UserName: name, PermissionsBoundary: arn })))
  else
    await (arn === undefined
      ? iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: name }))
      : iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: arn })))
}

async function deleteInline(
  iam: IAMClient,
  kind: 'user' | 'role',
  name: string,
  policy: string,
): Promise<void> {
  await (kind === 'user'
    ? iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policy }))
    : iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policy })))
}

async function detach(iam: IAMClient, kind: 'user' | 'role', name: string, arn: string): Promise<void> {
  await (kind === 'user'
    ? iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: arn }))
    : iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })))
}
