import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import type { BuiltinHandler, RotationEvent } from '../contract.js'

/** Characters left out of generated passwords (as AWS's templates' default `EXCLUDE_CHARACTERS`). */
const EXCLUDE_CHARACTERS = '/@"\'\\'

/**
 * `coffer-random-password`: rotates a secret whose value is a password, or a JSON object with a
 * `password` field (the other fields are kept). The four steps follow AWS's rotation template:
 * createSecret puts a new random password as AWSPENDING under the token unless that version already has
 * a value; setSecret and testSecret have nothing to do (no external system); finishSecret moves
 * AWSCURRENT to the token. Before any step: rotation must be enabled, and the token must be a version
 * of the secret staged AWSPENDING (a token already AWSCURRENT means the work is done).
 */
export const randomPasswordRotator: BuiltinHandler = async (event, { sm, log }) => {
  const arn = event.SecretId
  const token = event.ClientRequestToken
  const metadata = await sm.send(new DescribeSecretCommand({ SecretId: arn }))
  if (metadata.RotationEnabled !== true) throw new Error(`Secret ${arn} is not enabled for rotation.`)
  const stages = metadata.VersionIdsToStages?.[token]
  if (stages === undefined)
    throw new Error(`Secret version ${token} has no stage for rotation of secret ${arn}.`)
  if (stages.includes('AWSCURRENT')) {
    log(`Secret version ${token} already set as AWSCURRENT for secret ${arn}.`)
    return
  }
  if (!stages.includes('AWSPENDING'))
    throw new Error(`Secret version ${token} not set as AWSPENDING for rotation of secret ${arn}.`)
  switch (event.Step) {
    case 'createSecret':
      return createSecret(sm, event, log)
    case 'setSecret':
    case 'testSecret':
      log(`${event.Step}: nothing to do for a random password.`)
      return
    case 'finishSecret':
      return finishSecret(sm, event, metadata.VersionIdsToStages ?? {}, log)
  }
}

async function createSecret(
  sm: SecretsManagerClient,
  event: RotationEvent,
  log: (line: string) => void,
): Promise<void> {
  const arn = event.SecretId
  const token = event.ClientRequestToken
  try {
    await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }))
    log(`createSecret: the pending version ${token} already has a value.`)
    return
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error
  }
  const current = await currentString(sm, arn)
  const { RandomPassword: password } = await sm.send(
    new GetRandomPasswordCommand({ ExcludeCharacters: EXCLUDE_CHARACTERS }),
  )
  if (password === undefined) throw new Error('GetRandomPassword returned no password.')
  await sm.send(
    new PutSecretValueCommand({
      SecretId: arn,
      ClientRequestToken: token,
      SecretString: withPassword(current, password),
      VersionStages: ['AWSPENDING'],
      RotationToken: event.RotationToken,
    }),
  )
  log(`createSecret: put a new password as AWSPENDING version ${token}.`)
}

async function finishSecret(
  sm: SecretsManagerClient,
  event: RotationEvent,
  versions: Readonly<Record<string, readonly string[]>>,
  log: (line: string) => void,
): Promise<void> {
  const current = Object.entries(versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0]
  await sm.send(
    new UpdateSecretVersionStageCommand({
      SecretId: event.SecretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: event.ClientRequestToken,
      ...(current !== undefined && { RemoveFromVersionId: current }),
    }),
  )
  log(`finishSecret: moved AWSCURRENT to version ${event.ClientRequestToken}.`)
}

async function currentString(sm: SecretsManagerClient, arn: string): Promise<string | undefined> {
  try {
    return (await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' })))
      .SecretString
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined
    throw error
  }
}

/** The new value: the password alone, or the current JSON object with its `password` replaced. */
export function withPassword(current: string | undefined, password: string): string {
  if (current === undefined) return password
  let parsed: unknown
  try {
    parsed = JSON.parse(current)
  } catch {
    return password
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return password
  return JSON.stringify({ ...parsed, password })
}
