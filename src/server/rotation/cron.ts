/**
 * The cron() dialect of rotation schedules (spec 3.7): EventBridge's six fields
 * `minutes hours day-of-month month day-of-week year`, with Secrets Manager's restrictions (minutes `0`,
 * year `*`, exactly one day field `?`). All times are UTC. Pure functions, no clock.
 *
 * Accepted per field (as EventBridge documents them):
 * - hours 0-23 and month 1-12 / JAN-DEC: `*`, values, ranges `a-b`, lists `a,b`, steps `*\/n`, `a/n`, `a-b/n`;
 * - day-of-month 1-31: the same, or one of `L` (last day), `nW` (weekday nearest day n), `LW`;
 * - day-of-week 1-7 / SUN-SAT (1 = SUN): `*`, values, ranges, lists, or one of `L` (= SAT), `nL` (last
 *   weekday n of the month), `n#k` (k-th weekday n of the month, k 1-5).
 * Names are case-insensitive. `L`, `W` and `#` stand alone (not in lists), and ranges do not wrap.
 */
import { InvalidParameterException } from '../../aws-api/secretsmanager/errors.js'
import { scheduleMessages as msg } from './messages.js'

/** Which days of a month match; weekdays are 0 = Sunday ... 6 = Saturday. */
export type DayRule =
  | { readonly kind: 'days-of-month'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'last-day' }
  | { readonly kind: 'nearest-weekday'; readonly day: number }
  | { readonly kind: 'last-weekday' }
  | { readonly kind: 'days-of-week'; readonly weekdays: ReadonlySet<number> }
  | { readonly kind: 'last-of-weekday'; readonly weekday: number }
  | { readonly kind: 'nth-weekday'; readonly weekday: number; readonly nth: number }

export interface Cron {
  /** Matching hours of the day, ascending, distinct. */
  readonly hours: readonly number[]
  /** Matching months, 0 = January. */
  readonly months: ReadonlySet<number>
  readonly days: DayRule
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface FieldSpec {
  readonly name: string
  readonly min: number
  readonly max: number
  readonly names?: readonly string[]
  readonly steps: boolean
}
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23, steps: true }
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31, steps: true }
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTHS, steps: true }
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, steps: false }

/** Parses the text between `cron(` and `)`; `expression` is the whole expression, for messages. */
export function parseCron(expression: string, body: string): Cron {
  const fail = (detail: string): never => {
    throw new InvalidParameterException(msg.badCron(expression, detail))
  }
  const fields = body.trim().split(/\s+/)
  if (fields.length !== 6) fail(msg.cronFieldCount)
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields
  if (minutes !== '0') fail(msg.cronMinutes)
  if (year !== '*') fail(msg.cronYear)
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) fail(msg.cronDayFields)

  const field = (spec: FieldSpec, text: string): Set<number> =>
    parseList(spec, text) ?? fail(msg.cronField(spec.name, text))
  const days =
    dayOfWeek === '?'
      ? (parseDayOfMonth(dayOfMonth) ?? fail(msg.cronField(DAY_OF_MONTH.name, dayOfMonth)))
      : (parseDayOfWeek(dayOfWeek) ?? fail(msg.cronField(DAY_OF_WEEK.name, dayOfWeek)))
  return {
    hours: [...field(HOURS, hours)].sort((a, b) => a - b),
    months: new Set([...field(MONTH, month)].map((m) => m - 1)),
    days,
  }
}

function parseValue(spec: FieldSpec, text: string): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1
  const value = named >= 0 ? named + spec.min : /^\d{1,2}$/.test(text) ? Number(text) : NaN
  return value >= spec.min && value <= spec.max ? value : undefined
}

/** A comma list of `*`, values, ranges and steps; `undefined` when malformed. */
function parseList(spec: FieldSpec, text: string): Set<number> | undefined {
  const values = new Set<number>()
  for (const item of text.split(',')) {
    const match = /^([^/-]+)(?:-([^/-]+))?(?:\/(\d{1,2}))?$/.exec(item)
    if (!match) return undefined
    const [, first = '', last, step] = match
    if (step !== undefined && !spec.steps) return undefined
    const by = step === undefined ? 1 : Number(step)
    let from: number | undefined
    let to: number | undefined
    if (first === '*') {
      if (last !== undefined) return undefined
      ;[from, to] = [spec.min, spec.max]
    } else {
      from = parseValue(spec, first)
      // `a/n` runs to the end of the field, a plain `a` is just itself.
      to = last !== undefined ? parseValue(spec, last) : step !== undefined ? spec.max : from
    }
    if (from === undefined || to === undefined || from > to || by < 1) return undefined
    for (let v = from; v <= to; v += by) values.add(v)
  }
  return values
}

function parseDayOfMonth(text: string): DayRule | undefined {
  if (text === 'L') return { kind: 'last-day' }
  if (text === 'LW') return { kind: 'last-weekday' }
  const nearest = /^(\d{1,2})W$/.exec(text)
  if (nearest) {
    const day = parseValue(DAY_OF_MONTH, nearest[1] ?? '')
    return day === undefined ? undefined : { kind: 'nearest-weekday', day }
  }
  const days = parseList(DAY_OF_MONTH, text)
  return days && { kind: 'days-of-month', days }
}

