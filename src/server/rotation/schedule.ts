/**
 * Rotation schedules (spec §3.7): `RotationRules` → the windows rotations happen in. Pure.
 *
 * Supported here: `AutomaticallyAfterDays` (a window on the UTC day the interval ends), `rate(N hours)`
 * and `rate(N days)` (`Duration` long from the due time; default 1 h for hours, else to the end of that
 * UTC day) and cron expressions with a fixed minute 0 and an hour list or `*`, every day.
 */
import { InvalidParameterException } from '../../aws-api/secretsmanager/errors.js'
import type { RotationRulesType } from '../../aws-api/secretsmanager/types.js'

/** Epoch ms, end exclusive. */
export interface RotationWindow {
  readonly start: number
  readonly end: number
}

/** Validated rules, as DescribeSecret echoes them. */
export interface RotationSchedule {
  readonly rules: RotationRulesType
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

type Parsed =
  | { kind: 'days'; days: number }
  | { kind: 'rate'; everyMs: number; durationMs: number | undefined; hourly: boolean }
  | { kind: 'cron'; hours: readonly number[]; durationMs: number | undefined }

/** Throws InvalidParameterException with AWS's wording where known. */
export function parseRotationRules(rules: RotationRulesType): RotationSchedule {
  parse(rules)
  return { rules }
}

function parse(rules: RotationRulesType): Parsed {
  const { AutomaticallyAfterDays: days, ScheduleExpression: expression, Duration: duration } = rules
  if (days !== undefined && expression !== undefined)
    throw new InvalidParameterException(
      'You cannot specify both rotation frequency and schedule expression together.',
    )
  const durationMs = duration === undefined ? undefined : parseDuration(duration)
  if (days !== undefined) {
    if (!Number.isInteger(days) || days < 1 || days > 1000)
      throw new InvalidParameterException('RotationRules.AutomaticallyAfterDays must be within 1-1000.')
    return { kind: 'days', days }
  }
  if (expression === undefined)
    throw new InvalidParameterException(
      'You must specify either AutomaticallyAfterDays or ScheduleExpression in RotationRules.',
    )
  const rate = /^rate\((\d+) (hours?|days?)\)$/.exec(expression)
  if (rate !== null) {
    const n = Number(rate[1])
    const hourly = (rate[2] ?? '').startsWith('hour')
    const everyMs = n * (hourly ? HOUR : DAY)
    if (n < 1 || everyMs < 4 * HOUR || everyMs > 1000 * DAY) throw invalidExpression()
    return { kind: 'rate', everyMs, durationMs, hourly }
  }
  const cron = /^cron\(0 (\*|\d{1,2}(?:,\d{1,2})*) \* \* \? \*\)$/.exec(expression)
  if (cron !== null) {
    const hours = cron[1] === '*' ? range(24) : (cron[1] ?? '').split(',').map(Number)
    if (hours.some((h) => h > 23)) throw invalidExpression()
    const sorted = [...new Set(hours)].sort((a, b) => a - b)
    for (let i = 1; i < sorted.length; i++)
      if ((sorted[i] ?? 0) - (sorted[i - 1] ?? 0) < 4) throw invalidExpression()
    return { kind: 'cron', hours: sorted, durationMs }
  }
  throw invalidExpression()
}

function invalidExpression(): InvalidParameterException {
  return new InvalidParameterException('The schedule expression is invalid or not supported.')
}

function parseDuration(duration: string): number {
  const m = /^(\d+)h$/.exec(duration)
  const hours = m === null ? NaN : Number(m[1])
  if (!(hours >= 1 && hours <= 24)) throw new InvalidParameterException('The Duration is invalid.')
  return hours * HOUR
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** End of the UTC day containing `t`. */
function endOfDay(t: number): number {
  return t - (((t % DAY) + DAY) % DAY) + DAY
}

/** The first window after the last rotation that has not ended by `now`. */
export function nextWindow(schedule: RotationSchedule, lastRotatedAt: number, now: number): RotationWindow {
  const parsed = parse(schedule.rules)
  switch (parsed.kind) {
    case 'days': {
      // Rotated within the last day of the interval: the UTC day on which it ends.
      const dayEnd = endOfDay(lastRotatedAt + (parsed.days - 1) * DAY)
      const start = Math.max(dayEnd, endOfDay(now) - DAY)
      return { start, end: start + DAY }
    }
    case 'rate': {
      let start = lastRotatedAt + parsed.everyMs
      const width = () => Math.min(parsed.durationMs ?? (parsed.hourly ? HOUR : DAY), endOfDay(start) - start)
      while (start + width() <= now) start += parsed.everyMs
      return { start, end: start + width() }
    }
    case 'cron': {
      let day = endOfDay(Math.max(lastRotatedAt, now)) - DAY
      for (;;) {
        for (const hour of parsed.hours) {
          const start = day + hour * HOUR
          const end = Math.min(
            start + (parsed.durationMs ?? (parsed.hours.length > 1 ? HOUR : DAY - hour * HOUR)),
            day + DAY,
          )
          if (start > lastRotatedAt && end > now) return { start, end }
        }
        day += DAY
      }
    }
  }
}

/** NextRotationDate: the latest time the next rotation happens. */
export function nextRotationDate(window: RotationWindow): number {
  return window.end
}

/** When within the window a rotation should start: a random point of what is left of it. */
export function dueTimeIn(window: RotationWindow, now: number, random: () => number): number {
  const from = Math.max(window.start, now)
  if (from >= window.end) return from
  return from + Math.floor(random() * (window.end - from))
}
