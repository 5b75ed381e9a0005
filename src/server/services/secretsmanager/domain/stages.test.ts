import { describe, expect, it } from 'vitest'
import type { VersionRecord } from '../store.js'
import { applyMoves, holders, moveStage, pruneDeprecated, stagesForNewVersion } from './stages.js'

const v = (versionId: string, stages: string[], createdAt = 0): VersionRecord => ({
  versionId,
  createdAt,
  stages,
  hasValue: true,
})

const labels = (versions: VersionRecord[], moves: ReturnType<typeof stagesForNewVersion>, added?: string) =>
  Object.fromEntries([...applyMoves(versions, moves, added)].map(([id, set]) => [id, [...set].sort()]))

describe('stagesForNewVersion (spec §3.3)', () => {
  it('without a list: AWSCURRENT moves, the old current becomes AWSPREVIOUS, the old previous is deprecated', () => {
    const versions = [v('a', ['AWSPREVIOUS']), v('b', ['AWSCURRENT'])]
    const moves = stagesForNewVersion(holders(versions), 'c', undefined)
    expect(labels(versions, moves, 'c')).toEqual({ a: [], b: ['AWSPREVIOUS'], c: ['AWSCURRENT'] })
  })

  it('a list without AWSCURRENT moves only the listed labels and leaves the others in place', () => {
    const versions = [v('a', ['AWSCURRENT', 'one', 'three']), v('b', ['two'])]
    const moves = stagesForNewVersion(holders(versions), 'c', ['one', 'two', 'four'])
    expect(labels(versions, moves, 'c')).toEqual({
      a: ['AWSCURRENT', 'three'],
      b: [],
      c: ['four', 'one', 'two'],
    })
  })

  it('an explicit AWSCURRENT in the list shifts AWSPREVIOUS too', () => {
    const versions = [v('a', ['AWSCURRENT'])]
    const moves = stagesForNewVersion(holders(versions), 'b', ['AWSCURRENT', 'x'])
    expect(labels(versions, moves, 'b')).toEqual({ a: ['AWSPREVIOUS'], b: ['AWSCURRENT', 'x'] })
  })

  it("the secret's first version always gets AWSCURRENT", () => {
    expect(labels([], stagesForNewVersion(new Map(), 'a', ['AWSPENDING']), 'a')).toEqual({
      a: ['AWSCURRENT', 'AWSPENDING'],
    })
  })
})

describe('moveStage (UpdateSecretVersionStage)', () => {
  const versions = [v('a', ['AWSPREVIOUS']), v('b', ['AWSCURRENT']), v('c', ['AWSPENDING'])]

  it('requires RemoveFromVersionId when the label is attached elsewhere', () => {
    expect(moveStage(versions, 'AWSCURRENT', 'c', undefined)).toEqual({
      kind: 'remove-from-required',
      holder: 'b',
    })
    expect(moveStage(versions, 'AWSCURRENT', 'c', 'a')).toEqual({
      kind: 'remove-from-mismatch',
      versionId: 'a',
    })
  })

  it('moving AWSCURRENT leaves AWSPREVIOUS behind and keeps AWSPENDING on the new current', () => {
    const moves = moveStage(versions, 'AWSCURRENT', 'c', 'b')
    if (!Array.isArray(moves)) throw new Error('expected moves')
    expect(labels(versions, moves)).toEqual({ a: [], b: ['AWSPREVIOUS'], c: ['AWSCURRENT', 'AWSPENDING'] })
  })

  it('detaches a label, refuses to detach AWSCURRENT, and knows unknown versions', () => {
    expect(moveStage(versions, 'AWSPENDING', undefined, 'c')).toEqual([
      { stage: 'AWSPENDING', versionId: null },
    ])
    expect(moveStage(versions, 'AWSCURRENT', undefined, 'b')).toEqual({ kind: 'cannot-remove-current' })
    expect(moveStage(versions, 'X', 'zzz', undefined)).toEqual({ kind: 'unknown-version', versionId: 'zzz' })
    expect(moveStage(versions, 'X', undefined, undefined)).toEqual({ kind: 'no-target' })
    expect(moveStage(versions, 'AWSCURRENT', 'b', undefined)).toEqual([])
  })
})

describe('pruneDeprecated', () => {
  const HOUR = 3_600_000
  const now = 100 * HOUR

  it('keeps at most 100 deprecated versions, dropping the oldest first', () => {
    const versions = Array.from({ length: 103 }, (_, i) => v(`d${i}`, [], i))
    const after = applyMoves(versions, [])
    expect(pruneDeprecated(versions, after, now)).toEqual({ drop: ['d0', 'd1', 'd2'], overQuota: false })
  })

  it('never drops a version younger than 24 hours, and reports the quota as exceeded instead', () => {
    const versions = Array.from({ length: 101 }, (_, i) => v(`d${i}`, [], now - 23 * HOUR + i))
    expect(pruneDeprecated(versions, applyMoves(versions, []), now)).toEqual({ drop: [], overQuota: true })
  })
})
