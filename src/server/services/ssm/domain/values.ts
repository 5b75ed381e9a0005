import { ValidationException } from '../../../../lib/aws/errors.js'
import {
  InvalidAllowedPatternException,
  ParameterPatternMismatchException,
} from '../../../../aws-api/ssm/errors.js'
import type { ParameterTier } from '../../../../aws-api/ssm/types.js'
import { msg } from '../messages.js'
import type { ParameterType, StoredTier } from '../store.js'

/** Value size limits in bytes (UTF-8): Standard 4 KB, Advanced 8 KB [M PutParameterRequest.Value]. */
export const STANDARD_MAX_BYTES = 4096
export const ADVANCED_MAX_BYTES = 8192
export const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'] as const
const AMI_ID = /^ami-[a-zA-Z0-9]{8,17}$/

/** A value may not be empty nor nest another parameter (`{{...}}`) [M PutParameterRequest.Value]. */
export function assertValue(value: string): void {
  if (value.length === 0) throw new ValidationException(msg.emptyValue)
  if (/\{\{[\s\S]*?\}\}/.test(value)) throw new ValidationException(msg.nestedParameter)
}

/**
 * The tier a put stores (spec §5.2): the requested one, else the parameter's current one (Standard for a
 * new parameter). Intelligent-Tiering picks Standard when the value fits. An Advanced parameter never
 * goes back to Standard.
 */
export function resolveTier(
  requested: ParameterTier | undefined,
  current: StoredTier | undefined,
  bytes: number,
): StoredTier {
  let tier: StoredTier
  if (requested === 'Intelligent-Tiering') {
    tier = current === 'Advanced' || bytes > STANDARD_MAX_BYTES ? 'Advanced' : 'Standard'
  } else tier = requested ?? current ?? 'Standard'
  if (tier === 'Standard' && current === 'Advanced') throw new ValidationException(msg.tierDowngrade)
  if (tier === 'Standard' && bytes > STANDARD_MAX_BYTES) throw new ValidationException(msg.standardTooLarge)
  if (bytes > ADVANCED_MAX_BYTES) throw new ValidationException(msg.advancedTooLarge)
  return tier
}

/** `text` (default), `aws:ec2:image` (String parameters holding an AMI id) or `aws:ssm:integration`. */
export function assertDataType(dataType: string, type: ParameterType, value: string): void {
  if (!(DATA_TYPES as readonly string[]).includes(dataType)) {
    throw new ValidationException(msg.unsupportedDataType(dataType))
  }
  if (dataType !== 'aws:ec2:image') return
  if (type !== 'String') throw new ValidationException(msg.amiNeedsString)
  if (!AMI_ID.test(value)) throw new ValidationException(msg.invalidAmiId)
}

/**
 * `AllowedPattern` is a regular expression the value must match (searched, as `^\d+$` in AWS's own
 * example anchors it explicitly). A pattern that doesn't compile is InvalidAllowedPatternException.
 */
export function assertMatchesPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined || pattern === '') return
  let regex: RegExp
  try {
    regex = new RegExp(pattern)
  } catch {
    throw new InvalidAllowedPatternException(msg.invalidPattern(pattern))
  }
  if (!regex.test(value)) throw new ParameterPatternMismatchException(msg.patternMismatch(pattern))
}

/** Parameter policies (expiration, notifications) are not implemented: only "no policies" is accepted. */
export function assertNoPolicies(policies: string | undefined): void {
  if (policies === undefined) return
  let parsed: unknown
  try {
    parsed = JSON.parse(policies)
  } catch {
    parsed = undefined
  }
  if (!Array.isArray(parsed) || parsed.length > 0) throw new ValidationException(msg.policiesUnsupported)
}
