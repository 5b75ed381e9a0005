import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { TestServer } from './server.js'

/** The official JS SDK client pointed at a test server, with the administrator's credentials. */
export function secretsManagerClient(
  server: TestServer,
  overrides: { accessKeyId?: string; secretAccessKey?: string } = {},
) {
  return new SecretsManagerClient({
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: {
      accessKeyId: overrides.accessKeyId ?? server.credentials.accessKeyId,
      secretAccessKey: overrides.secretAccessKey ?? server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  })
}
