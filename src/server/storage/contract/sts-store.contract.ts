import { describe, expect, it } from 'vitest'
import type { RoleRecord, SessionRecord, StsStore } from '../../services/sts/store.js'

/**
 * The contract of the STS storage port. `open` returns a fresh, empty store on real storage and a
 * `seed` that writes IAM's side (roles, managed policies, OIDC providers, users) the way IAM does.
 */
export type OpenStsStore = () => Promise<{
  store: StsStore
  seed: {
    role(role: RoleRecord): void
    managedPolicy(arn: string, accountId: string, document: string): void
    oidcProvider(arn: string, accountId: string, url: string, clientIds: string[]): void
    user(userId: string, accountId: string, userName: string, isAdmin: boolean): void
  }
  close: () => Promise<void>
}>

const role: RoleRecord = {
  roleId: 'AROAEXAMPLEEXAMPLE001',
  accountId: '111122223333',
  roleName: 'Deployer',
  path: '/ci/',
  arn: 'arn:aws:iam::111122223333:role/ci/Deployer',
  assumeRolePolicy: '{"Version":"2012-10-17","Statement":[]}',
  maxSessionDuration: 7200,
  tags: [{ Key: 'Team', Value: 'platform' }],
}

const session: SessionRecord = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  accountId: '111122223333',
  sealedSecret: Buffer.from([1, 2, 3, 0, 255]),
  tokenHash: 'ab'.repeat(32),
  principalKind: 'role',
  principalId: role.roleId,
  roleArn: role.arn,
  sessionName: 'build-1',
  sourceIdentity: 'alice',
  sessionPolicies: ['{"Version":"2012-10-17","Statement":[]}'],
  tags: [{ Key: 'Project', Value: 'Unicorn' }],
  transitiveTagKeys: ['Project'],
  chained: true,
  createdAt: 1_000,
  expiresAt: 901_000,
}

export function stsStoreContract(adapter: string, open: OpenStsStore): void {
  const withStore = (test: (s: Awaited<ReturnType<OpenStsStore>>) => Promise<void>) => async () => {
    const opened = await open()
    try {
      await test(opened)
    } finally {
      await opened.close()
    }
  }

  describe(`StsStore contract: ${adapter}`, () => {
    it(
      'reads roles by exact ARN',
      withStore(async ({ store, seed }) => {
        expect(await store.findRole(role.arn)).toBeUndefined()
        seed.role(role)
        expect(await store.findRole(role.arn)).toEqual(role)
        expect(await store.findRole('arn:aws:iam::111122223333:role/Deployer')).toBeUndefined()
      }),
    )

    it(
      "reads a managed policy's default version, and OIDC providers per account",
      withStore(async ({ store, seed }) => {
        const arn = 'arn:aws:iam::111122223333:policy/ReadOnly'
        expect(await store.managedPolicyDocument(arn)).toBeUndefined()
        seed.managedPolicy(arn, '111122223333', '{"doc":1}')
        expect(await store.managedPolicyDocument(arn)).toBe('{"doc":1}')
        const providerArn = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'
        seed.oidcProvider(providerArn, '111122223333', 'token.actions.githubusercontent.com', [
          'sts.amazonaws.com',
        ])
        expect(await store.listOidcProviders('111122223333')).toEqual([
          {
            arn: providerArn,
            accountId: '111122223333',
            url: 'token.actions.githubusercontent.com',
            clientIds: ['sts.amazonaws.com'],
          },
        ])
        expect(await store.listOidcProviders('444455556666')).toEqual([])
      }),
    )

    it(
      'stores sessions and reads them back unchanged',
      withStore(async ({ store, seed }) => {
        seed.user('AIDAEXAMPLEEXAMPLE01', '111122223333', 'alice', false)
        expect(await store.findSession(session.accessKeyId)).toBeUndefined()
        await store.insertSession(session)
        expect(await store.findSession(session.accessKeyId)).toEqual(session)
        const userSession: SessionRecord = {
          accessKeyId: 'ASIAEXAMPLEEXAMPLE02',
          accountId: '111122223333',
          sealedSecret: Buffer.from('x'),
          tokenHash: 'cd'.repeat(32),
          principalKind: 'user',
          principalId: 'AIDAEXAMPLEEXAMPLE01',
          sessionPolicies: [],
          tags: [],
          transitiveTagKeys: [],
          chained: false,
          createdAt: 5,
          expiresAt: 10,
        }
        await store.insertSession(userSession)
        expect(await store.findSession(userSession.accessKeyId)).toEqual(userSession)
        expect(await store.findSessionUser('AIDAEXAMPLEEXAMPLE01')).toEqual({
          userId: 'AIDAEXAMPLEEXAMPLE01',
          accountId: '111122223333',
          userName: 'alice',
          arn: 'arn:aws:iam::111122223333:user/alice',
          isAdmin: false,
        })
        expect(await store.findSessionUser('AIDANOSUCHUSER')).toBeUndefined()
        await expect(store.insertSession(session)).rejects.toThrow()
      }),
    )

    it(
      'purges sessions that expired before a time',
      withStore(async ({ store }) => {
        await store.insertSession(session)
        await store.insertSession({ ...session, accessKeyId: 'ASIAEXAMPLEEXAMPLE03', expiresAt: 2_000_000 })
        expect(await store.purgeSessions(session.expiresAt)).toBe(0)
        expect(await store.purgeSessions(session.expiresAt + 1)).toBe(1)
        expect(await store.findSession(session.accessKeyId)).toBeUndefined()
        expect(await store.findSession('ASIAEXAMPLEEXAMPLE03')).toBeDefined()
      }),
    )
  })
}
