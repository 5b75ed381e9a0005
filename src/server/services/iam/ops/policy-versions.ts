import {
  DeleteConflictException,
  LimitExceededException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { paginate } from '../domain/pagination.js'
import { msg } from '../messages.js'
import { presentVersion } from '../presenter.js'
import { arnTarget } from '../targets.js'
import { requireManagedDocument, requireOwnPolicy } from './managed-policies.js'

/** IAM keeps at most 5 versions of a managed policy. */
export const MAX_POLICY_VERSIONS = 5

export const createPolicyVersion = (d: IamDeps) =>
  iamOperation(
    'CreatePolicyVersion',
    { readOnly: false, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => {
      const policy = await requireOwnPolicy(d, ctx, input.PolicyArn)
      requireManagedDocument(input.PolicyDocument)
      const setAsDefault = input.SetAsDefault ?? false
      const added = await d.store.policies.addPolicyVersion(
        policy.arn,
        { document: input.PolicyDocument, createdAt: ctx.now, setAsDefault },
        MAX_POLICY_VERSIONS,
      )
      if (added === 'limit') throw new LimitExceededException(msg.versionLimit)
      if (added === 'missing') throw new NoSuchEntityException(msg.noSuchPolicy(input.PolicyArn))
      return {
        PolicyVersion: {
          VersionId: added.versionId,
          IsDefaultVersion: setAsDefault,
          CreateDate: new Date(ctx.now),
        },
      }
    },
  )

export const getPolicyVersion = (d: IamDeps) =>
  iamOperation(
    'GetPolicyVersion',
    { readOnly: true, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => {
      const policy = await d.lookup.policy(ctx, input.PolicyArn)
      const version = await d.store.policies.getPolicyVersion(policy.arn, input.VersionId)
      if (version === undefined)
        throw new NoSuchEntityException(msg.noSuchPolicyVersion(input.PolicyArn, input.VersionId))
      return { PolicyVersion: presentVersion(version, true) }
    },
  )

/** Newest first. */
export const listPolicyVersions = (d: IamDeps) =>
  iamOperation(
    'ListPolicyVersions',
    { readOnly: true, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => {
      const policy = await d.lookup.policy(ctx, input.PolicyArn)
      const versions = await d.store.policies.listPolicyVersions(policy.arn)
      const page = paginate(versions, input, (v) =>
        String(1e9 - Number(v.versionId.slice(1))).padStart(10, '0'),
      )
      return {
        Versions: page.items.map((v) => presentVersion(v, false)),
        IsTruncated: page.IsTruncated,
        ...(page.Marker !== undefined && { Marker: page.Marker }),
      }
    },
  )

export const deletePolicyVersion = (d: IamDeps) =>
  iamOperation(
    'DeletePolicyVersion',
    { readOnly: false, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => {
      const policy = await requireOwnPolicy(d, ctx, input.PolicyArn)
      const outcome = await d.store.policies.deletePolicyVersion(policy.arn, input.VersionId)
      if (outcome === 'default') throw new DeleteConflictException(msg.deleteDefaultVersion)
      if (outcome === 'missing')
        throw new NoSuchEntityException(msg.noSuchPolicyVersion(input.PolicyArn, input.VersionId))
      return {}
    },
  )

export const setDefaultPolicyVersion = (d: IamDeps) =>
  iamOperation(
    'SetDefaultPolicyVersion',
    { readOnly: false, target: (input) => arnTarget(input.PolicyArn) },
    async (input, ctx) => {
      const policy = await requireOwnPolicy(d, ctx, input.PolicyArn)
      if (!(await d.store.policies.setDefaultPolicyVersion(policy.arn, input.VersionId)))
        throw new NoSuchEntityException(msg.noSuchPolicyVersion(input.PolicyArn, input.VersionId))
      return {}
    },
  )
