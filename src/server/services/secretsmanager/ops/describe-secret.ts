import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { describeSecret as present } from '../presenter.js'
import { bySecretId } from '../targets.js'

/** Works on secrets scheduled for deletion too (spec §3.5). */
export const describeSecret = (d: SecretsManagerDeps) =>
  smOperation('DescribeSecret', { readOnly: true, target: bySecretId(d) }, async (input, ctx) => {
    const secret = await d.lookup.require(ctx, input.SecretId)
    const stages = (await d.store.stagesOf([secret.id])).get(secret.id) ?? new Map<string, string[]>()
    return present(secret, stages)
  })
