/** Cron schedules: the windows they give and the restrictions Secrets Manager puts on them. */
import { describe, expect, it } from 'vitest'
import { scheduleMessages as msg } from './messages.js'
import { cron, errorOf, invalid, windowOf } from './schedule.fixtures.js'

describe('cron() windows', () => {
  it('fires at one hour a day: window to the end of the day', () => {
    expect(windowOf(cron('0 10 * * ? *'), '2024-03-01T10:20:00Z')).toEqual([
      '2024-03-02T10:00:00Z',
      '2024-03-03T00:00:00Z',
    ])
    expect(windowOf(cron('0 10 * * ? *'), '2024-03-01T09:20:00Z')[0]).toBe('2024-03-01T10:00:00Z')
  })

  it('fires at several hours a day: one-hour windows', () => {
    expect(windowOf(cron('0 0/6 * * ? *'), '2024-03-01T06:15:00Z')).toEqual([
      '2024-03-01T12:00:00Z',
      '2024-03-01T13:00:00Z',
    ])
    // A rotation at the very start of a window does not reuse it.
    expect(windowOf(cron('0 0/6 * * ? *'), '2024-03-01T12:00:00Z')[0]).toBe('2024-03-01T18:00:00Z')
    expect(windowOf(cron('0 0/6 * * ? *'), '2024-03-01T18:00:00Z')[0]).toBe('2024-03-02T00:00:00Z')
  })

  it('skips windows that ended at or before now', () => {
    const rules = cron('0 0/6 * * ? *')
    expect(windowOf(rules, '2024-01-01T00:00:00Z', '2024-03-05T12:59:59Z')[0]).toBe('2024-03-05T12:00:00Z')
    expect(windowOf(rules, '2024-01-01T00:00:00Z', '2024-03-05T13:00:00Z')[0]).toBe('2024-03-05T18:00:00Z')
    expect(windowOf(cron('0 10 * * ? *'), '2024-01-01T00:00:00Z', '2024-03-05T15:00:00Z')).toEqual([
      '2024-03-05T10:00:00Z',
      '2024-03-06T00:00:00Z',
    ])
  })

  it('weekdays by name and number', () => {
    // 2024-03-01 is a Friday.
    expect(windowOf(cron('0 8 ? * MON-FRI *'), '2024-03-01T09:00:00Z')[0]).toBe('2024-03-04T08:00:00Z')
    expect(windowOf(cron('0 8 ? * 2-6 *'), '2024-03-01T09:00:00Z')[0]).toBe('2024-03-04T08:00:00Z')
    expect(windowOf(cron('0 8 ? * sun,Sat *'), '2024-03-01T09:00:00Z')[0]).toBe('2024-03-02T08:00:00Z')
    expect(windowOf(cron('0 8 ? * 1 *'), '2024-03-01T09:00:00Z')[0]).toBe('2024-03-03T08:00:00Z')
    expect(windowOf(cron('0 8 ? * * *'), '2024-03-01T09:00:00Z')[0]).toBe('2024-03-02T08:00:00Z')
  })

  it('months, steps and year rollover', () => {
    expect(windowOf(cron('0 0 1 JAN ? *'), '2024-06-01T00:00:00Z')[0]).toBe('2025-01-01T00:00:00Z')
    expect(windowOf(cron('0 0 1 1/3 ? *'), '2024-01-01T05:00:00Z')[0]).toBe('2024-04-01T00:00:00Z')
    expect(windowOf(cron('0 0 1 1/3 ? *'), '2024-10-01T05:00:00Z')[0]).toBe('2025-01-01T00:00:00Z')
    expect(windowOf(cron('0 0 1 nov-dec ? *'), '2024-12-01T05:00:00Z')[0]).toBe('2025-11-01T00:00:00Z')
    expect(windowOf(cron('0 0 */10 * ? *'), '2024-01-21T05:00:00Z')[0]).toBe('2024-01-31T00:00:00Z')
    expect(windowOf(cron('0 0 */10 * ? *'), '2024-01-31T05:00:00Z')[0]).toBe('2024-02-01T00:00:00Z')
    expect(windowOf(cron('0 0 5-20/5 * ? *'), '2024-01-15T05:00:00Z')[0]).toBe('2024-01-20T00:00:00Z')
    expect(windowOf(cron('0 0 5-20/5 * ? *'), '2024-01-20T05:00:00Z')[0]).toBe('2024-02-05T00:00:00Z')
  })

  it('days that some months lack: 31st, 29 February', () => {
    expect(windowOf(cron('0 0 31 * ? *'), '2024-03-31T01:00:00Z')[0]).toBe('2024-05-31T00:00:00Z')
    expect(windowOf(cron('0 0 29 2 ? *'), '2024-03-01T00:00:00Z')[0]).toBe('2028-02-29T00:00:00Z')
    expect(windowOf(cron('0 0 29 2 ? *'), '2027-06-01T00:00:00Z')[0]).toBe('2028-02-29T00:00:00Z')
  })

  it('L: the last day of the month, leap years included', () => {
    expect(windowOf(cron('0 0 L * ? *'), '2023-12-31T05:00:00Z')[0]).toBe('2024-01-31T00:00:00Z')
    expect(windowOf(cron('0 0 L * ? *'), '2024-02-01T00:00:00Z')[0]).toBe('2024-02-29T00:00:00Z')
    expect(windowOf(cron('0 0 L * ? *'), '2023-02-01T00:00:00Z')[0]).toBe('2023-02-28T00:00:00Z')
    expect(windowOf(cron('0 0 L * ? *'), '2024-04-01T00:00:00Z')[0]).toBe('2024-04-30T00:00:00Z')
  })

  it('W: the weekday nearest a day, within the month', () => {
    // 2024-06-15 is a Saturday, 2024-06-01 a Saturday, 2024-09-01 a Sunday, 2024-03-31 a Sunday.
    expect(windowOf(cron('0 0 15W * ? *'), '2024-06-02T00:00:00Z')[0]).toBe('2024-06-14T00:00:00Z')
    expect(windowOf(cron('0 0 1W * ? *'), '2024-05-31T00:00:00Z')[0]).toBe('2024-06-03T00:00:00Z')
    expect(windowOf(cron('0 0 1W * ? *'), '2024-08-31T00:00:00Z')[0]).toBe('2024-09-02T00:00:00Z')
    expect(windowOf(cron('0 0 31W * ? *'), '2024-03-02T00:00:00Z')[0]).toBe('2024-03-29T00:00:00Z')
    expect(windowOf(cron('0 0 31W * ? *'), '2024-04-01T00:00:00Z')[0]).toBe('2024-05-31T00:00:00Z')
    expect(windowOf(cron('0 0 10W * ? *'), '2024-07-01T00:00:00Z')[0]).toBe('2024-07-10T00:00:00Z')
  })

  it('LW: the last weekday of the month', () => {
    // 2024-03-31 is a Sunday, 2024-08-31 a Saturday, 2024-07-31 a Wednesday.
    expect(windowOf(cron('0 0 LW * ? *'), '2024-03-02T00:00:00Z')[0]).toBe('2024-03-29T00:00:00Z')
    expect(windowOf(cron('0 0 LW * ? *'), '2024-08-02T00:00:00Z')[0]).toBe('2024-08-30T00:00:00Z')
    expect(windowOf(cron('0 0 LW * ? *'), '2024-07-02T00:00:00Z')[0]).toBe('2024-07-31T00:00:00Z')
  })

  it('#: the k-th weekday of the month', () => {
    expect(windowOf(cron('0 0 ? * 2#1 *'), '2024-01-02T00:00:00Z')[0]).toBe('2024-02-05T00:00:00Z')
    expect(windowOf(cron('0 0 ? * MON#1 *'), '2024-01-02T00:00:00Z')[0]).toBe('2024-02-05T00:00:00Z')
    expect(windowOf(cron('0 0 ? * 3#2 *'), '2024-01-01T00:00:00Z')[0]).toBe('2024-01-09T00:00:00Z')
    // Fifth Sunday: March 2024 has one, April and May do not, June does.
    expect(windowOf(cron('0 0 ? * 1#5 *'), '2024-03-01T00:00:00Z')[0]).toBe('2024-03-31T00:00:00Z')
    expect(windowOf(cron('0 0 ? * 1#5 *'), '2024-04-01T00:00:00Z')[0]).toBe('2024-06-30T00:00:00Z')
  })

  it('nL: the last given weekday of the month; L alone: Saturday', () => {
    expect(windowOf(cron('0 0 ? * 6L *'), '2024-02-01T00:00:00Z')[0]).toBe('2024-02-23T00:00:00Z')
    expect(windowOf(cron('0 0 ? * FRIL *'), '2024-02-24T00:00:00Z')[0]).toBe('2024-03-29T00:00:00Z')
    expect(windowOf(cron('0 0 ? * L *'), '2024-03-06T00:00:00Z')[0]).toBe('2024-03-09T00:00:00Z')
  })
})

