/** Helpers of the schedule tests: ISO times, the error a rule gets, the window it gives. */
import type { RotationRulesType } from '../../aws-api/secretsmanager/types.js'
import { AwsError } from '../../lib/aws/errors.js'
import { nextWindow, parseRotationRules } from './schedule.js'

export const at = (iso: string) => {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`bad test time ${iso}`)
  return ms
}
export const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

export const errorOf = (rules: RotationRulesType) => {
  try {
    parseRotationRules(rules)
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.status, message: e.message }
    throw e
  }
  return undefined
}
export const invalid = (message: string) => ({ code: 'InvalidParameterException', status: 400, message })

/** The next window as ISO strings; `now` defaults to the last rotation. */
export const windowOf = (rules: RotationRulesType, last: string, now = last) => {
  const w = nextWindow(parseRotationRules(rules), at(last), at(now))
  return [iso(w.start), iso(w.end)]
}
export const cron = (body: string, Duration?: string): RotationRulesType =>
  Duration === undefined
    ? { ScheduleExpression: `cron(${body})` }
    : { ScheduleExpression: `cron(${body})`, Duration }
