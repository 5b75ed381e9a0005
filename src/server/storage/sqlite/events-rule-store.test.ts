import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSqlite } from './database.js'
import { SqliteReadOnlyEventRules, SqliteRuleStore } from './events-rule-store.js'
import { SqliteFreshness } from './freshness.js'

const ACCOUNT = '111122223333'
const REGION = 'us-east-1'
const ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/reads`
const TARGET = { id: 't', arn: `arn:aws:events:${REGION}:${ACCOUNT}:api-destination/hook` }

function rule(state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') {
  return { arn: ARN, accountId: ACCOUNT, region: REGION, name: 'reads', eventPattern: '{}', state, tags: [] }
}

/** Two connections to one file, as two worker processes have. */
function connections() {
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-rules-')), 'coffer.db')
  const open = () => {
    const db = openSqlite(path)
    const freshness = new SqliteFreshness(db)
    return {
      freshness,
      rules: new SqliteRuleStore(db, freshness),
      reads: new SqliteReadOnlyEventRules(db, freshness),
    }
  }
  return [open(), open()] as const
}

describe('SqliteReadOnlyEventRules', () => {
  it('wants reads while a targeted rule in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS exists, seeing its own writes', async () => {
    const [{ rules, reads }] = connections()
    expect(reads.wanted(ACCOUNT, REGION)).toBe(false)
    await rules.putRule(rule('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'))
    expect(reads.wanted(ACCOUNT, REGION)).toBe(false) // no target yet
    expect(await rules.putTargets(ARN, [TARGET], 5)).toBe('ok')
    expect(reads.wanted(ACCOUNT, REGION)).toBe(true)
    expect(reads.wanted('444455556666', REGION)).toBe(false)
    expect(reads.wanted(ACCOUNT, 'eu-west-1')).toBe(false)
    await rules.setState(ARN, 'DISABLED')
    expect(reads.wanted(ACCOUNT, REGION)).toBe(false)
    await rules.putRule(rule('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'))
    expect(reads.wanted(ACCOUNT, REGION)).toBe(true)
    await rules.removeTargets(ARN, ['t'])
    expect(reads.wanted(ACCOUNT, REGION)).toBe(false)
  })

  it("sees another connection's change once it refreshes (each request starts with a refresh)", async () => {
    const [writer, reader] = connections()
    expect(reader.reads.wanted(ACCOUNT, REGION)).toBe(false)
    await writer.rules.putRule(rule('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'))
    await writer.rules.putTargets(ARN, [TARGET], 5)
    expect(reader.reads.wanted(ACCOUNT, REGION)).toBe(false) // cached
    reader.freshness.refresh()
    expect(reader.reads.wanted(ACCOUNT, REGION)).toBe(true)
    await writer.rules.putRule(rule('ENABLED'))
    reader.freshness.refresh()
    expect(reader.reads.wanted(ACCOUNT, REGION)).toBe(false)
  })
})
