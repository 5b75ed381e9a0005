/**
 * Error texts for invalid RotationRules (spec 3.7). AWS answers `InvalidParameterException` for all
 * of them. `daysOutOfRange` is the known text (spec 3.7, moto); AWS has no recorded text for the rest.
 */
export const scheduleMessages = {
  daysOutOfRange: 'RotationRules.AutomaticallyAfterDays must be within 1-1000.',

  // unverified: every text below is written in AWS's style; no AWS recording of it is known.
  bothRules: 'You cannot specify both rotation frequency and schedule expression together.',
  noRule: 'RotationRules must contain either AutomaticallyAfterDays or ScheduleExpression.',
  badExpression: (expression: string) =>
    `Invalid schedule expression: ${expression}. Use a rate() or cron() expression.`,
  badRate: (expression: string) =>
    `Invalid rate expression: ${expression}. Use rate(N hours) or rate(N days) with a positive whole number N.`,
  rateTooLong: (expression: string) =>
    `Invalid rate expression: ${expression}. The rate can't exceed 1000 days.`,
  badCron: (expression: string, detail: string) => `Invalid cron expression: ${expression}. ${detail}`,
  cronFieldCount: 'A cron expression has six fields: minutes hours day-of-month month day-of-week year.',
  cronField: (field: string, value: string) => `The ${field} field '${value}' is not valid.`,
  cronMinutes: 'The minutes field must be 0.',
  cronYear: 'The year field must be *.',
  cronDayFields: 'Exactly one of the day-of-month and day-of-week fields must be ?.',
  cronNeverFires: 'The expression never matches a date.',
  tooFrequent: (expression: string) =>
    `Invalid schedule expression: ${expression}. You can rotate a secret at most every four hours.`,
  durationRange: (duration: string) =>
    `Invalid Duration: ${duration}. The rotation window must be between 1h and 24h.`,
  durationNextDay: (duration: string) =>
    `Invalid Duration: ${duration}. The rotation window must not extend into the next UTC day.`,
  durationNextWindow: (duration: string) =>
    `Invalid Duration: ${duration}. The rotation window must not extend into the next rotation window.`,
} as const
