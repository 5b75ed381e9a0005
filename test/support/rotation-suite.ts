import { randomUUID } from 'node:crypto'
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuiltinName, RotationStep } from '../../src/server/functions/contract.js'
import { databaseRotators } from '../../src/server/functions/builtins/databases.js'
import { secretsManagerClient } from './clients.js'
import { freePort } from './processes.js'
import { startServer, uniqueName, type TestServer } from './server.js'

/** A real database server, seen through what the rotation tests need to arrange and check. */
export interface RotationTarget {
  /** The secret's `engine` field. */
  readonly engine: string
  readonly singleUser: Exclude<BuiltinName, 'coffer-random-password'>
  readonly alternatingUsers: Exclude<BuiltinName, 'coffer-random-password'>
  readonly port: number
  /** A superuser: the master user of alternating rotations. */
  readonly admin: { readonly username: string; readonly password: string }
  /** Creates a user that can log in from 127.0.0.1 and read the probe table. */
  createUser(username: string, password: string): Promise<void>
  /** Sets a user's password as the superuser. */
  setPassword(username: string, password: string): Promise<void>
  userExists(username: string): Promise<boolean>
  /** False only when the database refuses the credentials. */
  canLogIn(username: string, password: string): Promise<boolean>
  /** Logs in and reads the probe table: proves the login and the user's privileges. Throws otherwise. */
  readProbe(username: string, password: string): Promise<void>
  stop(): Promise<void>
}

const STEPS: readonly RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret']

type DbSecret = Record<string, unknown> & { username: string; password: string }

/**
 * The built-in database rotators against a real database and a real Coffer: the handlers are called
 * step by step with the administrator's Secrets Manager client, as the rotation engine calls them.
 */
