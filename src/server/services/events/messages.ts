/** EventBridge's error texts (reference §4 for patterns; the others as the service words them). */
export const msg = {
  invalidPattern: (reason: string) => `Event pattern is not valid. Reason: ${reason}`,
  ruleNotFound: (name: string) => `Rule ${name} does not exist on EventBus default.`,
  busNotFound: (name: string) => `Event bus ${name} does not exist.`,
  ruleHasTargets: "Rule can't be deleted since it has targets.",
  targetLimit: 'The requested resource exceeds the maximum number allowed.',
  invalidEvent: 'Parameter Event is not valid.',
  invalidNextToken: 'The NextToken provided is not valid.',
  patternRequired: 'Parameter(s) EventPattern,ScheduleExpression could not be empty.',
  scheduleUnsupported: 'ScheduleExpression is not supported: Coffer runs no scheduled rules.',
  unknownDestination: (arn: string) =>
    `Target ${arn} is not an API destination of this deployment (events.destinations in the configuration).`,
  unsupportedTargetMember: (member: string) => `Target parameter ${member} is not supported.`,
  invalidInput: 'Input is not valid JSON.',
} as const
