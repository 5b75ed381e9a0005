import { deflateRawSync } from 'node:zlib'
import {
  MalformedPolicyDocumentException,
  PackedPolicyTooLargeException,
} from '../../../../aws-api/sts/errors.js'
import { compilePolicyText } from '../../../../policy/index.js'
import { msg, StsValidationError } from '../messages.js'
import type { StsStore, TagRecord } from '../store.js'

/**
 * Session policies (inline `Policy` and managed `PolicyArns`) and the packed size of policies and tags.
 *
 * AWS packs the inline policy, the policy ARNs and the session tags into a binary format with its own
 * limit and reports the share used as `PackedPolicySize` (percent). Its encoding is not documented; Coffer
 * measures the raw-deflate size of the same data against a budget of 1900 bytes, which reproduces the
 * model's AssumeRole and GetFederationToken examples (a 117-character policy with two or three short
 * tags → 8 %).
 */
const PACKED_BUDGET_BYTES = 1900

/** An inline session policy must be a valid identity policy; otherwise `MalformedPolicyDocument`. */
export function checkSessionPolicy(text: string): void {
  const result = compilePolicyText(text, 'identity')
  if (result.ok) return
  const first = result.errors[0]
  if (first === undefined || first.code === 'INVALID_JSON' || first.code === 'POLICY_NOT_OBJECT') {
    throw new MalformedPolicyDocumentException(msg.policyNotJson)
  }
  throw new MalformedPolicyDocumentException(msg.policySyntax(first.message))
}

/**
 * The session's policy documents: the inline policy first, then each managed policy's default version.
 * Managed policies must be in the role's account or AWS-managed.
 */
export async function sessionPolicyDocuments(
  store: StsStore,
  roleAccountId: string,
  inline: string | undefined,
  policyArns: readonly string[],
): Promise<string[]> {
  const documents = inline === undefined ? [] : [inline]
  for (const arn of policyArns) {
    const account = /^arn:aws[a-z-]*:iam::([^:]*):policy\//.exec(arn)?.[1]
    const document =
      account === roleAccountId || account === 'aws' ? await store.managedPolicyDocument(arn) : undefined
    if (document === undefined) throw new StsValidationError(msg.policyArnNotFound(arn))
    documents.push(document)
  }
  return documents
}

/**
 * `PackedPolicySize` in percent, or `undefined` when the request passed neither policies nor tags.
 * Over 100 % → `PackedPolicyTooLarge`.
 */
export function packedPolicySize(
  inline: string | undefined,
  policyArns: readonly string[],
  tags: readonly TagRecord[],
): number | undefined {
  if (inline === undefined && policyArns.length === 0 && tags.length === 0) return undefined
  const parts = [
    inline === undefined ? '' : minify(inline),
    ...policyArns,
    ...tags.map((t) => `${t.Key}=${t.Value}`),
  ]
  const bytes = deflateRawSync(Buffer.from(parts.join('\n'), 'utf8')).length
  const percent = Math.max(1, Math.ceil((100 * bytes) / PACKED_BUDGET_BYTES))
  if (percent > 100) throw new PackedPolicyTooLargeException(msg.packedTooLarge(percent))
  return percent
}

function minify(policy: string): string {
  try {
    return JSON.stringify(JSON.parse(policy))
  } catch {
    return policy
  }
}