export function describeDatabaseRotation(title: string, start: () => Promise<RotationTarget>): void {
  describe(title, () => {
    let db: RotationTarget
    let server: TestServer
    let sm: SecretsManagerClient
    const logs: string[] = []

    beforeAll(async () => {
      const [target, coffer] = await Promise.allSettled([start(), startServer()])
      if (target.status === 'fulfilled') db = target.value
      if (coffer.status === 'fulfilled') server = coffer.value
      if (target.status === 'rejected' || coffer.status === 'rejected') {
        await Promise.all([db?.stop(), server?.stop({ cleanup: true })])
        throw target.status === 'rejected' ? target.reason : (coffer as PromiseRejectedResult).reason
      }
      sm = secretsManagerClient(server)
    })

    afterAll(async () => {
      sm?.destroy()
      await Promise.all([db?.stop(), server?.stop({ cleanup: true })])
    })

    const step = (fn: BuiltinName, Step: RotationStep, SecretId: string, token: string) => {
      const handler = databaseRotators[fn as keyof typeof databaseRotators]
      return handler(
        { Step, SecretId, ClientRequestToken: token, RotationToken: randomUUID() },
        { sm, log: (line) => logs.push(line) },
      )
    }

    /** The four steps in order (each run twice when `repeat`); returns the new version's id. */
    const rotate = async (fn: BuiltinName, arn: string, options: { repeat?: boolean } = {}) => {
      const token = randomUUID()
      for (const name of STEPS) {
        await step(fn, name, arn, token)
        if (options.repeat === true) await step(fn, name, arn, token)
      }
      return token
    }

    const createSecret = async (value: string | Record<string, unknown>) => {
      const created = await sm.send(
        new CreateSecretCommand({
          Name: uniqueName('db-rotation'),
          SecretString: typeof value === 'string' ? value : JSON.stringify(value),
        }),
      )
      return created.ARN ?? ''
    }

    const read = async (arn: string, select: { VersionStage: string } | { VersionId: string }) => {
      const result = await sm.send(new GetSecretValueCommand({ SecretId: arn, ...select }))
      return {
        id: result.VersionId,
        stages: result.VersionStages,
        value: JSON.parse(result.SecretString ?? '') as DbSecret,
      }
    }

    const versionCount = async (arn: string) =>
      (await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true }))).Versions
        ?.length

    const newUser = async (prefix: string) => {
      const username = uniqueName(prefix).replaceAll('-', '_')
      const password = `P0-${randomUUID()}`
      await db.createUser(username, password)
      return { username, password }
    }

    const userSecret = (
      user: { username: string; password: string },
      extra: Record<string, unknown> = {},
    ) => ({
      engine: db.engine,
      host: '127.0.0.1',
      port: db.port,
      username: user.username,
      password: user.password,
      ...extra,
    })

    const expectStepFailure = async (
      fn: BuiltinName,
      name: RotationStep,
      arn: string,
      token: string,
      pattern: RegExp,
    ) => {
      const error = await step(fn, name, arn, token).then(
        () => undefined,
        (e: unknown) => e as Error,
      )
      expect(error?.message).toMatch(pattern)
      return error as Error
    }

    it('single user: the four steps move the password to a new AWSCURRENT; each step repeated changes nothing', async () => {
      const user = await newUser('single')
      const arn = await createSecret(userSecret(user, { note: 'kept' }))
      const original = await read(arn, { VersionStage: 'AWSCURRENT' })
      const token = randomUUID()

      await step(db.singleUser, 'createSecret', arn, token)
      const pending = await read(arn, { VersionId: token })
      await step(db.singleUser, 'createSecret', arn, token)
      expect(await read(arn, { VersionId: token })).toEqual(pending)
      expect(pending.stages).toEqual(['AWSPENDING'])
      expect(pending.value).toEqual({ ...original.value, password: pending.value.password })
      expect(pending.value.password).not.toBe(user.password)
      expect(pending.value.password).not.toMatch(/[/@"'\\]/)
      // Nothing changed in the database yet.
      expect(await db.canLogIn(user.username, user.password)).toBe(true)

      for (const name of ['setSecret', 'testSecret'] as const) {
        await step(db.singleUser, name, arn, token)
        await step(db.singleUser, name, arn, token)
      }
      expect(await db.canLogIn(user.username, pending.value.password)).toBe(true)
      expect(await db.canLogIn(user.username, user.password)).toBe(false)
      expect((await read(arn, { VersionStage: 'AWSCURRENT' })).id).toBe(original.id)

      await step(db.singleUser, 'finishSecret', arn, token)
      await step(db.singleUser, 'finishSecret', arn, token)
      const current = await read(arn, { VersionStage: 'AWSCURRENT' })
      expect(current.id).toBe(token)
      expect(current.value).toEqual(pending.value)
      expect((await read(arn, { VersionStage: 'AWSPREVIOUS' })).id).toBe(original.id)

      // The whole rotation again with the same token: every step sees AWSCURRENT and does nothing.
      for (const name of STEPS) await step(db.singleUser, name, arn, token)
      expect(await read(arn, { VersionStage: 'AWSCURRENT' })).toEqual(current)
      expect(await versionCount(arn)).toBe(2)
      await db.readProbe(user.username, current.value.password)

      const logged = logs.join('\n')
      expect(logged).not.toContain(user.password)
      expect(logged).not.toContain(current.value.password)
    })

    it('single user: logs in with AWSPREVIOUS when the AWSCURRENT password was never set', async () => {
      const user = await newUser('previous')
      const arn = await createSecret(userSecret(user))
      await rotate(db.singleUser, arn)
      // As if the last rotation had stopped after finishSecret's label move but the password had not held.
      await db.setPassword(user.username, user.password)
      const token = await rotate(db.singleUser, arn)
      const current = await read(arn, { VersionStage: 'AWSCURRENT' })
      expect(current.id).toBe(token)
      expect(await db.canLogIn(user.username, current.value.password)).toBe(true)
      expect(await db.canLogIn(user.username, user.password)).toBe(false)
    })

    it('single user: a pending value written beforehand is used as it is, quotes and backslashes included', async () => {
      const user = await newUser('quoted')
      const arn = await createSecret(userSecret(user))
      const token = randomUUID()
      const password = `it's a \\ "quoted" ? pass'; DROP TABLE x; --`
      await sm.send(
        new PutSecretValueCommand({
          SecretId: arn,
          ClientRequestToken: token,
          SecretString: JSON.stringify(userSecret({ ...user, password })),
          VersionStages: ['AWSPENDING'],
        }),
      )
      for (const name of STEPS) await step(db.singleUser, name, arn, token)
      expect((await read(arn, { VersionStage: 'AWSCURRENT' })).value.password).toBe(password)
      await db.readProbe(user.username, password)
      expect(await db.canLogIn(user.username, user.password)).toBe(false)
    })

    it('failures change nothing: unreachable database, bad JSON, missing fields, wrong engine, wrong token', async () => {
      const user = await newUser('failing')

      // Unreachable: createSecret only writes AWSPENDING; setSecret cannot log in anywhere.
      const unreachable = await createSecret(userSecret(user, { port: await freePort() }))
      const token = randomUUID()
      await step(db.singleUser, 'createSecret', unreachable, token)
      await expectStepFailure(db.singleUser, 'setSecret', unreachable, token, /Unable to log into database/)
      await expectStepFailure(db.singleUser, 'testSecret', unreachable, token, /Unable to log into database/)
      expect((await read(unreachable, { VersionStage: 'AWSCURRENT' })).value.password).toBe(user.password)
      expect(await db.canLogIn(user.username, user.password)).toBe(true)

      // testSecret before setSecret fails, so finishSecret is never reached.
      const reachable = await createSecret(userSecret(user))
      const early = randomUUID()
      await step(db.singleUser, 'createSecret', reachable, early)
      await expectStepFailure(db.singleUser, 'testSecret', reachable, early, /Unable to log into database/)
      expect((await read(reachable, { VersionStage: 'AWSCURRENT' })).value.password).toBe(user.password)
      expect(await db.canLogIn(user.username, user.password)).toBe(true)

      // A token that is not a version of the secret, or not AWSPENDING.
      await expectStepFailure(
        db.singleUser,
        'setSecret',
        reachable,
        randomUUID(),
        /has no stage for rotation/,
      )
      const currentId = (await read(reachable, { VersionStage: 'AWSCURRENT' })).id ?? ''
      const labelled = randomUUID()
      await sm.send(
        new PutSecretValueCommand({
          SecretId: reachable,
          ClientRequestToken: labelled,
          SecretString: JSON.stringify(userSecret(user)),
          VersionStages: ['OTHER'],
        }),
      )
      await expectStepFailure(db.singleUser, 'finishSecret', reachable, labelled, /not set as AWSPENDING/)
      expect((await read(reachable, { VersionStage: 'AWSCURRENT' })).id).toBe(currentId)

      // Invalid secrets fail createSecret before anything is written; messages never quote the value.
      const secretText = `{"username": "${user.username}", "password": "${user.password}"`
      const cases: [string | Record<string, unknown>, RegExp][] = [
        [secretText, /^The secret value \(AWSCURRENT\) is not a JSON object\.$/],
        [
          { ...userSecret(user), username: undefined },
          /^username key is missing from secret JSON \(AWSCURRENT\)\.$/,
        ],
        [{ ...userSecret(user), host: undefined }, /^host key is missing/],
        [{ ...userSecret(user), engine: 'oracle' }, /^Database engine must be set to/],
        [{ ...userSecret(user), port: 'abc' }, /^port in secret JSON \(AWSCURRENT\) must be a port number/],
      ]
      for (const [value, pattern] of cases) {
        const arn = await createSecret(value)
        const error = await expectStepFailure(db.singleUser, 'createSecret', arn, randomUUID(), pattern)
        expect(error.message).not.toContain(user.password)
        expect(await versionCount(arn)).toBe(1)
      }
      expect(await db.canLogIn(user.username, user.password)).toBe(true)
    })

    it('alternating users: a client using AWSCURRENT never fails across two rotations; both users exist after', async () => {
      // Quotes, a backtick and a question mark: identifiers and literals must be quoted, never pasted.
      const base = await newUser(`alt'"\`?`)
      const master = await createSecret({ username: db.admin.username, password: db.admin.password })
      const arn = await createSecret(userSecret(base, { masterarn: master }))

      const failures: string[] = []
      let started = 0
      let completed = 0
      let stopped = false
      const client = (async () => {
        while (!stopped) {
          started++
          try {
            const { value } = await read(arn, { VersionStage: 'AWSCURRENT' })
            await db.readProbe(value.username, value.password)
          } catch (error) {
            failures.push((error as Error).message)
          }
          completed++
        }
      })()
      // Until an iteration that began after this call has finished: no client holds older credentials.
      const clientCaughtUp = async () => {
        const mark = started
        while (completed <= mark) await new Promise((resolve) => setTimeout(resolve, 5))
      }

      try {
        await clientCaughtUp()
        const first = await rotate(db.alternatingUsers, arn, { repeat: true })
        await clientCaughtUp()
        const afterFirst = await read(arn, { VersionStage: 'AWSCURRENT' })
        expect(afterFirst.id).toBe(first)
        expect(afterFirst.value.username).toBe(`${base.username}_clone`)
        // The base user keeps its password until the next rotation.
        await db.readProbe(base.username, base.password)

        const second = await rotate(db.alternatingUsers, arn, { repeat: true })
        await clientCaughtUp()
        const afterSecond = await read(arn, { VersionStage: 'AWSCURRENT' })
        expect(afterSecond.id).toBe(second)
        expect(afterSecond.value.username).toBe(base.username)
        expect(afterSecond.value.masterarn).toBe(master)
        expect(afterSecond.value.password).not.toBe(base.password)
      } finally {
        stopped = true
        await client
      }
      expect(failures).toEqual([])
      expect(completed).toBeGreaterThan(2)

      expect(await db.userExists(base.username)).toBe(true)
      expect(await db.userExists(`${base.username}_clone`)).toBe(true)
      const current = await read(arn, { VersionStage: 'AWSCURRENT' })
      const previous = await read(arn, { VersionStage: 'AWSPREVIOUS' })
      await db.readProbe(current.value.username, current.value.password)
      await db.readProbe(previous.value.username, previous.value.password)
      expect(await db.canLogIn(base.username, base.password)).toBe(false)
      expect(logs.join('\n')).not.toContain(db.admin.password)
    })

    it('alternating users: no masterarn, or a master secret for another host, fails and AWSCURRENT keeps working', async () => {
      const user = await newUser('nomaster')
      const withoutMaster = await createSecret(userSecret(user))
      await expectStepFailure(
        db.alternatingUsers,
        'createSecret',
        withoutMaster,
        randomUUID(),
        /^masterarn key is missing/,
      )
      expect(await versionCount(withoutMaster)).toBe(1)

      const elsewhere = await createSecret({
        host: 'db.elsewhere.example',
        username: db.admin.username,
        password: db.admin.password,
      })
      const arn = await createSecret(userSecret(user, { masterarn: elsewhere }))
      const token = randomUUID()
      await step(db.alternatingUsers, 'createSecret', arn, token)
      await expectStepFailure(
        db.alternatingUsers,
        'setSecret',
        arn,
        token,
        /is for host db\.elsewhere\.example/,
      )
      expect(await db.userExists(`${user.username}_clone`)).toBe(false)
      const current = await read(arn, { VersionStage: 'AWSCURRENT' })
      expect(current.value.password).toBe(user.password)
      await db.readProbe(user.username, user.password)
    })
  })
}
