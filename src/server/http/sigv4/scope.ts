/** Checks a credential scope against the route that received the request. */
import { InvalidSignatureException } from '../../../lib/aws/errors.js'
import type { ParsedAuth } from './types.js'

/**
 * Throws `InvalidSignatureException` with AWS's texts unless the scope names `service` and one of
 * `regions`. The region is checked first (the usual client misconfiguration).
 */
export function checkCredentialScope(
  auth: Pick<ParsedAuth, 'region' | 'service'>,
  service: string,
  regions: ReadonlySet<string> | readonly string[],
): void {
  const regionOk = Array.isArray(regions)
    ? (regions as readonly string[]).includes(auth.region)
    : (regions as ReadonlySet<string>).has(auth.region)
  if (!regionOk) {
    throw new InvalidSignatureException(
      `Credential should be scoped to a valid region, not '${auth.region}'. `,
    )
  }
  if (auth.service !== service) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${service}'. `)
  }
}
