/**
 * Rotation schedules (spec 3.7; docs/rotation-schedules.md): RotationRules validated as AWS validates
 * them, and the UTC rotation windows they define. Pure: times are epoch milliseconds passed in, and
 * randomness is passed in.
 *
 * Every kind of rule comes down to the same shape: window starts at given hours on matching UTC days,
 * a window length, and the earliest start allowed after the last rotation.
 * - `AutomaticallyAfterDays: N` / `rate(N days)`: the UTC day N days after the day of the last rotation
 *   (the window opens at midnight; AWS: "If you use a rate() expression, the rotation window starts at
 *   midnight"), until the end of that day or for `Duration`.
 * - `rate(N hours)`: windows open at 00:00 UTC and every N hours after it, each UTC day; the next is the
 *   first opening N hours or more after the start of the hour of the last rotation (so rotations stay
 *   N hours apart across midnight too). One hour long unless `Duration` says otherwise.
 * - `cron(...)`: windows open whenever the expression fires after the last rotation. One hour long when
 *   it fires at several hours of a day, else until the end of the day, unless `Duration` says otherwise.
 */
import { InvalidParameterException } from '../../aws-api/secretsmanager/errors.js'
import type { RotationRulesType } from '../../aws-api/secretsmanager/types.js'
import { MS_PER_DAY, utcDay } from '../../lib/clock.js'
import { cronFires, cronFiresOnConsecutiveDays, nextCronTime, parseCron, type Cron } from './cron.js'
import { scheduleMessages as msg } from './messages.js'

/** Epoch ms, half-open: rotation may start at `start` and must start before `end`. */
export interface RotationWindow {
  readonly start: number
  readonly end: number
}

export interface RotationSchedule {
  /**
   * The rules as DescribeSecret echoes them back: as given, plus `AutomaticallyAfterDays: N` for a
   * `rate(N days)` expression (AWS calculates that member from the schedule; the model says so).
   * Parsing these rules again gives the same schedule.
   */
  readonly rules: RotationRulesType
}

const HOUR_MS = 3_600_000
const MIN_HOURS_APART = 4
const MAX_DAYS = 1000

interface Plan {
  /** When windows open (the hours of `cron`, always at minute 0). */
  readonly cron: Cron
  /** Window length in ms. */
  readonly length: number
  /** The earliest window start allowed after a rotation at `lastRotatedAt`. */
  readonly earliest: (lastRotatedAt: number) => number
}

const PLAN = Symbol('rotation plan')
interface ParsedSchedule extends RotationSchedule {
  readonly [PLAN]: Plan
}

const invalid = (message: string) => new InvalidParameterException(message)

const EVERY_DAY = {
  months: new Set(Array.from({ length: 12 }, (_, m) => m)),
  days: { kind: 'days-of-week', weekdays: new Set([0, 1, 2, 3, 4, 5, 6]) },
} as const

/**
 * Validates RotationRules as AWS does (spec 3.7) and throws AWS's `InvalidParameterException` for any
 * violation, e.g. `AutomaticallyAfterDays` outside 1-1000, both or neither of `AutomaticallyAfterDays` and
 * `ScheduleExpression`, a malformed expression, rotation more often than every four hours, a `Duration`
 * outside 1h-24h or reaching into the next UTC day or the next window. `AutomaticallyAfterDays` given
 * with the `rate(N days)` expression it is calculated from (as DescribeSecret shows them) is accepted.
 */
export function parseRotationRules(rules: RotationRulesType): RotationSchedule {
  const { AutomaticallyAfterDays: days, ScheduleExpression: expression, Duration: duration } = rules
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_DAYS))
    throw invalid(msg.daysOutOfRange)
  if (days !== undefined && expression !== undefined && rateDays(expression) !== days)
    throw invalid(msg.bothRules)
  const durationHours = duration === undefined ? undefined : parseDuration(duration)

  let plan: Plan
  if (expression !== undefined) plan = expressionPlan(expression, duration, durationHours)
  else if (days !== undefined) plan = dayPlan(days, durationHours)
  else throw invalid(msg.noRule)

  const calculatedDays = days ?? (expression === undefined ? undefined : rateDays(expression))
  const schedule: ParsedSchedule = {
    rules: {
      ...(calculatedDays !== undefined && { AutomaticallyAfterDays: calculatedDays }),
      ...(expression !== undefined && { ScheduleExpression: expression }),
      ...(duration !== undefined && { Duration: duration }),
    },
    [PLAN]: plan,
  }
  return Object.freeze(schedule)
}

/**
 * The window of the next rotation after one at `lastRotatedAt` (or, for a secret never rotated, the
 * time rotation was configured). A window that ended at or before `now` is never returned: when the
 * due window was missed, the answer is the next window still open at `now`.
 */
export function nextWindow(schedule: RotationSchedule, lastRotatedAt: number, now: number): RotationWindow {
  const { cron, length, earliest } = planOf(schedule)
  const start = nextCronTime(cron, Math.max(earliest(lastRotatedAt), now - length + 1))
  return { start, end: start + length }
}

