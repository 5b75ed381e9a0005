import { describe, expect, it } from 'vitest'
import { AccessKeyUsage } from './access-key-usage.js'
import type { KeyUse } from './iam-store.js'

describe('AccessKeyUsage', () => {
  it('writes at most once per key per hour, with the start of the hour', async () => {
    const writes: [string, KeyUse][] = []
    const usage = new AccessKeyUsage({
      recordKeyUse: async (id, use) => {
        writes.push([id, use])
        return true
      },
    })
    const hour = Date.UTC(2025, 0, 1, 10)
    await usage.recordKeyUse('AKIA1', 'iam', 'us-east-1', hour + 5_000)
    await usage.recordKeyUse('AKIA1', 'sts', 'eu-west-1', hour + 60_000)
    await usage.recordKeyUse('AKIA2', 'sts', 'eu-west-1', hour + 60_000)
    await usage.recordKeyUse('AKIA1', 'secretsmanager', 'eu-west-1', hour + 3_600_000)
    expect(writes).toEqual([
      ['AKIA1', { at: hour, service: 'iam', region: 'us-east-1' }],
      ['AKIA2', { at: hour, service: 'sts', region: 'eu-west-1' }],
      ['AKIA1', { at: hour + 3_600_000, service: 'secretsmanager', region: 'eu-west-1' }],
    ])
  })
})
