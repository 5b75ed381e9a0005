import {
  canonicalJson,
  MANAGED_TAG,
  oidcIdentity,
  type CurrentPolicy,
  type CurrentRole,
  type CurrentState,
  type CurrentUser,
  type DesiredRole,
  type DesiredState,
  type DesiredUser,
  type PolicyRef,
  type Tags,
} from './model.js'
import type { PrincipalKind, Step } from './steps.js'

/** What cannot be planned (an immutable attribute changed, an unknown policy named). */
export class PlanError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'))
  }
}

export interface Plan {
  readonly steps: readonly Step[]
  /** Differences left alone (IAM cannot change them), worth telling. */
  readonly warnings: readonly string[]
}

const lower = (s: string) => s.toLowerCase()
const sameDocument = (a: string | undefined, b: string) =>
  a !== undefined && canonicalJson(a) === canonicalJson(b)
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n')

/**
 * The steps that make the account match the file: creations and updates of what the file declares,
 * then deletions of what carries the managed tag but is no longer declared. Pure: reads nothing.
 */
export function planChanges(desired: DesiredState, current: CurrentState): Plan {
  const problems: string[] = []
  const warnings: string[] = []
  const policies = new Map(current.policies.map((p) => [lower(p.name), p]))
  const declaredPolicies = new Set(desired.policies.map((p) => lower(p.name)))

  /** The ARN a reference stands for today; `undefined` for a file policy still to be created. */
  const resolve = (ref: PolicyRef, at: string): string | undefined => {
    if ('arn' in ref) return ref.arn
    const existing = policies.get(lower(ref.name))
    if (existing === undefined && !declaredPolicies.has(lower(ref.name)))
      problems.push(`${at}: policy ${ref.name} is neither declared in the file nor exists in the account`)
    return existing?.arn
  }

  const create: Step[] = []
  const removals: Step[] = []

  // OIDC providers (no API updates their client ids here: a change replaces the provider).
  const providers = new Map(current.oidcProviders.map((p) => [p.url, p]))
  const declaredProviders = new Set<string>()
  for (const d of desired.oidcProviders) {
    const id = oidcIdentity(d.url)
    declaredProviders.add(id)
    const cur = providers.get(id)
    if (cur === undefined)
      create.push({ op: 'create-oidc', url: d.url, clientIds: d.clientIds, thumbprints: d.thumbprints })
    else {
      const what = [
        !sameSet(cur.clientIds, d.clientIds) && 'client ids',
        !sameSet(cur.thumbprints, d.thumbprints) && 'thumbprints',
      ].filter((w): w is string => typeof w === 'string')
      if (what.length > 0)
        create.push({
          op: 'replace-oidc',
          arn: cur.arn,
          url: d.url,
          clientIds: d.clientIds,
          thumbprints: d.thumbprints,
          what: what.join(', '),
        })
    }
  }

  for (const d of desired.policies) {
    const cur = policies.get(lower(d.name))
    if (cur === undefined) {
      create.push({
        op: 'create-policy',
        name: d.name,
        path: d.path,
        ...(d.description !== undefined && { description: d.description }),
        document: d.document,
      })
      continue
    }
    if (cur.path !== d.path)
      problems.push(
        `policies.${d.name}.path: IAM cannot move a policy (${cur.path} -> ${d.path}); delete it first`,
      )
    if ((cur.description ?? '') !== (d.description ?? ''))
      warnings.push(`policy ${d.name}: IAM cannot change a policy's description; left as is`)
    if (!sameDocument(cur.document, d.document))
      create.push({
        op: 'update-policy',
        name: d.name,
        arn: cur.arn,
        document: d.document,
        ...dropVersion(cur),
      })
  }

  const users = new Map(current.users.map((u) => [lower(u.name), u]))
  for (const d of desired.users) {
    const cur = users.get(lower(d.name))
    if (cur === undefined) {
      create.push({
        op: 'create-user',
        name: d.name,
        path: d.path,
        tags: managedTags(d.tags),
        ...boundaryOf(d),
      })
      create.push(...principalPolicies('user', d, undefined, resolve))
      continue
    }
    if (cur.path !== d.path) create.push({ op: 'move-user', name: d.name, from: cur.path, to: d.path })
    create.push(...principalUpdates('user', d, cur, resolve))
  }

  const roles = new Map(current.roles.map((r) => [lower(r.name), r]))
  for (const d of desired.roles) {
    const cur = roles.get(lower(d.name))
    if (cur === undefined) {
      create.push({
        op: 'create-role',
        name: d.name,
        path: d.path,
        trust: d.trust,
        ...(d.description !== undefined && { description: d.description }),
        maxSessionDuration: d.maxSessionDuration,
        tags: managedTags(d.tags),
        ...boundaryOf(d),
      })
      create.push(...principalPolicies('role', d, undefined, resolve))
      continue
    }
    if (cur.path !== d.path)
      problems.push(
        `roles.${d.name}.path: IAM cannot move a role (${cur.path} -> ${d.path}); delete it first`,
      )
    create.push(...roleUpdates(d, cur), ...principalUpdates('role', d, cur, resolve))
  }

  const declaredUsers = new Set(desired.users.map((u) => lower(u.name)))
  for (const u of current.users)
    if (u.managed && !declaredUsers.has(lower(u.name)))
      removals.push({
        op: 'delete-user',
        name: u.name,
        accessKeys: u.accessKeys,
        inline: [...u.inline.keys()],
        attached: u.attached,
      })
  const declaredRoles = new Set(desired.roles.map((r) => lower(r.name)))
  for (const r of current.roles)
    if (r.managed && !declaredRoles.has(lower(r.name)))
      removals.push({ op: 'delete-role', name: r.name, inline: [...r.inline.keys()], attached: r.attached })
  for (const p of current.policies)
    if (p.managed && !declaredPolicies.has(lower(p.name)))
      removals.push({
        op: 'delete-policy',
        name: p.name,
        arn: p.arn,
        versions: p.versions.filter((v) => !v.isDefault).map((v) => v.id),
      })
  for (const p of current.oidcProviders)
    if (p.managed && !declaredProviders.has(p.url))
      removals.push({ op: 'delete-oidc', arn: p.arn, url: p.url })

  if (problems.length > 0) throw new PlanError(problems)
  return { steps: [...create, ...removals], warnings }
}

