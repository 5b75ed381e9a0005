/**
 * What an operator says about a function (CLI flags, the config file's `functions:` list), and the
 * checks each setting gets before anything is written. Pure.
 */
import { parseRoleArn } from '../services/sts/domain/arns.js'

export interface FunctionSettings {
  readonly name: string
  /** Default: the deployment's default account. */
  readonly accountId?: string
  /** Default: the deployment's default region. */
  readonly region?: string
  /** The execution role's ARN (same account as the function). */
  readonly role?: string
  readonly timeout?: number
  readonly memory?: number
  readonly runtime?: string
  readonly handler?: string
  /** The directory to copy as the code package. */
  readonly code?: string
  /** Replaces the whole environment. */
  readonly environment?: Readonly<Record<string, string>>
  readonly url?: string
  /** The webhook signing key; generated when a function becomes a webhook without one. */
  readonly signingKey?: string
  /** Replace a webhook's signing key with a generated one. */
  readonly newSigningKey?: boolean
}

export const DEFAULT_TIMEOUT_SECONDS = 30
export const DEFAULT_MEMORY_MB = 128
export const RUNTIMES = ['nodejs', 'python'] as const

/** Lambda's name rule; the `coffer-` prefix is the built-ins'. */
export const RESERVED_PREFIX = 'coffer-'
const NAME = /^[A-Za-z0-9_-]{1,64}$/
const ACCOUNT = /^\d{12}$/
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/
const HANDLER = /^[^\s]+\.[^\s.]+$/
const ENV_KEY = /^[a-zA-Z][a-zA-Z0-9_]+$/
const ENV_MAX_BYTES = 4096
const SIGNING_KEY = /^[\x21-\x7e]{32,1024}$/

/**
 * Set by Lambda or by Coffer's runners for every invocation (Lambda's reserved environment
 * variables, plus the endpoint variables Coffer provides).
 */
export const RESERVED_ENVIRONMENT = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'AWS_ENDPOINT_URL',
  'SECRETS_MANAGER_ENDPOINT',
])

/** Problems with the settings that are present, each naming the setting; empty when all are fine. */
export function settingsProblems(s: FunctionSettings): string[] {
  const problems: string[] = []
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem)
  }
  check(NAME.test(s.name), `name '${s.name}' must be 1-64 letters, digits, hyphens or underscores`)
  check(
    !s.name.toLowerCase().startsWith(RESERVED_PREFIX),
    `name '${s.name}': names starting with '${RESERVED_PREFIX}' are reserved for the built-in rotators`,
  )
  if (s.accountId !== undefined)
    check(ACCOUNT.test(s.accountId), `account id must be 12 digits, not '${s.accountId}'`)
  if (s.region !== undefined)
    check(REGION.test(s.region), `'${s.region}' is not a region name (like us-east-1)`)
  if (s.role !== undefined) {
    const role = parseRoleArn(s.role)
    check(role !== undefined, `role '${s.role}' is not a role ARN (arn:aws:iam::<account>:role/<name>)`)
    if (role !== undefined && s.accountId !== undefined)
      check(
        role.accountId === s.accountId,
        `role '${s.role}' is not in the function's account ${s.accountId}`,
      )
  }
  if (s.timeout !== undefined)
    check(Number.isInteger(s.timeout) && s.timeout >= 1 && s.timeout <= 900, 'timeout must be 1-900 seconds')
  if (s.memory !== undefined)
    check(Number.isInteger(s.memory) && s.memory >= 128 && s.memory <= 10240, 'memory must be 128-10240 MB')
  if (s.runtime !== undefined)
    check(
      (RUNTIMES as readonly string[]).includes(s.runtime),
      `runtime must be one of ${RUNTIMES.join(', ')}`,
    )
  if (s.handler !== undefined)
    check(
      s.handler.length <= 128 && HANDLER.test(s.handler),
      `handler '${s.handler}' must be <module>.<function>, like index.handler`,
    )
  if (s.environment !== undefined) problems.push(...environmentProblems(s.environment))
  if (s.url !== undefined) check(isHttpUrl(s.url), `url '${s.url}' must be an http:// or https:// URL`)
  if (s.signingKey !== undefined)
    check(
      SIGNING_KEY.test(s.signingKey),
      'the signing key must be 32-1024 printable characters without spaces',
    )
  const processSettings = [s.runtime, s.handler, s.code, s.environment].some((v) => v !== undefined)
  if (s.url !== undefined && processSettings)
    problems.push(
      'a function is either a webhook (url) or a process (runtime, handler, code, environment), not both',
    )
  if (s.signingKey !== undefined && s.newSigningKey === true)
    problems.push('give a signing key or ask for a new one, not both')
  return problems
}

function environmentProblems(environment: Readonly<Record<string, string>>): string[] {
  const problems: string[] = []
  for (const [key, value] of Object.entries(environment)) {
    if (!ENV_KEY.test(key))
      problems.push(
        `environment variable '${key}' must start with a letter and have 2+ letters, digits or underscores`,
      )
    else if (RESERVED_ENVIRONMENT.has(key)) problems.push(`environment variable '${key}' is reserved`)
    if (typeof value !== 'string') problems.push(`environment variable '${key}' must be a string`)
  }
  if (Buffer.byteLength(JSON.stringify(environment)) > ENV_MAX_BYTES)
    problems.push(`the environment must not exceed ${ENV_MAX_BYTES} bytes`)
  return problems
}

function isHttpUrl(text: string): boolean {
  if (text.length > 2048) return false
  try {
    const url = new URL(text)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
  } catch {
    return false
  }
}
