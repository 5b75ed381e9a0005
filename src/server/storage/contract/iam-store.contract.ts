import { describe, expect, it } from 'vitest'
import { UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { IamRole, IamStore, IamUser, NewAccessKey, NewPolicy } from '../../services/iam/iam-store.js'

/**
 * The contract every `IamStore` adapter passes. `open` returns a fresh store on real storage (with the
 * deployment's account `111122223333` and the seeded AWS-managed AdministratorAccess) and a count of
 * the change signals the adapter sent, so the suite can check that every write tells the caches.
 */
export type OpenIamStore = () => Promise<{
  store: IamStore
  signals: () => number
  close: () => Promise<void>
}>

const ACCOUNT = '111122223333'
const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'
const DOC = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
let n = 0

function user(name: string, overrides: Partial<IamUser> = {}): IamUser {
  const id = `AIDA${String(++n).padStart(17, '0')}`
  return {
    userId: id,
    accountId: ACCOUNT,
    userName: name,
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    createdAt: 1_000,
    tags: [],
    ...overrides,
  }
}

function role(name: string, overrides: Partial<IamRole> = {}): IamRole {
  return {
    roleId: `AROA${String(++n).padStart(17, '0')}`,
    accountId: ACCOUNT,
    roleName: name,
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    assumeRolePolicy: DOC,
    maxSessionDuration: 3600,
    tags: [],
    createdAt: 1_000,
    ...overrides,
  }
}

function key(userId: string): NewAccessKey {
  return {
    accessKeyId: `AKIA${String(++n).padStart(16, '0')}`,
    userId,
    sealedSecret: Buffer.from('sealed'),
    status: 'Active',
    createdAt: 1_000 + n,
  }
}

function policy(name: string): NewPolicy {
  return {
    policyId: `ANPA${String(++n).padStart(17, '0')}`,
    accountId: ACCOUNT,
    policyName: name,
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    tags: [],
    createdAt: 2_000,
    document: DOC,
  }
}

export function iamStoreContract(adapter: string, open: OpenIamStore): void {
  const withStore = (test: (store: IamStore, signals: () => number) => Promise<void>) => async () => {
    const { store, signals, close } = await open()
    try {
      await test(store, signals)
    } finally {
      await close()
    }
  }

  describe(`IamStore contract: ${adapter}`, () => {
    it(
      'finds users by name ignoring case and refuses a second user whose name differs only in case',
      withStore(async ({ principals }) => {
        const alice = user('Alice', {
          tags: [{ Key: 'team', Value: 'a' }],
          permissionsBoundary: ADMIN_ACCESS,
        })
        await principals.createUser(alice)
        expect(await principals.findUser(ACCOUNT, 'alice')).toEqual(alice)
        expect(await principals.findUser('999999999999', 'alice')).toBeUndefined()
        await expect(principals.createUser(user('ALICE'))).rejects.toEqual(
          new UniqueViolationError('user_name'),
        )
        await principals.createUser(user('bob'))
        expect((await principals.listUsers(ACCOUNT)).map((u) => u.userName)).toEqual(['Alice', 'bob'])
        const carol = user('carol')
        await principals.createUser(carol)
        await expect(
          principals.renameUser(carol.userId, { userName: 'BOB', path: '/', arn: `${carol.arn}x` }),
        ).rejects.toEqual(new UniqueViolationError('user_name'))
        expect(
          await principals.renameUser(carol.userId, { userName: 'dave', path: '/x/', arn: 'arn:d' }),
        ).toBe(true)
        expect(await principals.findUser(ACCOUNT, 'dave')).toMatchObject({ path: '/x/', arn: 'arn:d' })
        expect(await principals.renameUser('AIDAMISSING', { userName: 'e', path: '/', arn: 'arn:e' })).toBe(
          false,
        )
      }),
    )

    it(
      'refuses to delete a user with access keys, attached or inline policies, in that order',
      withStore(async ({ principals, principalPolicies, accessKeys }) => {
        const u = user('blocked')
        await principals.createUser(u)
        const k = key(u.userId)
        expect(await accessKeys.createAccessKey(k, 2)).toBe('created')
        expect(await principalPolicies.attachPolicy('user', u.userId, ADMIN_ACCESS, 10)).toBe('attached')
        expect(
          await principalPolicies.putInlinePolicy('user', u.userId, { name: 'p', document: DOC }, () => {}),
        ).toBe(true)
        expect(await principals.deleteUser(u.userId)).toEqual({ deleted: false, blockedBy: 'access-keys' })
        await accessKeys.deleteAccessKey(k.accessKeyId)
        expect(await principals.deleteUser(u.userId)).toEqual({
          deleted: false,
          blockedBy: 'attached-policies',
        })
        expect(await principalPolicies.detachPolicy('user', u.userId, ADMIN_ACCESS)).toBe(true)
        expect(await principals.deleteUser(u.userId)).toEqual({
          deleted: false,
          blockedBy: 'inline-policies',
        })
        expect(await principalPolicies.deleteInlinePolicy('user', u.userId, 'p')).toBe(true)
        expect(await principals.deleteUser(u.userId)).toEqual({ deleted: true })
        expect(await principals.deleteUser(u.userId)).toEqual({ deleted: false })
        expect(await principals.findUser(ACCOUNT, 'blocked')).toBeUndefined()
      }),
    )

    it(
      'updates roles and their tags atomically; a throwing update writes nothing',
      withStore(async ({ principals, principalPolicies }) => {
        const r = role('app', { description: 'd' })
        await principals.createRole(r)
        await expect(principals.createRole(role('APP'))).rejects.toEqual(
          new UniqueViolationError('role_name'),
        )
        expect(await principals.updateRole(r.roleId, { maxSessionDuration: 7200, description: '' })).toBe(
          true,
        )
        const updated = await principals.findRole(ACCOUNT, 'APP')
        expect(updated?.maxSessionDuration).toBe(7200)
        expect(updated?.description).toBeUndefined()
        expect(await principals.updateTags('role', r.roleId, (t) => [...t, { Key: 'k', Value: 'v' }])).toBe(
          true,
        )
        await expect(
          principals.updateTags('role', r.roleId, () => {
            throw new Error('limit')
          }),
        ).rejects.toThrow('limit')
        expect((await principals.findRole(ACCOUNT, 'app'))?.tags).toEqual([{ Key: 'k', Value: 'v' }])
        expect(await principals.updateTags('role', 'AROAMISSING', (t) => t)).toBe(false)
        expect(await principals.setPermissionsBoundary('role', r.roleId, ADMIN_ACCESS)).toBe(true)
        expect((await principals.findRole(ACCOUNT, 'app'))?.permissionsBoundary).toBe(ADMIN_ACCESS)
        await principalPolicies.putInlinePolicy('role', r.roleId, { name: 'inline', document: DOC }, () => {})
        expect(await principals.deleteRole(r.roleId)).toEqual({
          deleted: false,
          blockedBy: 'inline-policies',
        })
        await principalPolicies.deleteInlinePolicy('role', r.roleId, 'inline')
        expect(await principals.deleteRole(r.roleId)).toEqual({ deleted: true })
      }),
    )

    it(
      'limits access keys per user, changes their status and records later uses only',
      withStore(async ({ principals, accessKeys }, signals) => {
        const u = user('keys')
        await principals.createUser(u)
        const first = key(u.userId)
        const second = key(u.userId)
        expect(await accessKeys.createAccessKey(first, 2)).toBe('created')
        expect(await accessKeys.createAccessKey(second, 2)).toBe('created')
        expect(await accessKeys.createAccessKey(key(u.userId), 2)).toBe('limit')
        expect(await accessKeys.createAccessKey(key('AIDAMISSING'), 2)).toBe('missing')
        expect((await accessKeys.listAccessKeys(u.userId)).map((k) => k.accessKeyId)).toEqual([
          first.accessKeyId,
          second.accessKeyId,
        ])
        const before = signals()
        expect(await accessKeys.setAccessKeyStatus(first.accessKeyId, 'Inactive')).toBe(true)
        expect(signals()).toBeGreaterThan(before)
        expect(await accessKeys.findAccessKey(first.accessKeyId)).toMatchObject({
          status: 'Inactive',
          userName: 'keys',
          accountId: ACCOUNT,
        })
        expect(
          await accessKeys.recordKeyUse(first.accessKeyId, { at: 10, service: 'iam', region: 'r1' }),
        ).toBe(true)
        expect(
          await accessKeys.recordKeyUse(first.accessKeyId, { at: 10, service: 'sts', region: 'r2' }),
        ).toBe(false)
        expect(await accessKeys.recordKeyUse('ASIAUNKNOWN', { at: 10, service: 'sts', region: 'r2' })).toBe(
          false,
        )
        expect((await accessKeys.findAccessKey(first.accessKeyId))?.lastUsed).toEqual({
          at: 10,
          service: 'iam',
          region: 'r1',
        })
        expect(await accessKeys.deleteAccessKey(first.accessKeyId)).toBe(true)
        expect(await accessKeys.deleteAccessKey(first.accessKeyId)).toBe(false)
        expect(await accessKeys.findAccessKey(first.accessKeyId)).toBeUndefined()
      }),
    )

    it(
      'keeps inline policies per principal and shows put the other documents',
      withStore(async ({ principals, principalPolicies }) => {
        const u = user('inline')
        await principals.createUser(u)
        await principalPolicies.putInlinePolicy('user', u.userId, { name: 'b', document: 'B' }, () => {})
        let seen: readonly string[] = []
        await principalPolicies.putInlinePolicy('user', u.userId, { name: 'a', document: 'A' }, (others) => {
          seen = others
        })
        expect(seen).toEqual(['B'])
        await expect(
          principalPolicies.putInlinePolicy('user', u.userId, { name: 'a', document: 'A2' }, () => {
            throw new Error('too big')
          }),
        ).rejects.toThrow('too big')
        expect(await principalPolicies.getInlinePolicy('user', u.userId, 'a')).toBe('A')
        expect(await principalPolicies.listInlinePolicies('user', u.userId)).toEqual(['a', 'b'])
        expect(await principalPolicies.listInlinePolicies('role', u.userId)).toEqual([])
        expect(
          await principalPolicies.putInlinePolicy(
            'user',
            'AIDAMISSING',
            { name: 'a', document: 'A' },
            () => {},
          ),
        ).toBe(false)
      }),
    )

    it(
      'attaches idempotently, up to a limit, and only existing policies',
      withStore(async ({ principals, principalPolicies, policies }) => {
        const r = role('attach')
        await principals.createRole(r)
        const p = await policies.createPolicy(policy('attach-me'))
        expect(await principalPolicies.attachPolicy('role', r.roleId, p.arn, 1)).toBe('attached')
        expect(await principalPolicies.attachPolicy('role', r.roleId, p.arn, 1)).toBe('attached')
        expect(await principalPolicies.attachPolicy('role', r.roleId, ADMIN_ACCESS, 1)).toBe('limit')
        expect(await principalPolicies.attachPolicy('role', r.roleId, `${p.arn}-missing`, 5)).toBe('missing')
        expect(await principalPolicies.listAttachedPolicies('role', r.roleId)).toEqual([
          { policyName: 'attach-me', policyArn: p.arn, path: '/' },
        ])
        expect((await policies.findPolicy(p.arn))?.attachmentCount).toBe(1)
        expect(await policies.deletePolicy(p.arn)).toEqual({ deleted: false, blockedBy: 'attachments' })
        expect(await principalPolicies.detachPolicy('role', r.roleId, p.arn)).toBe(true)
        expect(await principalPolicies.detachPolicy('role', r.roleId, p.arn)).toBe(false)
        await principals.setPermissionsBoundary('role', r.roleId, p.arn)
        expect((await policies.findPolicy(p.arn))?.boundaryUsageCount).toBe(1)
        expect(await policies.deletePolicy(p.arn)).toEqual({ deleted: false, blockedBy: 'attachments' })
      }),
    )

    it(
      'numbers policy versions without reuse, limits them, and protects the default',
      withStore(async ({ policies }) => {
        const p = await policies.createPolicy(policy('versions'))
        await expect(policies.createPolicy(policy('VERSIONS'))).rejects.toEqual(
          new UniqueViolationError('policy_name'),
        )
        expect(p).toMatchObject({ defaultVersionId: 'v1', attachmentCount: 0, updatedAt: 2_000 })
        const add = (setAsDefault: boolean) =>
          policies.addPolicyVersion(p.arn, { document: DOC, createdAt: 3_000, setAsDefault }, 3)
        expect(await add(false)).toEqual({ versionId: 'v2' })
        expect(await add(true)).toEqual({ versionId: 'v3' })
        expect(await add(false)).toBe('limit')
        expect((await policies.findPolicy(p.arn))?.defaultVersionId).toBe('v3')
        expect(await policies.deletePolicyVersion(p.arn, 'v3')).toBe('default')
        expect(await policies.deletePolicyVersion(p.arn, 'v2')).toBe('deleted')
        expect(await policies.deletePolicyVersion(p.arn, 'v2')).toBe('missing')
        expect(await add(false)).toEqual({ versionId: 'v4' })
        expect((await policies.listPolicyVersions(p.arn)).map((v) => [v.versionId, v.isDefault])).toEqual([
          ['v4', false],
          ['v3', true],
          ['v1', false],
        ])
        expect(await policies.setDefaultPolicyVersion(p.arn, 'v9')).toBe(false)
        expect(await policies.setDefaultPolicyVersion(p.arn, 'v1')).toBe(true)
        expect(await policies.getPolicyVersion(p.arn, 'v1')).toMatchObject({ isDefault: true, document: DOC })
        expect(await policies.deletePolicy(p.arn)).toEqual({ deleted: false, blockedBy: 'versions' })
        await policies.deletePolicyVersion(p.arn, 'v3')
        await policies.deletePolicyVersion(p.arn, 'v4')
        expect(await policies.deletePolicy(p.arn)).toEqual({ deleted: true })
        expect(await policies.findPolicy(p.arn)).toBeUndefined()
        expect(
          await policies.addPolicyVersion(p.arn, { document: DOC, createdAt: 1, setAsDefault: true }, 5),
        ).toBe('missing')
      }),
    )

    it(
      'lists the policies of the accounts asked for, AWS-managed ones under `aws`',
      withStore(async ({ policies }) => {
        await policies.createPolicy(policy('local-one'))
        expect((await policies.listPolicies(['aws'])).map((p) => p.arn)).toContain(ADMIN_ACCESS)
        expect((await policies.listPolicies([ACCOUNT])).map((p) => p.policyName)).toEqual(['local-one'])
        expect((await policies.listPolicies(['aws', ACCOUNT])).length).toBeGreaterThanOrEqual(2)
      }),
    )

    it(
      'keeps one OIDC provider per account and url',
      withStore(async ({ oidc }) => {
        const provider = {
          arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example.com`,
          accountId: ACCOUNT,
          url: 'issuer.example.com',
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['a'.repeat(40)],
          tags: [{ Key: 'k', Value: 'v' }],
          createdAt: 5,
        }
        await oidc.createOidcProvider(provider)
        await expect(oidc.createOidcProvider(provider)).rejects.toEqual(new UniqueViolationError('oidc_url'))
        expect(await oidc.findOidcProvider(provider.arn)).toEqual(provider)
        expect(await oidc.listOidcProviders(ACCOUNT)).toEqual([provider])
        expect(await oidc.listOidcProviders('999999999999')).toEqual([])
        expect(await oidc.deleteOidcProvider(provider.arn)).toBe(true)
        expect(await oidc.deleteOidcProvider(provider.arn)).toBe(false)
      }),
    )
  })
}
