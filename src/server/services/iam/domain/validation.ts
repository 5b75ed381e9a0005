import { AwsError } from '../../../../lib/aws/errors.js'

/**
 * IAM (awsQuery) reports constraint violations as `ValidationError` (400), in the usual wording. The
 * generated validators test patterns with search semantics; names and paths that end up in ARNs are
 * checked here against the whole pattern, as IAM does (`a b` is not a user name).
 */
export class ValidationError extends AwsError {
  constructor(message: string) {
    super({ code: 'ValidationError', status: 400, fault: 'client' }, message)
  }
}

const NAME = { source: '[\\w+=,.@-]+', test: /^[\w+=,.@-]+$/ }
const PATH = { source: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)', test: /^(\/|\/[\u0021-\u007E]+\/)$/ }
const POLICY_PATH = {
  source: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
  test: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/,
}

function requirePattern(value: string, member: string, pattern: { source: string; test: RegExp }): void {
  if (!pattern.test.test(value)) {
    throw new ValidationError(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
    )
  }
}

/** User, role and policy names (`member` as AWS names it in the message, e.g. `userName`). */
export function requireName(value: string, member: string): void {
  requirePattern(value, member, NAME)
}

/** Paths of users and roles: `/` or `/a/b/`. */
export function requirePath(value: string, member = 'path'): void {
  requirePattern(value, member, PATH)
}

export function requirePolicyPath(value: string): void {
  requirePattern(value, 'path', POLICY_PATH)
}
