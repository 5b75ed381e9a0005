import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ExpiredTokenException } from '../../../lib/aws/errors.js'
import { cryptoRandom } from '../../../lib/random.js'
import { Barrier, type KeyringStore } from '../../barrier/barrier.js'
import { issueSession } from '../sts/sessions.js'
import type { SessionRecord, StsStore } from '../sts/store.js'
import { CredentialResolver } from './credentials.js'
import type { IdentityStore } from './store.js'

function memoryKeyring(): KeyringStore {
  const terms: { term: number; sealedKey: Buffer }[] = []
  return {
    loadTerms: async () => [...terms],
    insertTerm: async (term, sealedKey) => void terms.push({ term, sealedKey }),
  }
}

async function setup() {
  const barrier = await Barrier.unseal(randomBytes(32), memoryKeyring(), 0)
  const sessions = new Map<string, SessionRecord>()
  let lookups = 0
  const store = {
    insertSession: async (s: SessionRecord) => void sessions.set(s.accessKeyId, s),
    findSession: async (id: string) => {
      lookups++
      return sessions.get(id)
    },
    findSessionUser: async () => undefined,
  } as unknown as StsStore
  const listeners: (() => void)[] = []
  const clock = { time: 1_000_000, now: () => clock.time }
  const resolver = new CredentialResolver(
    {
      store: { findAccessKey: async () => undefined } as unknown as IdentityStore,
      sessions: store,
      barrier,
      freshness: { subscribe: (l) => void listeners.push(l) },
      clock,
    },
    { maxEntries: 10 },
  )
  const credentials = await issueSession(
    { store, barrier, random: cryptoRandom },
    {
      accountId: '111122223333',
      principalKind: 'role',
      principalId: 'AROAEXAMPLE',
      roleArn: 'arn:aws:iam::111122223333:role/ci/Deployer',
      sessionName: 'build',
      sessionPolicies: [],
      tags: [{ Key: 'Team', Value: 'a' }],
      transitiveTagKeys: [],
      chained: false,
    },
    { now: clock.time, durationSeconds: 900 },
  )
  return {
    resolver,
    credentials,
    clock,
    sessions,
    lookups: () => lookups,
    changed: () => listeners.forEach((l) => l()),
  }
}

describe('CredentialResolver with STS sessions', () => {
  it('resolves a session key with its token to the assumed-role principal', async () => {
    const { resolver, credentials } = await setup()
    const resolved = await resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)
    expect(resolved?.secretAccessKey).toBe(credentials.SecretAccessKey)
    expect(resolved?.principal).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/build',
      principalArn: 'arn:aws:iam::111122223333:role/ci/Deployer',
      principalId: 'AROAEXAMPLE:build',
      entity: { kind: 'role', id: 'AROAEXAMPLE' },
      session: { tags: { Team: 'a' }, chained: false, expiresAt: credentials.Expiration.getTime() },
    })
  })

  it('refuses a missing or foreign token', async () => {
    const { resolver, credentials } = await setup()
    expect(await resolver.resolve(credentials.AccessKeyId)).toBeUndefined()
    expect(await resolver.resolve(credentials.AccessKeyId, `${credentials.SessionToken}x`)).toBeUndefined()
  })

  it('checks expiry on every request, cached or not', async () => {
    const { resolver, credentials, clock, lookups } = await setup()
    await resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)
    await resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)
    expect(lookups()).toBe(1)
    clock.time = credentials.Expiration.getTime()
    await expect(resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)).rejects.toThrow(
      ExpiredTokenException,
    )
    expect(lookups()).toBe(1)
  })

  it('forgets cached sessions when stored data changes', async () => {
    const { resolver, credentials, sessions, changed } = await setup()
    await resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)
    sessions.delete(credentials.AccessKeyId)
    expect(await resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)).toBeDefined()
    changed()
    expect(await resolver.resolve(credentials.AccessKeyId, credentials.SessionToken)).toBeUndefined()
  })
})
