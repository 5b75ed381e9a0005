import { describe, expect, it } from 'vitest'
import { scheduleMessages as msg } from './messages.js'
import { at, cron, errorOf, invalid, iso, windowOf } from './schedule.fixtures.js'
import { dueTimeIn, nextRotationDate, nextWindow, parseRotationRules } from './schedule.js'

describe('AutomaticallyAfterDays (spec 3.7)', () => {
  it.each([1, 7, 1000])('accepts %i', (days) => {
    expect(parseRotationRules({ AutomaticallyAfterDays: days }).rules).toEqual({
      AutomaticallyAfterDays: days,
    })
  })

  it.each([0, -1, 1001, 1.5, Number.NaN])('rejects %d with the AWS text', (days) => {
    expect(errorOf({ AutomaticallyAfterDays: days })).toEqual(
      invalid('RotationRules.AutomaticallyAfterDays must be within 1-1000.'),
    )
  })

  it('rotates during the UTC day N days after the day of the last rotation', () => {
    expect(windowOf({ AutomaticallyAfterDays: 30 }, '2024-01-15T10:00:00Z')).toEqual([
      '2024-02-14T00:00:00Z',
      '2024-02-15T00:00:00Z',
    ])
    // Late in the day still counts as that day.
    expect(windowOf({ AutomaticallyAfterDays: 1 }, '2024-01-15T23:59:59Z')).toEqual([
      '2024-01-16T00:00:00Z',
      '2024-01-17T00:00:00Z',
    ])
  })

  it('crosses leap days, month and year ends', () => {
    expect(windowOf({ AutomaticallyAfterDays: 1 }, '2024-02-28T12:00:00Z')).toEqual([
      '2024-02-29T00:00:00Z',
      '2024-03-01T00:00:00Z',
    ])
    expect(windowOf({ AutomaticallyAfterDays: 1 }, '2023-02-28T12:00:00Z')[0]).toBe('2023-03-01T00:00:00Z')
    expect(windowOf({ AutomaticallyAfterDays: 2 }, '2023-12-30T12:00:00Z')[0]).toBe('2024-01-01T00:00:00Z')
    expect(windowOf({ AutomaticallyAfterDays: 365 }, '2024-01-01T08:00:00Z')[0]).toBe('2024-12-31T00:00:00Z')
    expect(windowOf({ AutomaticallyAfterDays: 1000 }, '2024-01-01T08:00:00Z')[0]).toBe('2026-09-27T00:00:00Z')
  })

  it('a Duration shortens the window, which opens at midnight', () => {
    expect(windowOf({ AutomaticallyAfterDays: 3, Duration: '3h' }, '2024-05-01T17:00:00Z')).toEqual([
      '2024-05-04T00:00:00Z',
      '2024-05-04T03:00:00Z',
    ])
  })

  it('a missed day gives the window still open now, else the next one', () => {
    const rules = { AutomaticallyAfterDays: 1 }
    expect(windowOf(rules, '2024-01-01T00:00:00Z', '2024-01-10T05:00:00Z')).toEqual([
      '2024-01-10T00:00:00Z',
      '2024-01-11T00:00:00Z',
    ])
    const short = { AutomaticallyAfterDays: 1, Duration: '3h' }
    expect(windowOf(short, '2024-01-01T00:00:00Z', '2024-01-10T02:59:59Z')[0]).toBe('2024-01-10T00:00:00Z')
    expect(windowOf(short, '2024-01-01T00:00:00Z', '2024-01-10T03:00:00Z')[0]).toBe('2024-01-11T00:00:00Z')
  })

  it('an early now does not move the window before the rule allows', () => {
    expect(windowOf({ AutomaticallyAfterDays: 5 }, '2024-01-10T00:00:00Z', '2024-01-01T00:00:00Z')[0]).toBe(
      '2024-01-15T00:00:00Z',
    )
  })
})

