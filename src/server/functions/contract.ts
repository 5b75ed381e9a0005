/**
 * Rotation functions: what Secrets Manager invokes for each step of a rotation (spec §3.7), addressed by
 * Lambda ARNs (`arn:aws:lambda:<region>:<account>:function:<name>`). This module is the contract between
 * the rotation engine (`server/rotation`), the function registry and execution roles
 * (`functions/registry.ts`, `functions/sessions.ts`), and the runners (`functions/runners/`,
 * `functions/builtins/`). Types only.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'

export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret'

/** The event a rotation function receives, exactly as AWS sends it to a Lambda rotation function. */
export interface RotationEvent {
  readonly Step: RotationStep
  /** The secret's ARN. */
  readonly SecretId: string
  /** The version being created (AWSPENDING). */
  readonly ClientRequestToken: string
  /** Opaque; the function passes it back on PutSecretValue. */
  readonly RotationToken: string
}

/** Built-in rotators: they exist in every account and region under these names. */
export const BUILTIN_FUNCTIONS = [
  'coffer-random-password',
  'coffer-postgres-single-user',
  'coffer-postgres-alternating-users',
  'coffer-mysql-single-user',
  'coffer-mysql-alternating-users',
] as const
export type BuiltinName = (typeof BUILTIN_FUNCTIONS)[number]

export type FunctionCode =
  | { readonly kind: 'builtin'; readonly name: BuiltinName }
  | {
      readonly kind: 'process'
      readonly runtime: 'nodejs' | 'python'
      /** `<module>.<export>`: `index.handler` (Node.js), `lambda_function.lambda_handler` (Python). */
      readonly handler: string
      /** Absolute path of the function's code (a copy owned by Coffer, in the data directory). */
      readonly codeDir: string
      /** Extra environment variables, as Lambda's `Environment.Variables`. */
      readonly environment: Readonly<Record<string, string>>
    }
  | {
      readonly kind: 'http'
      /** The webhook receiving each step event as a signed POST. */
      readonly url: string
      /** HMAC-SHA256 key the requests are signed with. */
      readonly signingKey: Buffer
    }

export interface FunctionDefinition {
  readonly arn: string
  readonly accountId: string
  readonly region: string
  readonly name: string
  /** The execution role: the function's calls to Coffer are made with this role's temporary credentials. */
  readonly roleArn: string
  readonly timeoutSeconds: number
  readonly memoryMb: number
  readonly code: FunctionCode
}

export interface FunctionCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
}

export interface Invocation {
  readonly fn: FunctionDefinition
  readonly event: RotationEvent
  /** The invocation's id (Lambda's `context.awsRequestId`). */
  readonly requestId: string
  /** The execution role's session (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). */
  readonly credentials: FunctionCredentials
  /** Coffer's own URL: AWS_ENDPOINT_URL and SECRETS_MANAGER_ENDPOINT for the function. */
  readonly endpoint: string
}

export interface InvocationResult {
  readonly ok: boolean
  /** When `!ok`: Lambda's error shape (`errorType`, `errorMessage`), or the runner's own (timeout, crash). */
  readonly error?: { readonly type: string; readonly message: string }
  /** What the function printed (stdout and stderr, or a webhook's response body), at most OUTPUT_LIMIT_BYTES. */
  readonly output: string
  readonly durationMs: number
}

export const OUTPUT_LIMIT_BYTES = 64 * 1024

/** Runs one invocation of one kind of function. Never throws: failures are results. */
export type Runner = (invocation: Invocation) => Promise<InvocationResult>

/**
 * A built-in rotator: one step of a rotation, with a Secrets Manager client signed with the execution
 * role's credentials against Coffer's endpoint. Throws to fail the step.
 */
export type BuiltinHandler = (
  event: RotationEvent,
  context: { readonly sm: SecretsManagerClient; log(line: string): void },
) => Promise<void>

/** Where functions are found: registered ones, and the built-ins in every account and region. */
export interface FunctionRegistry {
  find(arn: string): Promise<FunctionDefinition | undefined>
}

/** Temporary credentials for a function's execution role, as Lambda obtains them for an invocation. */
export interface FunctionSessions {
  /** Throws AwsError when the role is missing or does not trust `lambda.amazonaws.com`. */
  issue(fn: FunctionDefinition, now: number): Promise<FunctionCredentials>
}
