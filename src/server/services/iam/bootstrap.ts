import type { Barrier } from '../../barrier/barrier.js'
import type { Clock } from '../../../lib/clock.js'
import { randomString, randomUpperAlnum, type Random } from '../../../lib/random.js'
import { userArn } from './principal.js'
import type { DeploymentRecord, IdentityStore } from './store.js'

export const ADMIN_USER_NAME = 'admin'

export interface AdminCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/**
 * First start: records the deployment (default account and region) and creates the administrator
 * with one access key. Returns the new credentials only when this call initialised the deployment.
 */
export async function initializeDeployment(
  deps: { store: IdentityStore; barrier: Barrier; clock: Clock; random: Random },
  settings: { accountId: string; region: string },
): Promise<{ deployment: DeploymentRecord; created?: AdminCredentials }> {
  const existing = await deps.store.getDeployment()
  if (existing !== undefined) return { deployment: existing }
  const now = deps.clock.now()
  const deployment: DeploymentRecord = {
    defaultAccountId: settings.accountId,
    defaultRegion: settings.region,
    createdAt: now,
  }
  const credentials: AdminCredentials = {
    accessKeyId: `AKIA${randomUpperAlnum(deps.random, 16)}`,
    secretAccessKey: randomString(
      deps.random,
      40,
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
    ),
  }
  const userId = `AIDA${randomUpperAlnum(deps.random, 17)}`
  const created = await deps.store.initialize({
    deployment,
    admin: {
      userId,
      accountId: settings.accountId,
      userName: ADMIN_USER_NAME,
      path: '/',
      arn: userArn(settings.accountId, '/', ADMIN_USER_NAME),
      isAdmin: true,
      createdAt: now,
    },
    accessKey: {
      accessKeyId: credentials.accessKeyId,
      userId,
      sealedSecret: deps.barrier.seal(
        Buffer.from(credentials.secretAccessKey),
        accessKeyAad(credentials.accessKeyId),
      ),
      status: 'Active',
      createdAt: now,
    },
  })
  if (!created) return { deployment: (await deps.store.getDeployment()) ?? deployment }
  return { deployment, created: credentials }
}

export function accessKeyAad(accessKeyId: string): string {
  return `iam/access-key/${accessKeyId}`
}
