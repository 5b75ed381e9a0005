/**
 * Password rotation for a database user, the way AWS's RDS rotation templates do it (single user and
 * alternating users), over a `DatabaseEngine` (PostgreSQL, MySQL/MariaDB).
 */
import { GetRandomPasswordCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import {
  alternateUsername,
  parseDatabaseSecret,
  parseMasterSecret,
  type DatabaseKind,
  type DatabaseSecret,
} from './database-secret.js'
import { readSecretString, RotationError, type Rotator, type StepContext } from './rotation-protocol.js'

/** How long a rotation waits for a database: connecting, and each statement. */
export const CONNECT_TIMEOUT_MS = 5_000
export const STATEMENT_TIMEOUT_MS = 10_000

/** One engine's way to log in and manage passwords. */
export interface DatabaseEngine extends DatabaseKind {
  /** The longest user name the engine keeps intact (PostgreSQL truncates longer ones), in UTF-8 bytes. */
  readonly maxUsernameBytes?: number
  /** Logs in with the secret's credentials. Rejects when the login fails, for whatever reason. */
  connect(secret: DatabaseSecret): Promise<DatabaseSession>
}

/** A logged-in connection. `close` never throws and must always be called. */
export interface DatabaseSession {
  /** A trivial query: proves the login is usable. */
  ping(): Promise<void>
  /** Changes the password of the logged-in user. */
  changeOwnPassword(password: string): Promise<void>
  /**
   * As an administrator: sets `username`'s password, first creating `username` with the privileges of
   * `likeUsername` when it does not exist. Repeatable.
   */
  provisionUser(username: string, password: string, likeUsername: string): Promise<void>
  close(): Promise<void>
}

/**
 * Runs a statement that carries a password. A failure is reported by the driver's error code only: a
 * server's message may quote part of the statement (MySQL's "near '…'").
 */
export async function passwordStatement(what: string, statement: () => Promise<unknown>): Promise<void> {
  try {
    await statement()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new Error(`${what} failed (${typeof code === 'string' ? code : 'unknown error'}).`)
  }
}

/** AWS's templates exclude these from generated database passwords (they break connection strings). */
export const EXCLUDED_PASSWORD_CHARACTERS = '/@"\'\\'

/**
 * One user changes its own password. From setSecret on, clients still holding the old password cannot log
 * in until they read the new AWSCURRENT.
 */
export function singleUserRotator(engine: DatabaseEngine): Rotator {
  return {
    createSecret: (step) => createPending(engine, step, (current) => current.username),
    testSecret: (step) => testPending(engine, step),
    async setSecret(step) {
      const current = await readDatabaseSecret(engine, step, 'AWSCURRENT')
      const pending = await readPending(engine, step)
      if (await canLogIn(engine, step, pending)) {
        step.log(`setSecret: the AWSPENDING password already works for ${pending.username}; nothing to do.`)
        return
      }
      requireSame(current, pending, 'username', step)
      requireSame(current, pending, 'host', step)
      const session =
        (await tryConnect(engine, step, current, 'AWSCURRENT')) ??
        (await connectWithPrevious(engine, step, current, pending))
      if (session === undefined) {
        throw new RotationError(
          'ValueError',
          `Unable to log into database with previous, current, or pending secret of secret ${step.arn}.`,
        )
      }
      try {
        await session.changeOwnPassword(pending.password)
      } finally {
        await session.close()
      }
      step.log(`setSecret: set the password of ${pending.username} to the AWSPENDING value.`)
    },
  }
}

/**
 * Two users take turns (`<base>`, `<base>_clone`): the pending user's password is set by the master user
 * (`masterarn`), so the current user keeps working until the rotation after next.
 */
export function alternatingUsersRotator(engine: DatabaseEngine): Rotator {
  return {
    async createSecret(step) {
      await createPending(engine, step, (current) => {
        masterArnOf(current)
        const username = alternateUsername(current.username)
        const limit = engine.maxUsernameBytes
        if (username.length === 0 || (limit !== undefined && Buffer.byteLength(username) > limit)) {
          throw new RotationError(
            'ValueError',
            `Unable to clone user ${current.username}: the alternate user name would be empty or longer than ${limit} bytes.`,
          )
        }
        return username
      })
    },
    testSecret: (step) => testPending(engine, step),
    async setSecret(step) {
      const current = await readDatabaseSecret(engine, step, 'AWSCURRENT')
      const pending = await readPending(engine, step)
      if (await canLogIn(engine, step, pending)) {
        step.log(`setSecret: the AWSPENDING password already works for ${pending.username}; nothing to do.`)
        return
      }
      if (pending.username !== alternateUsername(current.username)) {
        throw new RotationError(
          'ValueError',
          `The AWSPENDING user ${pending.username} is not the alternate of the AWSCURRENT user ${current.username}.`,
        )
      }
      requireSame(current, pending, 'host', step)
      const masterArn = masterArnOf(current)
      const masterText = await readSecretString(step, masterArn, { stage: 'AWSCURRENT' })
      if (masterText === undefined) {
        throw new RotationError('ValueError', `The master secret ${masterArn} has no AWSCURRENT value.`)
      }
      const master = parseMasterSecret(engine, masterText, current, `master secret ${masterArn}`)
      step.conceal(master.password)
      const session = await tryConnect(engine, step, master, `master secret ${masterArn}`)
      if (session === undefined) {
        throw new RotationError(
          'ValueError',
          `Unable to log into database using the credentials in master secret ${masterArn}.`,
        )
      }
      try {
        await session.provisionUser(pending.username, pending.password, current.username)
      } finally {
        await session.close()
      }
      step.log(`setSecret: set the password of ${pending.username} to the AWSPENDING value.`)
    },
  }
}

async function createPending(
  engine: DatabaseEngine,
  step: StepContext,
  pendingUsername: (current: DatabaseSecret) => string,
): Promise<void> {
  const current = await readDatabaseSecret(engine, step, 'AWSCURRENT')
  const username = pendingUsername(current)
  if ((await readSecretString(step, step.arn, { versionId: step.token })) !== undefined) {
    step.log(`createSecret: version ${step.token} already has a value; nothing to do.`)
    return
  }
  const generated = await step.sm.send(
    new GetRandomPasswordCommand({ ExcludeCharacters: EXCLUDED_PASSWORD_CHARACTERS }),
  )
  const password = generated.RandomPassword
  if (password === undefined) throw new RotationError('ValueError', 'GetRandomPassword returned no password.')
  step.conceal(password)
  await step.sm.send(
    new PutSecretValueCommand({
      SecretId: step.arn,
      ClientRequestToken: step.token,
      SecretString: JSON.stringify({ ...current.fields, username, password }),
      VersionStages: ['AWSPENDING'],
      ...(step.rotationToken !== '' && { RotationToken: step.rotationToken }),
    }),
  )
  step.log(
    `createSecret: put version ${step.token} of secret ${step.arn} as AWSPENDING for user ${username}.`,
  )
}

async function testPending(engine: DatabaseEngine, step: StepContext): Promise<void> {
  const pending = await readPending(engine, step)
  let session: DatabaseSession
  try {
    session = await engine.connect(pending)
  } catch (error) {
    throw new RotationError(
      'ValueError',
      `Unable to log into database with the AWSPENDING secret of secret ${step.arn}: ${reason(error)}`,
    )
  }
  try {
    await session.ping()
  } finally {
    await session.close()
  }
  step.log(`testSecret: logged in as ${pending.username} with the AWSPENDING secret.`)
}

async function readDatabaseSecret(
  engine: DatabaseEngine,
  step: StepContext,
  stage: 'AWSCURRENT' | 'AWSPREVIOUS',
): Promise<DatabaseSecret> {
  const text = await readSecretString(step, step.arn, { stage })
  if (text === undefined) throw new RotationError('ValueError', `Secret ${step.arn} has no ${stage} value.`)
  const secret = parseDatabaseSecret(engine, text, stage)
  step.conceal(secret.password)
  return secret
}

async function readPending(engine: DatabaseEngine, step: StepContext): Promise<DatabaseSecret> {
  const text = await readSecretString(step, step.arn, { versionId: step.token })
  if (text === undefined) {
    throw new RotationError('ValueError', `Version ${step.token} of secret ${step.arn} has no value yet.`)
  }
  const secret = parseDatabaseSecret(engine, text, 'AWSPENDING')
  step.conceal(secret.password)
  return secret
}

/** AWSPREVIOUS, when it is for the same user and host (a failed earlier setSecret may have left it working). */
async function connectWithPrevious(
  engine: DatabaseEngine,
  step: StepContext,
  current: DatabaseSecret,
  pending: DatabaseSecret,
): Promise<DatabaseSession | undefined> {
  const text = await readSecretString(step, step.arn, { stage: 'AWSPREVIOUS' })
  if (text === undefined) return undefined
  const previous = parseDatabaseSecret(engine, text, 'AWSPREVIOUS')
  step.conceal(previous.password)
  if (previous.username !== pending.username || previous.host !== pending.host) return undefined
  return tryConnect(engine, step, { ...previous, ssl: current.ssl }, 'AWSPREVIOUS')
}

async function canLogIn(engine: DatabaseEngine, step: StepContext, secret: DatabaseSecret): Promise<boolean> {
  const session = await tryConnect(engine, step, secret, 'AWSPENDING')
  await session?.close()
  return session !== undefined
}

async function tryConnect(
  engine: DatabaseEngine,
  step: StepContext,
  secret: DatabaseSecret,
  label: string,
): Promise<DatabaseSession | undefined> {
  try {
    return await engine.connect(secret)
  } catch (error) {
    step.log(`Login as ${secret.username} with the ${label} credentials failed: ${reason(error)}`)
    return undefined
  }
}

function requireSame(
  current: DatabaseSecret,
  pending: DatabaseSecret,
  field: 'username' | 'host',
  step: StepContext,
): void {
  if (current[field] !== pending[field]) {
    throw new RotationError(
      'ValueError',
      `The AWSPENDING ${field} differs from the AWSCURRENT ${field} of secret ${step.arn}.`,
    )
  }
}

function masterArnOf(secret: DatabaseSecret): string {
  if (secret.masterarn === undefined) {
    throw new RotationError('KeyError', 'masterarn key is missing from secret JSON (AWSCURRENT).')
  }
  return secret.masterarn
}

/** A driver error in a few words (a refused connection is an AggregateError with an empty message). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return error.message || (typeof code === 'string' ? code : error.name)
}
