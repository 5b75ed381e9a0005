import { describe, expect, it } from 'vitest'
import type { KeyringStore } from '../../barrier/barrier.js'
import type {
  AccessKeyRecord,
  DeploymentRecord,
  IdentityStore,
  UserRecord,
} from '../../services/iam/store.js'

/** The contracts of the identity and keyring ports. `open` returns fresh, empty stores on real storage. */
export type OpenIdentityStores = () => Promise<{
  identity: IdentityStore
  keyring: KeyringStore
  close: () => Promise<void>
}>

const deployment: DeploymentRecord = {
  defaultAccountId: '111122223333',
  defaultRegion: 'eu-west-1',
  createdAt: 5,
}
const admin: UserRecord = {
  userId: 'AIDAEXAMPLEEXAMPLE01',
  accountId: '111122223333',
  userName: 'admin',
  path: '/',
  arn: 'arn:aws:iam::111122223333:user/admin',
  isAdmin: true,
  createdAt: 5,
}
const accessKey: AccessKeyRecord = {
  accessKeyId: 'AKIAEXAMPLEEXAMPLE01',
  userId: admin.userId,
  sealedSecret: Buffer.from('sealed-secret'),
  status: 'Active',
  createdAt: 5,
}

export function identityStoreContract(adapter: string, open: OpenIdentityStores): void {
  const withStores =
    (test: (stores: { identity: IdentityStore; keyring: KeyringStore }) => Promise<void>) => async () => {
      const { close, ...stores } = await open()
      try {
        await test(stores)
      } finally {
        await close()
      }
    }

  describe(`IdentityStore and KeyringStore contract: ${adapter}`, () => {
    it(
      'initialises a deployment exactly once',
      withStores(async ({ identity }) => {
        expect(await identity.getDeployment()).toBeUndefined()
        expect(await identity.initialize({ deployment, admin, accessKey })).toBe(true)
        expect(await identity.getDeployment()).toEqual(deployment)
        const other = { ...accessKey, accessKeyId: 'AKIAOTHEROTHEROTHER1' }
        expect(
          await identity.initialize({
            deployment: { ...deployment, defaultRegion: 'us-east-1' },
            admin,
            accessKey: other,
          }),
        ).toBe(false)
        expect(await identity.getDeployment()).toEqual(deployment)
        expect(await identity.findAccessKey(other.accessKeyId)).toBeUndefined()
      }),
    )

    it(
      'finds an access key with its user, and nothing for unknown keys',
      withStores(async ({ identity }) => {
        await identity.initialize({ deployment, admin, accessKey })
        expect(await identity.findAccessKey(accessKey.accessKeyId)).toEqual({ key: accessKey, user: admin })
        expect(await identity.findAccessKey('AKIAUNKNOWNUNKNOWN00')).toBeUndefined()
      }),
    )

    it(
      'keeps keyring terms in order and refuses a duplicate term',
      withStores(async ({ keyring }) => {
        expect(await keyring.loadTerms()).toEqual([])
        await keyring.insertTerm(2, Buffer.from('two'), 1)
        await keyring.insertTerm(1, Buffer.from('one'), 1)
        await expect(keyring.insertTerm(1, Buffer.from('again'), 2)).rejects.toThrow()
        expect(
          (await keyring.loadTerms()).map(({ term, sealedKey }) => [term, sealedKey.toString()]),
        ).toEqual([
          [1, 'one'],
          [2, 'two'],
        ])
      }),
    )
  })
}
