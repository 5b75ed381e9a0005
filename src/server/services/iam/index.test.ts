import { describe, expect, it } from 'vitest'
import { operations } from '../../../aws-api/iam/operations.js'
import { cryptoRandom } from '../../../lib/random.js'
import type { IamStore } from './iam-store.js'
import { createIam } from './index.js'

describe('createIam', () => {
  it('declares every operation of the generated IAM API, each with its action and a target', () => {
    const iam = createIam({
      store: {} as IamStore,
      barrier: { seal: () => Buffer.alloc(0) },
      random: cryptoRandom,
    })
    expect([...iam.operations.keys()].sort()).toEqual(Object.keys(operations).sort())
    const untargeted = ['ListUsers', 'ListRoles', 'ListPolicies', 'ListOpenIDConnectProviders']
    for (const op of iam.operations.values()) {
      expect(op.action).toBe(`iam:${op.name}`)
      expect(op.target === undefined).toBe(untargeted.includes(op.name))
    }
    expect(iam).toMatchObject({
      id: 'iam',
      signingName: 'iam',
      global: true,
      internalErrorCode: 'ServiceFailure',
    })
  })
})