/**
 * DescribeSecret's `NextRotationDate` for a window: "the next rotation is scheduled to occur on or
 * before this date", i.e. the last whole second of the window (23:59:59 for a day-long window).
 */
export function nextRotationDate(window: RotationWindow): number {
  return window.end - 1000
}

/**
 * When the scheduler should start the rotation: a random time in the first half of the window (the
 * second half is left for the rotation to finish and for retries), never before `now`; `now` itself
 * once the first half has passed (also for a window that already ended: the rotation is overdue).
 */
export function dueTimeIn(window: RotationWindow, now: number, random: () => number): number {
  const from = Math.max(window.start, now)
  const until = window.start + Math.floor((window.end - window.start) / 2)
  if (from >= until) return from
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON)
  return from + Math.floor(r * (until - from))
}

function planOf(schedule: RotationSchedule): Plan {
  return (
    (schedule as Partial<ParsedSchedule>)[PLAN] ??
    (parseRotationRules(schedule.rules) as ParsedSchedule)[PLAN]
  )
}

function parseDuration(duration: string): number {
  const match = /^(\d+)h$/.exec(duration)
  const hours = match ? Number(match[1]) : NaN
  if (!(hours >= 1 && hours <= 24)) throw invalid(msg.durationRange(duration))
  return hours
}

function dayPlan(days: number, durationHours: number | undefined): Plan {
  return {
    cron: { ...EVERY_DAY, hours: [0] },
    length: (durationHours ?? 24) * HOUR_MS,
    earliest: (last) => utcDay(last) + days * MS_PER_DAY,
  }
}

const RATE_RE = /^rate\(\s*(\d+)\s+(hour|hours|day|days)\s*\)$/
const CRON_RE = /^cron\((.*)\)$/

/** N for a well-formed `rate(N days)` / `rate(1 day)`, else `undefined`. */
function rateDays(expression: string): number | undefined {
  const match = RATE_RE.exec(expression)
  return match && match[2]?.startsWith('day') ? Number(match[1]) : undefined
}

function expressionPlan(
  expression: string,
  duration: string | undefined,
  durationHours: number | undefined,
): Plan {
  const cronBody = CRON_RE.exec(expression)?.[1]
  if (cronBody !== undefined)
    return cronPlan(expression, parseCron(expression, cronBody), duration, durationHours)
  if (!expression.startsWith('rate(')) throw invalid(msg.badExpression(expression))
  const match = RATE_RE.exec(expression)
  const count = Number(match?.[1])
  if (!match || !(count >= 1)) throw invalid(msg.badRate(expression))
  const inDays = match[2]?.startsWith('day') === true
  if ((inDays ? count : count / 24) > MAX_DAYS) throw invalid(msg.rateTooLong(expression))
  if (inDays) return dayPlan(count, durationHours)
  if (count < MIN_HOURS_APART) throw invalid(msg.tooFrequent(expression))

  const hours: number[] = []
  for (let h = 0; h < 24; h += count) hours.push(h)
  checkWindow(hours, duration, durationHours)
  return {
    cron: { ...EVERY_DAY, hours },
    length: (durationHours ?? 1) * HOUR_MS,
    earliest: (last) => last - (last % HOUR_MS) + count * HOUR_MS,
  }
}

function cronPlan(
  expression: string,
  cron: Cron,
  duration: string | undefined,
  durationHours: number | undefined,
): Plan {
  const { hours } = cron
  const first = hours[0] ?? 0
  const last = hours.at(-1) ?? 0
  if (!cronFires(cron)) throw invalid(msg.badCron(expression, msg.cronNeverFires))
  // Within a day, and from a day's last hour to the next day's first when both days can match.
  const apart = hours.every((h, i) => i === 0 || h - (hours[i - 1] ?? 0) >= MIN_HOURS_APART)
  const acrossMidnight = 24 - last + first >= MIN_HOURS_APART || !cronFiresOnConsecutiveDays(cron)
  if (!apart || !acrossMidnight) throw invalid(msg.tooFrequent(expression))
  checkWindow(hours, duration, durationHours)
  const defaultHours = hours.length > 1 ? 1 : 24 - first
  return { cron, length: (durationHours ?? defaultHours) * HOUR_MS, earliest: (at) => at + 1 }
}

/** A window may reach neither into the next UTC day nor into the next window of the same day. */
function checkWindow(
  hours: readonly number[],
  duration: string | undefined,
  durationHours: number | undefined,
): void {
  if (duration === undefined || durationHours === undefined) return
  if ((hours.at(-1) ?? 0) + durationHours > 24) throw invalid(msg.durationNextDay(duration))
  if (hours.some((h, i) => i > 0 && h - (hours[i - 1] ?? 0) < durationHours))
    throw invalid(msg.durationNextWindow(duration))
}