function managedTags(tags: Tags): Tags {
  return { ...tags, [MANAGED_TAG.Key]: MANAGED_TAG.Value }
}

function boundaryOf(d: DesiredUser): { boundary?: PolicyRef } {
  return d.boundary === undefined ? {} : { boundary: d.boundary }
}

/** At most 5 versions: the oldest non-default one makes room for the new default. */
function dropVersion(cur: CurrentPolicy): { dropVersion?: string } {
  if (cur.versions.length < 5) return {}
  const oldest = cur.versions
    .filter((v) => !v.isDefault)
    .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)))[0]
  return oldest === undefined ? {} : { dropVersion: oldest.id }
}

function roleUpdates(d: DesiredRole, cur: CurrentRole): Step[] {
  const steps: Step[] = []
  const what: string[] = []
  const descriptionChanged = (cur.description ?? '') !== (d.description ?? '')
  if (descriptionChanged) what.push('description')
  const durationChanged = cur.maxSessionDuration !== d.maxSessionDuration
  if (durationChanged) what.push(`max session duration ${cur.maxSessionDuration} -> ${d.maxSessionDuration}`)
  if (what.length > 0)
    steps.push({
      op: 'update-role',
      name: d.name,
      ...(descriptionChanged && { description: d.description ?? '' }),
      ...(durationChanged && { maxSessionDuration: d.maxSessionDuration }),
      what: what.join(', '),
    })
  if (!sameDocument(cur.trust, d.trust)) steps.push({ op: 'update-trust', name: d.name, trust: d.trust })
  return steps
}

type Resolve = (ref: PolicyRef, at: string) => string | undefined

function principalUpdates(
  kind: PrincipalKind,
  d: DesiredUser,
  cur: CurrentUser | CurrentRole,
  resolve: Resolve,
): Step[] {
  const steps: Step[] = []
  const { add, remove } = tagDiff(cur.tags, managedTags(d.tags))
  if (Object.keys(add).length > 0 || remove.length > 0)
    steps.push({ op: 'tag', kind, name: d.name, add, remove })
  const at = `${kind}s.${d.name}.permissionsBoundary`
  if (d.boundary === undefined) {
    if (cur.boundary !== undefined) steps.push({ op: 'set-boundary', kind, name: d.name })
  } else {
    const arn = resolve(d.boundary, at)
    if (arn === undefined || arn !== cur.boundary)
      steps.push({ op: 'set-boundary', kind, name: d.name, boundary: d.boundary })
  }
  return [...steps, ...principalPolicies(kind, d, cur, resolve)]
}

/** Inline policies to put or delete, managed policies to attach or detach. */
function principalPolicies(
  kind: PrincipalKind,
  d: DesiredUser,
  cur: CurrentUser | CurrentRole | undefined,
  resolve: Resolve,
): Step[] {
  const steps: Step[] = []
  for (const [policy, document] of d.inline) {
    const existing = cur?.inline.get(policy)
    if (!sameDocument(existing, document))
      steps.push({ op: 'put-inline', kind, name: d.name, policy, document, exists: existing !== undefined })
  }
  for (const policy of cur?.inline.keys() ?? [])
    if (!d.inline.has(policy)) steps.push({ op: 'delete-inline', kind, name: d.name, policy })
  const wanted = new Set<string>()
  d.attach.forEach((ref, i) => {
    const arn = resolve(ref, `${kind}s.${d.name}.attachedPolicies[${i}]`)
    if (arn !== undefined) wanted.add(arn)
    if (arn === undefined || !(cur?.attached ?? []).includes(arn))
      steps.push({ op: 'attach', kind, name: d.name, policy: ref })
  })
  for (const arn of cur?.attached ?? [])
    if (!wanted.has(arn)) steps.push({ op: 'detach', kind, name: d.name, arn })
  return steps
}

/** Tag keys compare ignoring case; a changed value or spelling is re-added, keys not wanted are removed. */
export function tagDiff(current: Tags, desired: Tags): { add: Record<string, string>; remove: string[] } {
  const currentByKey = new Map(Object.entries(current).map(([k, v]) => [lower(k), [k, v] as const]))
  const desiredKeys = new Set(Object.keys(desired).map(lower))
  const add: Record<string, string> = {}
  for (const [key, value] of Object.entries(desired)) {
    const cur = currentByKey.get(lower(key))
    if (cur === undefined || cur[0] !== key || cur[1] !== value) add[key] = value
  }
  const remove = Object.keys(current).filter((k) => !desiredKeys.has(lower(k)))
  return { add, remove }
}
