import type { RotationRulesType } from '../../aws-api/secretsmanager/types.js'
import type { Random } from '../../lib/random.js'
import { dueTimeIn, nextRotationDate, nextWindow, parseRotationRules } from './schedule.js'

export interface NextRotation {
  /** NextRotationDate. */
  readonly nextRotationAt: number
  /** When the scheduler starts it: a random point of the window (spreads rotations over the window). */
  readonly dueAt: number
}

/** The next scheduled rotation after one at `rotatedAt`, as of `now`; undefined without rules. */
export function nextRotation(
  rules: RotationRulesType | undefined,
  rotatedAt: number,
  now: number,
  random: Random,
): NextRotation | undefined {
  if (rules === undefined) return undefined
  const window = nextWindow(parseRotationRules(rules), rotatedAt, now)
  return {
    nextRotationAt: nextRotationDate(window),
    dueAt: dueTimeIn(window, now, () => random.int(1_000_000) / 1_000_000),
  }
}

/**
 * A value written by hand (PutSecretValue / UpdateSecret making a new AWSCURRENT) counts as a rotation
 * for `AutomaticallyAfterDays` (spec §3.7): the next one is computed from now. Undefined otherwise.
 */
export function afterManualChange(
  rotation: { readonly enabled: boolean; readonly rules?: RotationRulesType } | undefined,
  now: number,
  random: Random,
): NextRotation | undefined {
  if (rotation?.enabled !== true || rotation.rules?.AutomaticallyAfterDays === undefined) return undefined
  return nextRotation(rotation.rules, now, now, random)
}