describe('RotationRules members together (spec 3.7)', () => {
  it('refuses both AutomaticallyAfterDays and a different expression', () => {
    expect(errorOf({ AutomaticallyAfterDays: 10, ScheduleExpression: 'cron(0 8 * * ? *)' })).toEqual(
      invalid(msg.bothRules),
    )
    expect(errorOf({ AutomaticallyAfterDays: 5, ScheduleExpression: 'rate(10 days)' })).toEqual(
      invalid(msg.bothRules),
    )
    expect(errorOf({ AutomaticallyAfterDays: 10, ScheduleExpression: 'rate(240 hours)' })).toEqual(
      invalid(msg.bothRules),
    )
  })

  it('refuses rules with neither', () => {
    expect(errorOf({})).toEqual(invalid(msg.noRule))
    expect(errorOf({ Duration: '2h' })).toEqual(invalid(msg.noRule))
  })

  it('echoes rules as DescribeSecret shows them: rate(N days) also gives AutomaticallyAfterDays', () => {
    expect(parseRotationRules({ ScheduleExpression: 'rate(10 days)' }).rules).toEqual({
      AutomaticallyAfterDays: 10,
      ScheduleExpression: 'rate(10 days)',
    })
    expect(parseRotationRules({ ScheduleExpression: 'rate(1 day)', Duration: '4h' }).rules).toEqual({
      AutomaticallyAfterDays: 1,
      ScheduleExpression: 'rate(1 day)',
      Duration: '4h',
    })
    expect(parseRotationRules({ ScheduleExpression: 'rate(12 hours)' }).rules).toEqual({
      ScheduleExpression: 'rate(12 hours)',
    })
    expect(parseRotationRules(cron('0 8 ? * MON-FRI *', '2h')).rules).toEqual(cron('0 8 ? * MON-FRI *', '2h'))
  })

  it('the echoed rules parse again to the same schedule', () => {
    for (const rules of [
      { ScheduleExpression: 'rate(10 days)', Duration: '2h' },
      { AutomaticallyAfterDays: 3 },
    ]) {
      const first = parseRotationRules(rules)
      const again = parseRotationRules(first.rules)
      expect(again.rules).toEqual(first.rules)
      const t = at('2024-03-03T03:03:03Z')
      expect(nextWindow(again, t, t)).toEqual(nextWindow(first, t, t))
    }
  })

  it('a schedule carried as plain data (e.g. stored rules) still gives windows', () => {
    const t = at('2024-03-03T03:03:03Z')
    const parsed = parseRotationRules({ ScheduleExpression: 'cron(0 6 * * ? *)' })
    const plain = JSON.parse(JSON.stringify(parsed)) as typeof parsed
    expect(nextWindow(plain, t, t)).toEqual(nextWindow(parsed, t, t))
  })
})

describe('rate() expressions', () => {
  it.each([
    'rate(1 day)',
    'rate(1 days)',
    'rate(10 days)',
    'rate(1000 days)',
    'rate(4 hours)',
    'rate(4 hour)',
  ])('accepts %s', (expression) => {
    expect(errorOf({ ScheduleExpression: expression })).toBeUndefined()
  })

  it.each([
    'rate(0 days)',
    'rate(0 hours)',
    'rate(5 minutes)',
    'rate(-1 days)',
    'rate(1.5 days)',
    'rate(days)',
    'rate(1day)',
  ])('rejects %s as a malformed rate', (expression) => {
    expect(errorOf({ ScheduleExpression: expression })).toEqual(invalid(msg.badRate(expression)))
  })

  it.each(['rate(3 hours)', 'rate(1 hour)'])('rejects %s: at most every four hours', (expression) => {
    expect(errorOf({ ScheduleExpression: expression })).toEqual(invalid(msg.tooFrequent(expression)))
  })

  it.each(['rate(1001 days)', 'rate(24001 hours)'])('rejects %s: longer than 1000 days', (expression) => {
    expect(errorOf({ ScheduleExpression: expression })).toEqual(invalid(msg.rateTooLong(expression)))
  })

  it.each(['Rate(1 day)', 'every day', 'at(2024-01-01T00:00:00)', 'cron', ' rate(1 day)'])(
    'rejects %j as neither rate() nor cron()',
    (expression) => {
      expect(errorOf({ ScheduleExpression: expression })).toEqual(invalid(msg.badExpression(expression)))
    },
  )

  it('rate(N days) behaves as AutomaticallyAfterDays', () => {
    expect(windowOf({ ScheduleExpression: 'rate(10 days)' }, '2024-02-25T15:00:00Z')).toEqual([
      '2024-03-06T00:00:00Z',
      '2024-03-07T00:00:00Z',
    ])
  })

  it('rate(N hours): one-hour windows opening at midnight and every N hours, N hours after the last', () => {
    const rules = { ScheduleExpression: 'rate(4 hours)' }
    expect(windowOf(rules, '2024-03-01T00:30:00Z')).toEqual(['2024-03-01T04:00:00Z', '2024-03-01T05:00:00Z'])
    expect(windowOf(rules, '2024-03-01T04:00:00Z')[0]).toBe('2024-03-01T08:00:00Z')
    expect(windowOf(rules, '2024-03-01T22:10:00Z')[0]).toBe('2024-03-02T04:00:00Z')
    // A missed window: the next one that has not ended.
    expect(windowOf(rules, '2024-03-01T00:30:00Z', '2024-03-05T09:10:00Z')[0]).toBe('2024-03-05T12:00:00Z')
    expect(windowOf(rules, '2024-03-01T00:30:00Z', '2024-03-05T08:10:00Z')[0]).toBe('2024-03-05T08:00:00Z')
  })

  it('rate(N hours) where N does not divide a day keeps rotations N hours apart across midnight', () => {
    const rules = { ScheduleExpression: 'rate(7 hours)' } // windows at 00, 07, 14, 21
    expect(windowOf(rules, '2024-03-01T14:20:00Z')[0]).toBe('2024-03-01T21:00:00Z')
    expect(windowOf(rules, '2024-03-01T21:30:00Z')[0]).toBe('2024-03-02T07:00:00Z')
  })

  it('rate(N hours) longer than a day opens at midnight', () => {
    expect(windowOf({ ScheduleExpression: 'rate(48 hours)' }, '2024-12-31T00:20:00Z')).toEqual([
      '2025-01-02T00:00:00Z',
      '2025-01-02T01:00:00Z',
    ])
  })
})

