import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import {
  OUTPUT_LIMIT_BYTES,
  type BuiltinHandler,
  type BuiltinName,
  type InvocationResult,
  type Runner,
} from '../contract.js'
import { databaseRotators } from './databases.js'
import { randomPasswordRotator } from './random-password.js'

const handlers: Partial<Record<BuiltinName, BuiltinHandler>> = {
  'coffer-random-password': randomPasswordRotator,
  ...databaseRotators,
}

class TimeoutError extends Error {
  override readonly name = 'Sandbox.Timedout'
}

/**
 * Runs a built-in rotator in this process: a Secrets Manager client signed with the execution role's
 * session against Coffer's endpoint, the step bounded by the function's timeout, `log` lines captured
 * as the output. A failure (the handler's error, a timeout) is the result; it never throws.
 */
export const runBuiltin: Runner = async (invocation) => {
  const started = performance.now()
  let output = ''
  const log = (line: string) => {
    if (Buffer.byteLength(output) + Buffer.byteLength(line) + 1 <= OUTPUT_LIMIT_BYTES) output += `${line}\n`
  }
  const result = (error?: { type: string; message: string }): InvocationResult => ({
    ok: error === undefined,
    ...(error !== undefined && { error }),
    output,
    durationMs: Math.round(performance.now() - started),
  })
  const { fn, event, credentials, endpoint } = invocation
  const handler = fn.code.kind === 'builtin' ? handlers[fn.code.name] : undefined
  if (handler === undefined)
    return result({ type: 'Runtime.HandlerNotFound', message: `${fn.name} is not available in this build` })
  const sm = new SecretsManagerClient({
    region: fn.region,
    endpoint,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    },
    maxAttempts: 2,
  })
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      handler(event, { sm, log }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError(`Task timed out after ${fn.timeoutSeconds} seconds`)),
          fn.timeoutSeconds * 1000,
        )
      }),
    ])
    return result()
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    return result({ type: e.name, message: e.message })
  } finally {
    clearTimeout(timer)
    sm.destroy()
  }
}
