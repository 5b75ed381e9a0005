import type { Credentials } from '../../../aws-api/sts/types.js'
import { hashSessionToken, newTemporaryCredentials, sessionSecretAad } from './domain/credentials.js'
import type { StsDeps } from './deps.js'
import type { SessionRecord } from './store.js'

/** What a new session is, apart from its credentials. */
export type SessionSpec = Omit<
  SessionRecord,
  'accessKeyId' | 'sealedSecret' | 'tokenHash' | 'createdAt' | 'expiresAt'
>

/**
 * Issues temporary credentials: a fresh `ASIA…` key, its secret sealed by the barrier (AAD naming the
 * key), and only a hash of the session token stored. Expiration is whole seconds, like AWS's.
 */
export async function issueSession(
  deps: Pick<StsDeps, 'store' | 'barrier' | 'random'>,
  spec: SessionSpec,
  timing: { now: number; durationSeconds: number },
  store = true,
): Promise<Credentials> {
  const credentials = newTemporaryCredentials(deps.random)
  const expiresAt = Math.floor(timing.now / 1000) * 1000 + timing.durationSeconds * 1000
  if (store) {
    await deps.store.insertSession({
      ...spec,
      accessKeyId: credentials.accessKeyId,
      sealedSecret: deps.barrier.seal(
        Buffer.from(credentials.secretAccessKey, 'utf8'),
        sessionSecretAad(credentials.accessKeyId),
      ),
      tokenHash: hashSessionToken(credentials.sessionToken),
      createdAt: timing.now,
      expiresAt,
    })
  }
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: new Date(expiresAt),
  }
}