describe('cron() restrictions', () => {
  const bad = (body: string, detail: string) => {
    const expression = `cron(${body})`
    expect(errorOf({ ScheduleExpression: expression })).toEqual(invalid(msg.badCron(expression, detail)))
  }

  it('six fields', () => {
    bad('0 8 * * ?', msg.cronFieldCount)
    bad('0 8 * * ? * *', msg.cronFieldCount)
    bad('', msg.cronFieldCount)
  })

  it('minutes must be 0, year must be *', () => {
    bad('5 8 * * ? *', msg.cronMinutes)
    bad('* 8 * * ? *', msg.cronMinutes)
    bad('0/15 8 * * ? *', msg.cronMinutes)
    bad('0 8 * * ? 2025', msg.cronYear)
    bad('0 8 * * ? 2024-2030', msg.cronYear)
  })

  it('exactly one of day-of-month and day-of-week is ?', () => {
    bad('0 8 * * * *', msg.cronDayFields)
    bad('0 8 ? * ? *', msg.cronDayFields)
    bad('0 8 1 * MON *', msg.cronDayFields)
  })

  it.each([
    ['24 * * ? *', 'hours', '24'],
    ['5-2 * * ? *', 'hours', '5-2'],
    ['*/0 * * ? *', 'hours', '*/0'],
    ['8- * * ? *', 'hours', '8-'],
    ['8,,9 * * ? *', 'hours', '8,,9'],
    ['MON * * ? *', 'hours', 'MON'],
    ['8 32 * ? *', 'day-of-month', '32'],
    ['8 0 * ? *', 'day-of-month', '0'],
    ['8 L-2 * ? *', 'day-of-month', 'L-2'],
    ['8 1W,15 * ? *', 'day-of-month', '1W,15'],
    ['8 32W * ? *', 'day-of-month', '32W'],
    ['8 1 13 ? *', 'month', '13'],
    ['8 1 FOO ? *', 'month', 'FOO'],
    ['8 1 JANUARY ? *', 'month', 'JANUARY'],
    ['8 ? * 8 *', 'day-of-week', '8'],
    ['8 ? * 0 *', 'day-of-week', '0'],
    ['8 ? * MON/2 *', 'day-of-week', 'MON/2'],
    ['8 ? * 2#6 *', 'day-of-week', '2#6'],
    ['8 ? * 2#0 *', 'day-of-week', '2#0'],
    ['8 ? * 8L *', 'day-of-week', '8L'],
    ['8 ? * FRI-MON *', 'day-of-week', 'FRI-MON'],
    ['8 ? * 1,2#1 *', 'day-of-week', '1,2#1'],
  ])('rejects cron(0 %s): bad %s field', (rest, field, value) => {
    bad(`0 ${rest}`, msg.cronField(field, value))
  })

  it('a date that never comes is refused', () => {
    bad('0 0 30 2 ? *', msg.cronNeverFires)
    bad('0 0 31 4,6,9,11 ? *', msg.cronNeverFires)
  })

  it.each(['0 * * * ? *', '0 0/2 * * ? *', '0 1,3 * * ? *', '0 8-11 ? * MON *'])(
    'rejects cron(%s): at most every four hours',
    (body) => {
      expect(errorOf(cron(body))).toEqual(invalid(msg.tooFrequent(`cron(${body})`)))
    },
  )

  it('counts the gap across midnight only when two consecutive days can match', () => {
    expect(errorOf(cron('0 0,20 * * ? *'))).toBeUndefined() // 20:00 to 00:00 is four hours
    expect(errorOf(cron('0 1,22 * * ? *'))).toEqual(invalid(msg.tooFrequent('cron(0 1,22 * * ? *)')))
    expect(errorOf(cron('0 1,22 ? * MON *'))).toBeUndefined()
    expect(errorOf(cron('0 1,22 ? * MON,TUE *'))).toEqual(
      invalid(msg.tooFrequent('cron(0 1,22 ? * MON,TUE *)')),
    )
    expect(errorOf(cron('0 1,22 1,15 * ? *'))).toBeUndefined()
    // The last day of one month and the first of the next are consecutive.
    expect(errorOf(cron('0 1,22 1,31 * ? *'))).toEqual(invalid(msg.tooFrequent('cron(0 1,22 1,31 * ? *)')))
    expect(errorOf(cron('0 1,22 1,31 1 ? *'))).toBeUndefined()
  })

  it.each(['0 0/4 * * ? *', '0 4,8,12 ? * MON-FRI *', '0 0 1,15 * ? *', '0 23 L * ? *', '0 12 ? * 6#3 *'])(
    'accepts cron(%s)',
    (body) => {
      expect(errorOf(cron(body))).toBeUndefined()
    },
  )
})
