import {
  EntityAlreadyExistsException,
  InvalidInputException,
  NoSuchEntityException,
} from '../../../../aws-api/iam/errors.js'
import { UniqueViolationError } from '../../../../lib/neutral-errors.js'
import type { RequestContext } from '../../../core/context.js'
import { iamOperation } from '../define.js'
import type { IamDeps } from '../deps.js'
import { normaliseOidcUrl, oidcProviderArn } from '../domain/arns.js'
import { requireUniqueTagKeys } from '../domain/tags.js'
import type { OidcProvider } from '../iam-store.js'
import { msg } from '../messages.js'
import { presentOidcProvider, presentTags } from '../presenter.js'
import { arnTarget, requestTagKeys } from '../targets.js'

const PROVIDER_ARN = /^arn:aws:iam::\d{12}:oidc-provider\/.+$/

/** The account's provider with this ARN; a malformed ARN is InvalidInput, another account's is missing. */
async function findProvider(d: IamDeps, ctx: RequestContext, arn: string): Promise<OidcProvider | undefined> {
  if (!PROVIDER_ARN.test(arn)) throw new InvalidInputException(msg.invalidArn(arn))
  const provider = await d.store.oidc.findOidcProvider(arn)
  return provider?.accountId === ctx.principal.accountId ? provider : undefined
}

/**
 * An OpenID Connect identity provider for AssumeRoleWithWebIdentity. The URL must be https; its ARN
 * is `arn:aws:iam::<acct>:oidc-provider/<host/path>`. Client ids keep their order without duplicates;
 * thumbprints are optional (AWS no longer requires them).
 */
export const createOpenIdConnectProvider = (d: IamDeps) =>
  iamOperation(
    'CreateOpenIDConnectProvider',
    {
      readOnly: false,
      target: (input, ctx) => {
        const url = normaliseOidcUrl(input.Url) ?? input.Url
        return arnTarget(oidcProviderArn(ctx.principal.accountId, url), requestTagKeys(input.Tags))
      },
    },
    async (input, ctx) => {
      const url = normaliseOidcUrl(input.Url)
      if (url === undefined) throw new InvalidInputException(msg.oidcUrl)
      const tags = requireUniqueTagKeys(input.Tags ?? [])
      const provider: OidcProvider = {
        arn: oidcProviderArn(ctx.principal.accountId, url),
        accountId: ctx.principal.accountId,
        url,
        clientIds: [...new Set(input.ClientIDList ?? [])],
        thumbprints: [...new Set((input.ThumbprintList ?? []).map((t) => t.toLowerCase()))],
        tags,
        createdAt: ctx.now,
      }
      try {
        await d.store.oidc.createOidcProvider(provider)
      } catch (error) {
        if (error instanceof UniqueViolationError)
          throw new EntityAlreadyExistsException(msg.oidcExists(input.Url))
        throw error
      }
      return { OpenIDConnectProviderArn: provider.arn, ...(tags.length > 0 && { Tags: presentTags(tags) }) }
    },
  )

export const getOpenIdConnectProvider = (d: IamDeps) =>
  iamOperation(
    'GetOpenIDConnectProvider',
    { readOnly: true, target: (input) => arnTarget(input.OpenIDConnectProviderArn) },
    async (input, ctx) => {
      const provider = await findProvider(d, ctx, input.OpenIDConnectProviderArn)
      if (provider === undefined)
        throw new NoSuchEntityException(msg.noSuchOidcProvider(input.OpenIDConnectProviderArn))
      return presentOidcProvider(provider)
    },
  )

export const listOpenIdConnectProviders = (d: IamDeps) =>
  iamOperation('ListOpenIDConnectProviders', { readOnly: true }, async (_input, ctx) => ({
    OpenIDConnectProviderList: (await d.store.oidc.listOidcProviders(ctx.principal.accountId)).map((p) => ({
      Arn: p.arn,
    })),
  }))

/** Idempotent, as AWS documents: deleting a provider that does not exist succeeds. */
export const deleteOpenIdConnectProvider = (d: IamDeps) =>
  iamOperation(
    'DeleteOpenIDConnectProvider',
    { readOnly: false, target: (input) => arnTarget(input.OpenIDConnectProviderArn) },
    async (input, ctx) => {
      const provider = await findProvider(d, ctx, input.OpenIDConnectProviderArn)
      if (provider !== undefined) await d.store.oidc.deleteOidcProvider(provider.arn)
      return {}
    },
  )