describe('Duration', () => {
  it.each(['1h', '01h', '24h'])('accepts %s', (duration) => {
    expect(errorOf({ AutomaticallyAfterDays: 2, Duration: duration })).toBeUndefined()
  })

  it.each(['0h', '25h', '99h', 'h', '1.5h', '2H', '2', ''])('rejects %j: 1h to 24h', (duration) => {
    expect(errorOf({ AutomaticallyAfterDays: 2, Duration: duration })).toEqual(
      invalid(msg.durationRange(duration)),
    )
  })

  it('may not reach into the next UTC day', () => {
    expect(errorOf({ ScheduleExpression: 'rate(4 hours)', Duration: '4h' })).toBeUndefined() // last: 20:00-24:00
    expect(errorOf({ ScheduleExpression: 'rate(4 hours)', Duration: '5h' })).toEqual(
      invalid(msg.durationNextDay('5h')),
    )
    expect(errorOf({ ScheduleExpression: 'rate(7 hours)', Duration: '4h' })).toEqual(
      invalid(msg.durationNextDay('4h')),
    )
    expect(errorOf(cron('0 22 * * ? *', '2h'))).toBeUndefined()
    expect(errorOf(cron('0 22 * * ? *', '3h'))).toEqual(invalid(msg.durationNextDay('3h')))
    expect(errorOf(cron('0 4/6 * * ? *', '3h'))).toEqual(invalid(msg.durationNextDay('3h')))
  })

  it('may not reach into the next window', () => {
    expect(errorOf(cron('0 0,8 * * ? *', '8h'))).toBeUndefined()
    expect(errorOf(cron('0 0,8 * * ? *', '9h'))).toEqual(invalid(msg.durationNextWindow('9h')))
  })

  it('sets the window length of every kind', () => {
    expect(windowOf({ ScheduleExpression: 'rate(6 hours)', Duration: '6h' }, '2024-03-01T06:10:00Z')).toEqual(
      ['2024-03-01T12:00:00Z', '2024-03-01T18:00:00Z'],
    )
    expect(windowOf(cron('0 0/6 * * ? *', '6h'), '2024-03-01T06:15:00Z')).toEqual([
      '2024-03-01T12:00:00Z',
      '2024-03-01T18:00:00Z',
    ])
    expect(windowOf(cron('0 10 * * ? *', '2h'), '2024-03-01T10:15:00Z')).toEqual([
      '2024-03-02T10:00:00Z',
      '2024-03-02T12:00:00Z',
    ])
  })
})

describe('NextRotationDate', () => {
  it('is the last second of the window', () => {
    const days = nextWindow(parseRotationRules({ AutomaticallyAfterDays: 30 }), at('2024-01-15T10:00:00Z'), 0)
    expect(iso(nextRotationDate(days))).toBe('2024-02-14T23:59:59Z')
    const hours = nextWindow(
      parseRotationRules({ ScheduleExpression: 'rate(4 hours)' }),
      at('2024-03-01T00:30:00Z'),
      0,
    )
    expect(iso(nextRotationDate(hours))).toBe('2024-03-01T04:59:59Z')
    const daily = nextWindow(parseRotationRules(cron('0 10 * * ? *', '3h')), at('2024-03-01T10:20:00Z'), 0)
    expect(iso(nextRotationDate(daily))).toBe('2024-03-02T12:59:59Z')
  })
})

describe('dueTimeIn', () => {
  const window = { start: at('2024-03-02T00:00:00Z'), end: at('2024-03-03T00:00:00Z') }

  it('spreads starts over the first half of the window', () => {
    const before = at('2024-03-01T12:00:00Z')
    expect(iso(dueTimeIn(window, before, () => 0))).toBe('2024-03-02T00:00:00Z')
    expect(iso(dueTimeIn(window, before, () => 0.5))).toBe('2024-03-02T06:00:00Z')
    expect(dueTimeIn(window, before, () => 0.999999999)).toBeLessThan(at('2024-03-02T12:00:00Z'))
    expect(dueTimeIn(window, before, () => 1)).toBeLessThan(at('2024-03-02T12:00:00Z'))
  })

  it('never before now', () => {
    const now = at('2024-03-02T10:00:00Z')
    expect(iso(dueTimeIn(window, now, () => 0))).toBe('2024-03-02T10:00:00Z')
    expect(iso(dueTimeIn(window, now, () => 0.5))).toBe('2024-03-02T11:00:00Z')
  })

  it('now, once the first half is over or the window has ended', () => {
    expect(iso(dueTimeIn(window, at('2024-03-02T13:00:00Z'), () => 0.7))).toBe('2024-03-02T13:00:00Z')
    expect(iso(dueTimeIn(window, at('2024-03-04T01:00:00Z'), () => 0.7))).toBe('2024-03-04T01:00:00Z')
  })
})
