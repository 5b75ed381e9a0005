/**
 * The frame every built-in rotator shares (spec §3.7): the checks AWS's rotation templates make before
 * each step, and finishSecret. A rotator supplies createSecret, setSecret and testSecret.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import type { BuiltinHandler, RotationEvent } from '../contract.js'

/**
 * A step failure. `name` is the error type recorded for the step (the names AWS's Python templates raise),
 * the message says what is wrong without any secret material.
 */
export class RotationError extends Error {
  constructor(type: 'KeyError' | 'ValueError', message: string) {
    super(message)
    this.name = type
  }
}

export interface StepContext {
  readonly sm: SecretsManagerClient
  readonly arn: string
  /** The version being rotated in (AWSPENDING). */
  readonly token: string
  readonly rotationToken: string
  log(line: string): void
  /** Marks a value that must never appear in log lines or step errors (they are masked from then on). */
  conceal(value: string): void
}

export interface Rotator {
  /** Called only while the token's version is AWSPENDING or does not exist yet. */
  createSecret(step: StepContext): Promise<void>
  /** Called only while the token's version is AWSPENDING. */
  setSecret(step: StepContext): Promise<void>
  /** Called only while the token's version is AWSPENDING. */
  testSecret(step: StepContext): Promise<void>
}

const MASK = '*****'

/**
 * Turns a rotator into a built-in handler. Every step first describes the secret: a token that is already
 * AWSCURRENT makes the step a no-op (so each step can be repeated after a finished rotation); a token that
 * is not a version of the secret, or not AWSPENDING, fails the step. Only createSecret accepts a token
 * with no version at all (it creates it). Errors and log lines are masked with the concealed values.
 */
export function rotationHandler(rotator: Rotator): BuiltinHandler {
  return async (event, { sm, log }) => {
    const concealed = new Set<string>()
    const mask = (text: string) => {
      let masked = text
      for (const value of concealed) masked = masked.split(value).join(MASK)
      return masked
    }
    try {
      await runStep(rotator, event, sm, {
        log: (line) => log(mask(line)),
        conceal: (value) => {
          if (value.length > 0) concealed.add(value)
        },
      })
    } catch (error) {
      const masked = new Error(mask(error instanceof Error ? error.message : String(error)))
      masked.name = error instanceof Error ? error.name : 'Error'
      throw masked
    }
  }
}

async function runStep(
  rotator: Rotator,
  event: RotationEvent,
  sm: SecretsManagerClient,
  io: Pick<StepContext, 'log' | 'conceal'>,
): Promise<void> {
  const token = event.ClientRequestToken
  const metadata = await sm.send(new DescribeSecretCommand({ SecretId: event.SecretId }))
  const arn = metadata.ARN ?? event.SecretId
  const versions = metadata.VersionIdsToStages ?? {}
  const stages = versions[token]
  if (stages === undefined) {
    if (event.Step !== 'createSecret') {
      throw new RotationError(
        'ValueError',
        `Secret version ${token} has no stage for rotation of secret ${arn}.`,
      )
    }
  } else if (stages.includes('AWSCURRENT')) {
    io.log(`${event.Step}: version ${token} is already AWSCURRENT for secret ${arn}; nothing to do.`)
    return
  } else if (!stages.includes('AWSPENDING')) {
    throw new RotationError(
      'ValueError',
      `Secret version ${token} not set as AWSPENDING for rotation of secret ${arn}.`,
    )
  }
  const step: StepContext = { sm, arn, token, rotationToken: event.RotationToken, ...io }
  switch (event.Step) {
    case 'createSecret':
      return rotator.createSecret(step)
    case 'setSecret':
      return rotator.setSecret(step)
    case 'testSecret':
      return rotator.testSecret(step)
    case 'finishSecret':
      return finishSecret(step, versions)
    default:
      throw new RotationError('ValueError', `Invalid step parameter ${String(event.Step)} for secret ${arn}.`)
  }
}

/** Moves AWSCURRENT to the token (AWSPREVIOUS follows the version it leaves, spec §3.3). */
async function finishSecret(step: StepContext, versions: Record<string, string[]>): Promise<void> {
  const current = Object.keys(versions).find((id) => versions[id]?.includes('AWSCURRENT'))
  await step.sm.send(
    new UpdateSecretVersionStageCommand({
      SecretId: step.arn,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: step.token,
      ...(current !== undefined && { RemoveFromVersionId: current }),
    }),
  )
  step.log(`finishSecret: moved AWSCURRENT to version ${step.token} of secret ${step.arn}.`)
}

/**
 * A version's SecretString: by id when `versionId` is given, else by stage. Undefined when there is no
 * such version or it has no value yet (the engine's AWSPENDING placeholder). The value is concealed.
 */
export async function readSecretString(
  step: StepContext,
  secretId: string,
  select: { readonly stage: string } | { readonly versionId: string },
): Promise<string | undefined> {
  try {
    const result = await step.sm.send(
      new GetSecretValueCommand({
        SecretId: secretId,
        ...('versionId' in select ? { VersionId: select.versionId } : { VersionStage: select.stage }),
      }),
    )
    if (result.SecretString === undefined) {
      throw new RotationError('ValueError', `Secret ${secretId} holds a binary value, not a JSON string.`)
    }
    step.conceal(result.SecretString)
    return result.SecretString
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined
    throw error
  }
}
