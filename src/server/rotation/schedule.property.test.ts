import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RotationRulesType } from '../../aws-api/secretsmanager/types.js'
import { AwsError } from '../../lib/aws/errors.js'
import { dueTimeIn, nextWindow, parseRotationRules, type RotationSchedule } from './schedule.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY

// --- A naive oracle for cron day fields: one date at a time, straight from the documented meaning. ---
const dateOf = (ms: number) => new Date(ms)
const isWeekday = (d: Date) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5
const sameMonth = (a: Date, b: Date) => a.getUTCMonth() === b.getUTCMonth()
const daysOfMonth = (d: Date) => {
  const out: Date[] = []
  for (let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); sameMonth(dateOf(t), d); t += DAY)
    out.push(dateOf(t))
  return out
}
type DayOracle = (d: Date) => boolean
const dom =
  (days: number[]): DayOracle =>
  (d) =>
    days.includes(d.getUTCDate())
const dow =
  (weekdays: number[]): DayOracle =>
  (d) =>
    weekdays.includes(d.getUTCDay())
const lastDay: DayOracle = (d) => !sameMonth(dateOf(d.getTime() + DAY), d)
const lastWeekday: DayOracle = (d) =>
  isWeekday(d) && daysOfMonth(d).every((x) => x.getUTCDate() <= d.getUTCDate() || !isWeekday(x))
const nearestWeekday =
  (n: number): DayOracle =>
  (d) => {
    const month = daysOfMonth(d)
    if (month.length < n) return false
    const best = month
      .filter(isWeekday)
      .sort((a, b) => Math.abs(a.getUTCDate() - n) - Math.abs(b.getUTCDate() - n))[0]
    return best?.getUTCDate() === d.getUTCDate()
  }
const lastOf =
  (weekday: number): DayOracle =>
  (d) =>
    d.getUTCDay() === weekday && !sameMonth(dateOf(d.getTime() + 7 * DAY), d)
const nthOf =
  (weekday: number, k: number): DayOracle =>
  (d) =>
    d.getUTCDay() === weekday && Math.ceil(d.getUTCDate() / 7) === k

const range = (from: number, to: number, step = 1) => {
  const out: number[] = []
  for (let v = from; v <= to; v += step) out.push(v)
  return out
}

/** Cron fields with what they mean, built independently of the parser. */
const hoursField = fc.constantFrom<[string, number[]]>(
  ['8', [8]],
  ['0', [0]],
  ['23', [23]],
  ['0/4', range(0, 20, 4)],
  ['*/6', range(0, 18, 6)],
  ['2-22/5', range(2, 22, 5)],
  ['0,12', [0, 12]],
  ['5,9,13', [5, 9, 13]],
  ['1,22', [1, 22]],
  ['3,20', [3, 20]],
)
const monthField = fc.constantFrom<[string, number[]]>(
  ['*', range(0, 11)],
  ['FEB', [1]],
  ['1/3', [0, 3, 6, 9]],
  ['JAN-MAR', [0, 1, 2]],
  ['2,8', [1, 7]],
  ['dec', [11]],
)
const dayOfMonthField = fc.constantFrom<[string, DayOracle]>(
  ['*', () => true],
  ['1', dom([1])],
  ['15', dom([15])],
  ['29', dom([29])],
  ['31', dom([31])],
  ['1,15', dom([1, 15])],
  ['*/10', dom([1, 11, 21, 31])],
  ['10-20', dom(range(10, 20))],
  ['L', lastDay],
  ['LW', lastWeekday],
  ['1W', nearestWeekday(1)],
  ['15W', nearestWeekday(15)],
  ['31W', nearestWeekday(31)],
)
const dayOfWeekField = fc.constantFrom<[string, DayOracle]>(
  ['*', () => true],
  ['MON-FRI', dow([1, 2, 3, 4, 5])],
  ['1', dow([0])],
  ['SUN,SAT', dow([0, 6])],
  ['L', dow([6])],
  ['6L', lastOf(5)],
  ['MONL', lastOf(1)],
  ['2#1', nthOf(1, 1)],
  ['1#5', nthOf(0, 5)],
  ['FRI#3', nthOf(5, 3)],
)

interface Case {
  readonly rules: RotationRulesType
  /** The earliest window start the rule allows after a rotation at `last`. */
  readonly earliest: (last: number) => number
  /** When windows may open (cron only; the other kinds are checked by `earliest`): hours of matching days. */
  readonly opens?: { readonly hours: readonly number[]; readonly onDay: (dayStart: number) => boolean }
  readonly minApart: number
}

const duration = fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined })
const withDuration = (rules: RotationRulesType, hours: number | undefined): RotationRulesType =>
  hours === undefined ? rules : { ...rules, Duration: `${hours}h` }

const daysCase = fc
  .tuple(fc.integer({ min: 1, max: 1000 }), fc.boolean(), duration)
  .map(([n, asRate, d]): Case => ({
    rules: withDuration(
      asRate ? { ScheduleExpression: `rate(${n} days)` } : { AutomaticallyAfterDays: n },
      d,
    ),
    earliest: (last) => utcDay(last) + n * DAY,
    minApart: n * DAY,
  }))

const hoursCase = fc.tuple(fc.integer({ min: 4, max: 60 }), duration).map(([n, d]): Case => ({
  rules: withDuration({ ScheduleExpression: `rate(${n} hours)` }, d),
  earliest: (last) => Math.floor(last / HOUR) * HOUR + n * HOUR,
  minApart: n * HOUR,
}))

