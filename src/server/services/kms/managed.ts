/** Services whose AWS-managed key (`alias/aws/<service>`) is created on first use. */
export type ManagedKeyService = 'secretsmanager' | 'ssm'

export const MANAGED_KEY_SERVICES: readonly ManagedKeyService[] = ['secretsmanager', 'ssm']

export const MANAGED_KEY_DESCRIPTION: Record<ManagedKeyService, string> = {
  secretsmanager: 'Default key that protects my Secrets Manager data when no other key is defined',
  ssm: 'Default key that protects my SSM parameters when no other key is defined',
}

/** AWS-managed keys rotate every year (KMS docs, EnableKeyRotation). */
export const MANAGED_ROTATION_DAYS = 365

/** The service of an AWS-managed alias Coffer knows (`alias/aws/secretsmanager`), else undefined. */
export function managedService(aliasName: string): ManagedKeyService | undefined {
  return MANAGED_KEY_SERVICES.find((service) => aliasName === `alias/aws/${service}`)
}
