import { InvalidRequestException, ResourceExistsException } from '../../../aws-api/secretsmanager/errors.js'
import type { RotationRulesType } from '../../../aws-api/secretsmanager/types.js'
import { UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { Random } from '../../../lib/random.js'
import type { RequestContext } from '../../core/context.js'
import type { RotationStep } from '../../functions/contract.js'
import { rotationEvent } from '../../rotation/events.js'
import type { RotationSignal } from '../../rotation/signal.js'
import type { RotationStore, RunTrigger } from '../../rotation/store.js'
import { AWSCURRENT, AWSPENDING } from './domain/stages.js'
import type { SecretValue } from './envelope.js'
import { msg } from './messages.js'
import type { SecretWriter } from './secret-writer.js'
import type { SecretRecord, VersionRecord } from './store.js'

export interface RotationRequest {
  /** The ClientRequestToken: the AWSPENDING version the rotation creates. */
  readonly token: string
  readonly functionArn: string
  /** New rules to store (RotateSecret's RotationRules); absent keeps the stored ones. */
  readonly rules?: RotationRulesType
  readonly trigger: RunTrigger
  /** Test-only runs: the copy of the current value the pending version holds. */
  readonly value?: SecretValue
}

/**
 * The version a rotation left unfinished: AWSPENDING on a version without AWSCURRENT (spec §3.7). While
 * there is one, a new rotation is refused.
 */
export function pendingVersion(versions: readonly VersionRecord[]): VersionRecord | undefined {
  return versions.find((v) => v.stages.includes(AWSPENDING) && !v.stages.includes(AWSCURRENT))
}

/**
 * Starts a rotation — RotateSecret's and the scheduler's one code path. In one transaction: the rotation
 * configuration (enabled, function, rules; the schedule is recomputed when the run ends), the token as
 * an AWSPENDING version (a placeholder without a value, or a copy of the current value for a test-only
 * run), the run (at most one running per secret: a database constraint) and the RotationStarted event.
 * Refused with InvalidRequestException while a rotation is in progress. A token that already names
 * this rotation's version is a replay: nothing changes; one naming another version is refused with
 * InvalidRequestException (RotateSecret models no ResourceExistsException).
 */
export class RotationStarter {
  constructor(
    private readonly deps: {
      readonly writer: SecretWriter
      readonly runs: Pick<RotationStore, 'listRuns'>
      readonly random: Random
      readonly signal: RotationSignal
    },
  ) {}

  async start(
    ctx: RequestContext,
    secret: SecretRecord,
    request: RotationRequest,
    reload: () => Promise<SecretRecord>,
  ): Promise<{ secret: SecretRecord; versionId: string; created: boolean }> {
    const firstStep: RotationStep = request.trigger === 'test-only' ? 'testSecret' : 'createSecret'
    let result
    try {
      result = await this.deps.writer.write(
        ctx,
        secret,
        {
          version: {
            token: request.token,
            stages: [AWSPENDING],
            ...(request.value !== undefined && { value: request.value }),
          },
          update: {
            rotation: {
              enabled: true,
              lambdaArn: request.functionArn,
              ...(request.rules !== undefined && { rules: request.rules }),
              dueAt: null,
            },
          },
          rotation: (current, versions) => {
            if (versions.some((v) => v.versionId === request.token))
              throw new InvalidRequestException(msg.tokenInUse(request.token, current.arn))
            if (pendingVersion(versions) !== undefined)
              throw new InvalidRequestException(msg.rotationInProgress)
            return {
              startRun: {
                secretId: current.id,
                versionId: request.token,
                rotationToken: this.deps.random.uuid(),
                functionArn: request.functionArn,
                trigger: request.trigger,
                step: firstStep,
                startedAt: ctx.now,
                nextAttemptAt: ctx.now,
              },
              events: [
                rotationEvent({
                  name: request.trigger === 'test-only' ? 'TestRotationStarted' : 'RotationStarted',
                  eventId: this.deps.random.uuid(),
                  time: ctx.now,
                  accountId: current.accountId,
                  region: current.region,
                  secretArn: current.arn,
                  rotationId: request.token,
                }),
              ],
            }
          },
        },
        reload,
      )
    } catch (error) {
      if (error instanceof UniqueViolationError && error.constraint === 'rotation_running')
        throw new InvalidRequestException(msg.rotationInProgress)
      // The token names a version holding another value (the test-only copy is compared as a replay):
      // RotateSecret's model has no ResourceExistsException; its refusal of a used token is this one.
      if (error instanceof ResourceExistsException)
        throw new InvalidRequestException(msg.tokenInUse(request.token, secret.arn))
      throw error
    }
    const created = result.version?.created ?? false
    if (!created) await this.assertReplay(result.secret, request.token)
    else this.deps.signal.notify()
    return { secret: result.secret, versionId: request.token, created }
  }

  /** A token naming an existing version replays only the rotation that created it (spec §3.4). */
  private async assertReplay(secret: SecretRecord, token: string): Promise<void> {
    const runs = await this.deps.runs.listRuns(secret.id, 100)
    if (!runs.some((run) => run.versionId === token))
      throw new InvalidRequestException(msg.tokenInUse(token, secret.arn))
  }
}