const cronCase = fc
  .tuple(hoursField, monthField, fc.boolean(), dayOfMonthField, dayOfWeekField, duration)
  .map(([[h, hours], [m, months], byMonthDay, [dm, domOk], [dw, dowOk], d]): Case => {
    const days = byMonthDay ? `${dm} ${m} ?` : `? ${m} ${dw}`
    const dayOk = byMonthDay ? domOk : dowOk
    return {
      rules: withDuration({ ScheduleExpression: `cron(0 ${h} ${days} *)` }, d),
      earliest: (last) => last + 1,
      opens: { hours, onDay: (day) => months.includes(dateOf(day).getUTCMonth()) && dayOk(dateOf(day)) },
      minApart: 4 * HOUR,
    }
  })

/** The rules, parsed; `undefined` when AWS would refuse them (which must be InvalidParameterException). */
const parse = (rules: RotationRulesType): RotationSchedule | undefined => {
  try {
    return parseRotationRules(rules)
  } catch (e) {
    expect(e).toBeInstanceOf(AwsError)
    expect((e as AwsError).code).toBe('InvalidParameterException')
    return undefined
  }
}

const lastRotation = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) })
const nowOffset = fc.integer({ min: -2 * DAY, max: 3 * 365 * DAY })
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

describe('rotation windows (property)', () => {
  it('end after now, start no earlier than the rule allows, within one UTC day; the due time lies inside', () => {
    fc.assert(
      fc.property(
        fc.oneof(daysCase, hoursCase, cronCase),
        lastRotation,
        nowOffset,
        unit,
        (c, last, offset, r) => {
          const schedule = parse(c.rules)
          fc.pre(schedule !== undefined)
          const now = last + offset
          const w = nextWindow(schedule, last, now)
          expect(w.end).toBeGreaterThan(now)
          expect(w.start).toBeLessThan(w.end)
          expect(w.start).toBeGreaterThanOrEqual(c.earliest(last))
          expect(w.start % HOUR).toBe(0)
          expect(utcDay(w.end - 1)).toBe(utcDay(w.start))
          if (c.opens) {
            expect(c.opens.onDay(utcDay(w.start))).toBe(true)
            expect(c.opens.hours).toContain((w.start - utcDay(w.start)) / HOUR)
          }

          const due = dueTimeIn(w, now, () => r)
          expect(due).toBeGreaterThanOrEqual(Math.max(w.start, now))
          expect(due).toBeLessThan(w.end)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('cron: no window opens between the earliest allowed start and the one returned', () => {
    fc.assert(
      fc.property(cronCase, lastRotation, nowOffset, (c, last, offset) => {
        const schedule = parse(c.rules)
        const opens = c.opens
        fc.pre(schedule !== undefined && opens !== undefined)
        const now = last + offset
        const w = nextWindow(schedule, last, now)
        const length = w.end - w.start
        const from = Math.max(last + 1, now - length + 1)
        for (let day = utcDay(from); day <= w.start; day += DAY) {
          if (!opens.onDay(day)) continue
          const missed = opens.hours.map((h) => day + h * HOUR).filter((t) => t >= from && t < w.start)
          expect(missed).toEqual([])
        }
      }),
      { numRuns: 150 },
    )
  })

  it('rotating at the due time leads to a later window that does not overlap and keeps rotations apart', () => {
    fc.assert(
      fc.property(fc.oneof(daysCase, hoursCase, cronCase), lastRotation, unit, (c, last, r) => {
        const schedule = parse(c.rules)
        fc.pre(schedule !== undefined)
        const first = nextWindow(schedule, last, last)
        const rotatedAt = dueTimeIn(first, first.start, () => r)
        const second = nextWindow(schedule, rotatedAt, rotatedAt)
        expect(second.start).toBeGreaterThanOrEqual(first.end)
        expect(second.start - first.start).toBeGreaterThanOrEqual(Math.max(c.minApart, 4 * HOUR))
      }),
      { numRuns: 300 },
    )
  })
})

describe('parseRotationRules on arbitrary input (property)', () => {
  const modelChars = fc.constantFrom(
    ...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()#?*-/, ',
  )
  const fieldish = fc.constantFrom(
    '0',
    '*',
    '?',
    'L',
    'W',
    '#',
    '/',
    '-',
    ',',
    '1',
    '5',
    '12',
    '31',
    'MON',
    'JAN',
    '7',
  )
  const cronish = fc
    .array(fc.array(fieldish, { minLength: 1, maxLength: 4 }), { minLength: 5, maxLength: 7 })
    .map((fields) => `cron(${fields.map((f) => f.join('')).join(' ')})`)
  const expression = fc.oneof(
    fc.string({ unit: modelChars, minLength: 1, maxLength: 40 }),
    cronish,
    fc.string({ unit: modelChars, maxLength: 20 }).map((s) => `rate(${s})`),
  )

  it('answers InvalidParameterException or a schedule whose windows are sound', () => {
    fc.assert(
      fc.property(
        expression,
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789h'), maxLength: 3 })),
        lastRotation,
        (e, d, last) => {
          const schedule = parse(
            d === null ? { ScheduleExpression: e } : { ScheduleExpression: e, Duration: d },
          )
          if (schedule === undefined) return
          const w = nextWindow(schedule, last, last)
          expect(w.start).toBeGreaterThan(last - DAY)
          expect(w.end).toBeGreaterThan(last)
          expect(utcDay(w.end - 1)).toBe(utcDay(w.start))
        },
      ),
      { numRuns: 1000 },
    )
  })
})