function parseDayOfWeek(text: string): DayRule | undefined {
  if (text === 'L') return { kind: 'days-of-week', weekdays: new Set([6]) }
  const last = /^(\w+?)L$/.exec(text)
  if (last) {
    const weekday = parseValue(DAY_OF_WEEK, last[1] ?? '')
    return weekday === undefined ? undefined : { kind: 'last-of-weekday', weekday: weekday - 1 }
  }
  const nth = /^(\w+)#(\d)$/.exec(text)
  if (nth) {
    const weekday = parseValue(DAY_OF_WEEK, nth[1] ?? '')
    const k = Number(nth[2])
    if (weekday === undefined || k < 1 || k > 5) return undefined
    return { kind: 'nth-weekday', weekday: weekday - 1, nth: k }
  }
  const weekdays = parseList(DAY_OF_WEEK, text)
  return weekdays && { kind: 'days-of-week', weekdays: new Set([...weekdays].map((d) => d - 1)) }
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
}

/** The days (1-31, ascending) of `month` (0 = January) of `year` on which `cron` fires. */
export function cronDays(cron: Cron, year: number, month: number): number[] {
  if (!cron.months.has(month)) return []
  const length = daysInMonth(year, month)
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay()
  const weekdayOf = (day: number) => (firstWeekday + day - 1) % 7
  /** The weekday (Mon-Fri) nearest `day`, staying inside the month. */
  const nearestWeekday = (day: number) => {
    const weekday = weekdayOf(day)
    if (weekday === 6) return day > 1 ? day - 1 : day + 2
    if (weekday === 0) return day < length ? day + 1 : day - 2
    return day
  }
  const rule = cron.days
  const one = (day: number) => (day >= 1 && day <= length ? [day] : [])
  switch (rule.kind) {
    case 'last-day':
      return [length]
    case 'last-weekday':
      return [nearestWeekday(length)]
    case 'nearest-weekday':
      return rule.day <= length ? [nearestWeekday(rule.day)] : []
    case 'last-of-weekday':
      return [length - ((weekdayOf(length) - rule.weekday + 7) % 7)]
    case 'nth-weekday':
      return one(1 + ((rule.weekday - firstWeekday + 7) % 7) + 7 * (rule.nth - 1))
    case 'days-of-month':
    case 'days-of-week': {
      const matches = (day: number) =>
        rule.kind === 'days-of-month' ? rule.days.has(day) : rule.weekdays.has(weekdayOf(day))
      const days: number[] = []
      for (let day = 1; day <= length; day++) if (matches(day)) days.push(day)
      return days
    }
  }
}

/**
 * Calls `visit` with each day (days since the epoch) the day fields allow, over one full cycle of the
 * calendar (weekdays and leap years repeat every 28 years between 1901 and 2099), until it returns true.
 */
function someDayInCycle(cron: Cron, visit: (epochDay: number) => boolean): boolean {
  for (let year = 2000; year < 2028; year++) {
    for (let month = 0; month < 12; month++) {
      const first = Date.UTC(year, month, 1) / 86_400_000 - 1
      if (cronDays(cron, year, month).some((day) => visit(first + day))) return true
    }
  }
  return false
}

/** Whether the expression fires at all (`cron(0 0 30 2 ? *)` does not). */
export function cronFires(cron: Cron): boolean {
  return someDayInCycle(cron, () => true)
}

/** Whether the expression can fire on two consecutive days (month ends included). */
export function cronFiresOnConsecutiveDays(cron: Cron): boolean {
  let previous = Number.NEGATIVE_INFINITY
  return someDayInCycle(cron, (day) => {
    const consecutive = day === previous + 1
    previous = day
    return consecutive
  })
}

const HOUR_MS = 3_600_000
/** Beyond any expression that fires at all: the Gregorian calendar repeats every 400 years. */
const SEARCH_MONTHS = 400 * 12

/** The first time at or after `from` at which `cron` fires (always on the hour). */
export function nextCronTime(cron: Cron, from: number): number {
  const start = new Date(from)
  let year = start.getUTCFullYear()
  let month = start.getUTCMonth()
  let firstDay = start.getUTCDate()
  let firstHour = Math.ceil((from - Date.UTC(year, month, firstDay)) / HOUR_MS)
  for (let i = 0; i < SEARCH_MONTHS; i++) {
    for (const day of cronDays(cron, year, month)) {
      if (day < firstDay) continue
      const hour = day === firstDay ? cron.hours.find((h) => h >= firstHour) : cron.hours[0]
      if (hour !== undefined) return Date.UTC(year, month, day) + hour * HOUR_MS
    }
    ;[year, month, firstDay, firstHour] = month === 11 ? [year + 1, 0, 1, 0] : [year, month + 1, 1, 0]
  }
  throw new Error('cron expression never fires')
}
