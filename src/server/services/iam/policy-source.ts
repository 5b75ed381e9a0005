/** The IAM entity (user or role) whose stored policies apply to a caller. */
export interface PolicyEntity {
  readonly kind: 'user' | 'role'
  readonly id: string
}

/** What authorization needs to know about an entity: its policies as stored text, and its tags. */
export interface EntityPolicies {
  /** Inline policies, then the default versions of the attached managed policies (AWS-managed included). */
  readonly identity: readonly string[]
  /** The default version of the managed policy set as permissions boundary; absent = no boundary. */
  readonly boundary?: string
  /** The entity's own tags (`aws:PrincipalTag/*`, under the session tags of a role session). */
  readonly tags: Readonly<Record<string, string>>
}

/**
 * Read-only port over IAM's stored policies, for the authorizer. `undefined` when the entity does not
 * exist (any more). A boundary naming a policy that cannot be found is reported as a policy that
 * allows nothing, never as "no boundary".
 */
export interface PolicySource {
  policiesOf(entity: PolicyEntity): Promise<EntityPolicies | undefined>
}

/** A boundary that allows nothing: what a boundary naming a missing policy amounts to. */
export const ALLOWS_NOTHING =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}'
