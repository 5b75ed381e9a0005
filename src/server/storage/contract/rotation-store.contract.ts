import { describe, expect, it } from 'vitest'
import { ConflictError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { NewRotationRun, OutboxEvent, RotationStore } from '../../rotation/store.js'
import type { SecretRecord, SecretStore, StoredValue } from '../../services/secretsmanager/store.js'

/**
 * The contract of `RotationStore` adapters, with the rotation side of `SecretStore` (the two share the
 * database: RotateSecret starts a run inside a secret's change). `open` returns fresh stores on real
 * storage.
 */
export type OpenRotationStores = () => Promise<{
  secrets: SecretStore
  runs: RotationStore
  close: () => Promise<void>
}>

const ACCOUNT = '111122223333'
const REGION = 'eu-west-1'
const vid = (id: string) => id.padEnd(32, '0')
let counter = 0

const value = (text: string): StoredValue => ({
  valueType: 'string',
  encryptedDataKey: Buffer.from(`dk-${text}`),
  ciphertext: Buffer.from(`ct-${text}`),
})

function event(id: string, secretArn: string): OutboxEvent {
  return {
    eventId: id,
    time: 5_000,
    accountId: ACCOUNT,
    region: REGION,
    source: 'aws.secretsmanager',
    detailType: 'AWS Service Event via CloudTrail',
    resources: [],
    detail: { eventName: 'RotationStarted', additionalEventData: { SecretId: secretArn } },
  }
}

export function rotationStoreContract(adapter: string, open: OpenRotationStores): void {
  const withStores = (test: (secrets: SecretStore, runs: RotationStore) => Promise<void>) => async () => {
    const { secrets, runs, close } = await open()
    try {
      await test(secrets, runs)
    } finally {
      await close()
    }
  }

  async function secretWithRun(
    secrets: SecretStore,
    overrides: Partial<NewRotationRun> = {},
  ): Promise<{ secret: SecretRecord; run: NewRotationRun }> {
    const name = `contract/rotating-${++counter}`
    const secret = await secrets.createSecret(
      {
        accountId: ACCOUNT,
        region: REGION,
        name,
        arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`,
        createdAt: 1_000,
        lastChangedAt: 1_000,
      },
      { versionId: vid('current'), createdAt: 1_000, value: value('current') },
    )
    const run: NewRotationRun = {
      secretId: secret.id,
      versionId: vid('pending'),
      rotationToken: 'rt',
      functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:coffer-random-password',
      trigger: 'immediate',
      step: 'createSecret',
      startedAt: 2_000,
      nextAttemptAt: 2_000,
      ...overrides,
    }
    await secrets.applyChange({
      secretId: secret.id,
      expectedRevision: secret.revision,
      update: {
        rotation: { enabled: true, lambdaArn: run.functionArn, rules: { AutomaticallyAfterDays: 7 } },
      },
      addVersion: { versionId: run.versionId, createdAt: 2_000 },
      stages: [{ stage: 'AWSPENDING', versionId: run.versionId }],
      rotation: { startRun: run, events: [event(`ev-${counter}`, secret.arn)] },
    })
    return { secret: (await secrets.findByArn(secret.arn)) as SecretRecord, run }
  }

  describe(`RotationStore contract: ${adapter}`, () => {
    it(
      'starts a run with its placeholder version and rotation fields in one change',
      withStores(async (secrets, runs) => {
        const { secret } = await secretWithRun(secrets)
        expect(secret.rotation).toEqual({
          enabled: true,
          lambdaArn: 'arn:aws:lambda:eu-west-1:111122223333:function:coffer-random-password',
          rules: { AutomaticallyAfterDays: 7 },
        })
        const pending = await secrets.findVersionByStage(secret.id, 'AWSPENDING')
        expect(pending).toMatchObject({ versionId: vid('pending'), hasValue: false })
        expect(pending?.value).toBeUndefined()
        const running = await runs.runningRun(secret.id)
        expect(running).toMatchObject({
          state: 'running',
          step: 'createSecret',
          attempt: 1,
          trigger: 'immediate',
        })
        const outbox = await runs.listOutbox(0, 100)
        expect(outbox.at(-1)).toMatchObject({
          eventId: `ev-${counter}`,
          detail: { eventName: 'RotationStarted' },
        })
      }),
    )

    it(
      'allows one running run per secret: a second start changes nothing',
      withStores(async (secrets, runs) => {
        const { secret } = await secretWithRun(secrets)
        const before = await secrets.listVersions(secret.id)
        const outboxBefore = await runs.listOutbox(0, 1000)
        await expect(
          secrets.applyChange({
            secretId: secret.id,
            expectedRevision: secret.revision,
            addVersion: { versionId: vid('other'), createdAt: 3_000 },
            rotation: {
              startRun: {
                secretId: secret.id,
                versionId: vid('other'),
                rotationToken: 'rt2',
                functionArn: 'f',
                trigger: 'scheduled',
                step: 'createSecret',
                startedAt: 3_000,
                nextAttemptAt: 3_000,
              },
              events: [event('ev-refused', secret.arn)],
            },
          }),
        ).rejects.toEqual(new UniqueViolationError('rotation_running'))
        expect(await secrets.listVersions(secret.id)).toEqual(before)
        expect((await secrets.findByArn(secret.arn))?.revision).toBe(secret.revision)
        expect(await runs.listOutbox(0, 1000)).toEqual(outboxBefore)
      }),
    )

    it(
      'fills a placeholder once; a version with a value is not refilled',
      withStores(async (secrets) => {
        const { secret } = await secretWithRun(secrets)
        await secrets.applyChange({
          secretId: secret.id,
          expectedRevision: secret.revision,
          fillVersion: { versionId: vid('pending'), createdAt: 2_000, value: value('new') },
        })
        expect((await secrets.findVersionById(secret.id, vid('pending')))?.value).toEqual(value('new'))
        const again = (await secrets.findByArn(secret.arn)) as SecretRecord
        await expect(
          secrets.applyChange({
            secretId: secret.id,
            expectedRevision: again.revision,
            fillVersion: { versionId: vid('pending'), createdAt: 2_000, value: value('other') },
          }),
        ).rejects.toBeInstanceOf(ConflictError)
        expect((await secrets.findVersionById(secret.id, vid('pending')))?.value).toEqual(value('new'))
      }),
    )

    it(
      'records attempts before their outcome and moves the run only from the state it expects',
      withStores(async (secrets, runs) => {
        const { secret } = await secretWithRun(secrets)
        const run = (await runs.runningRun(secret.id))!
        expect(await runs.beginStep(run.id, 'setSecret', 1, 2_100)).toBe(false)
        expect(await runs.beginStep(run.id, 'createSecret', 1, 2_100)).toBe(true)
        expect(await runs.listSteps(run.id)).toEqual([
          { runId: run.id, step: 'createSecret', attempt: 1, startedAt: 2_100 },
        ])
        const failed = {
          step: 'createSecret' as const,
          attempt: 1,
          at: 2_200,
          outcome: 'failed' as const,
          error: 'E: boom',
          output: 'log\n',
        }
        expect(
          await runs.endStep(run.id, failed, { kind: 'retry', attempt: 2, at: 2_500, error: 'E: boom' }),
        ).toBe(true)
        // The same attempt can't be completed twice.
        expect(
          await runs.endStep(run.id, failed, { kind: 'retry', attempt: 2, at: 2_500, error: 'E: boom' }),
        ).toBe(false)
        expect(await runs.findRun(run.id)).toMatchObject({
          attempt: 2,
          nextAttemptAt: 2_500,
          lastError: 'E: boom',
        })
        expect(await runs.dueRuns(2_499, 10)).toEqual([])
        expect((await runs.dueRuns(2_500, 10)).map((r) => r.id)).toEqual([run.id])
        expect(await runs.beginStep(run.id, 'createSecret', 2, 2_500)).toBe(true)
        expect(
          await runs.endStep(
            run.id,
            { step: 'createSecret', attempt: 2, at: 2_600, outcome: 'succeeded', output: '' },
            { kind: 'next-step', step: 'setSecret', at: 2_600 },
          ),
        ).toBe(true)
        expect(await runs.findRun(run.id)).toMatchObject({ step: 'setSecret', attempt: 1, state: 'running' })
        expect(await runs.findRun(run.id)).not.toHaveProperty('lastError')
        expect((await runs.listSteps(run.id)).map((s) => [s.step, s.attempt, s.outcome])).toEqual([
          ['createSecret', 1, 'failed'],
          ['createSecret', 2, 'succeeded'],
        ])
      }),
    )

    it(
      'finishes a run with the secret schedule, the test version dropped and the event, atomically',
      withStores(async (secrets, runs) => {
        const { secret } = await secretWithRun(secrets, { trigger: 'test-only', step: 'testSecret' })
        const run = (await runs.runningRun(secret.id))!
        await runs.beginStep(run.id, 'testSecret', 1, 2_100)
        const done = await runs.endStep(
          run.id,
          { step: 'testSecret', attempt: 1, at: 2_200, outcome: 'succeeded', output: '' },
          {
            kind: 'finish',
            state: 'succeeded',
            at: 2_200,
            schedule: { lastRotatedAt: 2_200, nextRotationAt: 9_000, dueAt: 8_000 },
            dropVersion: run.versionId,
            events: [event('ev-finished', secret.arn)],
          },
        )
        expect(done).toBe(true)
        expect(await runs.findRun(run.id)).toMatchObject({ state: 'succeeded', finishedAt: 2_200 })
        expect(await runs.runningRun(secret.id)).toBeUndefined()
        const after = (await secrets.findByArn(secret.arn))!
        expect(after.rotation).toMatchObject({ lastRotatedAt: 2_200, nextRotationAt: 9_000, dueAt: 8_000 })
        expect(after.revision).toBeGreaterThan(secret.revision)
        expect(await secrets.findVersionById(secret.id, run.versionId)).toBeUndefined()
        expect((await secrets.listVersions(secret.id)).map((v) => v.versionId)).toEqual([vid('current')])
        expect((await runs.listOutbox(0, 1000)).at(-1)?.eventId).toBe('ev-finished')
        // A finished run never moves again.
        expect(await runs.beginStep(run.id, 'testSecret', 1, 3_000)).toBe(false)
        expect(await runs.dueSecrets(7_999, 10)).not.toContainEqual({ id: secret.id, arn: secret.arn })
        expect(await runs.dueSecrets(8_000, 10)).toContainEqual({ id: secret.id, arn: secret.arn })
        await runs.postpone(secret.id, 8_500)
        expect(await runs.dueSecrets(8_000, 10)).not.toContainEqual({ id: secret.id, arn: secret.arn })
      }),
    )

    it(
      'cancels the running run inside the secret change; cancelled runs take no further step',
      withStores(async (secrets, runs) => {
        const { secret } = await secretWithRun(secrets)
        const run = (await runs.runningRun(secret.id))!
        await secrets.applyChange({
          secretId: secret.id,
          expectedRevision: secret.revision,
          update: { rotation: { enabled: false, dueAt: null, nextRotationAt: null } },
          rotation: { cancelRunningAt: 2_300 },
        })
        expect(await runs.findRun(run.id)).toMatchObject({ state: 'cancelled', finishedAt: 2_300 })
        expect(await runs.beginStep(run.id, 'createSecret', 1, 2_400)).toBe(false)
        expect((await secrets.findByArn(secret.arn))?.rotation).toMatchObject({
          enabled: false,
          rules: { AutomaticallyAfterDays: 7 },
        })
      }),
    )

    it(
      'closes attempts left open as interrupted and schedules them again',
      withStores(async (secrets, runs) => {
        const { secret } = await secretWithRun(secrets)
        const run = (await runs.runningRun(secret.id))!
        await runs.beginStep(run.id, 'createSecret', 1, 2_100)
        expect(await runs.interruptOpenSteps(5_000)).toBeGreaterThanOrEqual(1)
        expect(await runs.listSteps(run.id)).toEqual([
          {
            runId: run.id,
            step: 'createSecret',
            attempt: 1,
            startedAt: 2_100,
            finishedAt: 5_000,
            outcome: 'interrupted',
            error: 'the process stopped during the step',
          },
        ])
        expect(await runs.findRun(run.id)).toMatchObject({
          step: 'createSecret',
          attempt: 2,
          nextAttemptAt: 5_000,
        })
        expect(await runs.interruptOpenSteps(6_000)).toBe(0)
      }),
    )

    it(
      'leases: one holder at a time until it expires; renewals and release',
      withStores(async (_secrets, runs) => {
        const name = `lease-${++counter}`
        expect(await runs.acquireLease(name, 'a', 1_000, 2_000)).toBe(true)
        expect(await runs.acquireLease(name, 'b', 1_500, 2_500)).toBe(false)
        expect(await runs.acquireLease(name, 'a', 1_900, 3_000)).toBe(true)
        expect(await runs.acquireLease(name, 'b', 2_999, 4_000)).toBe(false)
        expect(await runs.acquireLease(name, 'b', 3_000, 4_000)).toBe(true)
        expect(await runs.acquireLease(name, 'a', 3_100, 5_000)).toBe(false)
        await runs.releaseLease(name, 'a')
        expect(await runs.acquireLease(name, 'a', 3_200, 5_000)).toBe(false)
        await runs.releaseLease(name, 'b')
        expect(await runs.acquireLease(name, 'a', 3_200, 5_000)).toBe(true)
      }),
    )
  })
}
