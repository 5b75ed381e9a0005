import { ParameterVersionLabelLimitExceeded } from '../../../../aws-api/ssm/errors.js'
import { msg } from '../messages.js'
import type { ParameterVersion } from '../store.js'

/** A version carries at most 10 labels [M LabelParameterVersion]. */
export const MAX_LABELS_PER_VERSION = 10

/**
 * Label rules [M LabelParameterVersion]: at most 100 characters of letters, digits, `.`, `-`, `_`; not
 * starting with a digit, `aws` or `ssm` (any case). A label that breaks them is returned in
 * `InvalidLabels`, never raised.
 */
export function isValidLabel(label: string): boolean {
  return (
    label.length <= 100 &&
    /^[a-zA-Z0-9_.-]+$/.test(label) &&
    !/^[0-9]/.test(label) &&
    !/^(aws|ssm)/i.test(label)
  )
}

export interface LabelPlan {
  /** Labels to attach to the target version (new there, possibly moved from another version). */
  readonly attach: readonly string[]
  readonly invalid: readonly string[]
}

/**
 * LabelParameterVersion: the valid labels not yet on `target` are attached to it, moving away from any
 * other version (spec §5.2). Throws ParameterVersionLabelLimitExceeded when the version would carry
 * more than 10 labels.
 */
export function planLabels(target: ParameterVersion, requested: readonly string[]): LabelPlan {
  const invalid: string[] = []
  const attach: string[] = []
  for (const label of requested) {
    if (!isValidLabel(label)) {
      if (!invalid.includes(label)) invalid.push(label)
    } else if (!target.labels.includes(label) && !attach.includes(label)) attach.push(label)
  }
  if (target.labels.length + attach.length > MAX_LABELS_PER_VERSION) {
    throw new ParameterVersionLabelLimitExceeded(msg.labelLimit)
  }
  return { attach, invalid }
}

/** UnlabelParameterVersion: labels on the version are removed, the others reported invalid. */
export function planUnlabel(
  target: ParameterVersion,
  requested: readonly string[],
): { removed: string[]; invalid: string[] } {
  const removed: string[] = []
  const invalid: string[] = []
  for (const label of requested) {
    const list = target.labels.includes(label) ? removed : invalid
    if (!list.includes(label)) list.push(label)
  }
  return { removed, invalid }
}
