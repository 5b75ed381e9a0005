import type { PolicyRef, Tags } from './model.js'

/** One change of a plan, in execution order. Each is one or a few IAM API calls. */
export type PrincipalKind = 'user' | 'role'

export type Step =
  | { op: 'create-oidc'; url: string; clientIds: readonly string[]; thumbprints: readonly string[] }
  | {
      op: 'replace-oidc'
      arn: string
      url: string
      clientIds: readonly string[]
      thumbprints: readonly string[]
      what: string
    }
  | { op: 'create-policy'; name: string; path: string; description?: string; document: string }
  | { op: 'update-policy'; name: string; arn: string; document: string; dropVersion?: string }
  | { op: 'create-user'; name: string; path: string; tags: Tags; boundary?: PolicyRef }
  | {
      op: 'create-role'
      name: string
      path: string
      trust: string
      description?: string
      maxSessionDuration: number
      tags: Tags
      boundary?: PolicyRef
    }
  | { op: 'move-user'; name: string; from: string; to: string }
  | { op: 'update-role'; name: string; description?: string; maxSessionDuration?: number; what: string }
  | { op: 'update-trust'; name: string; trust: string }
  | { op: 'tag'; kind: PrincipalKind; name: string; add: Tags; remove: readonly string[] }
  | { op: 'set-boundary'; kind: PrincipalKind; name: string; boundary?: PolicyRef }
  | { op: 'put-inline'; kind: PrincipalKind; name: string; policy: string; document: string; exists: boolean }
  | { op: 'delete-inline'; kind: PrincipalKind; name: string; policy: string }
  | { op: 'attach'; kind: PrincipalKind; name: string; policy: PolicyRef }
  | { op: 'detach'; kind: PrincipalKind; name: string; arn: string }
  | {
      op: 'delete-user'
      name: string
      accessKeys: readonly string[]
      inline: readonly string[]
      attached: readonly string[]
    }
  | { op: 'delete-role'; name: string; inline: readonly string[]; attached: readonly string[] }
  | { op: 'delete-policy'; name: string; arn: string; versions: readonly string[] }
  | { op: 'delete-oidc'; arn: string; url: string }

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function label(ref: PolicyRef): string {
  return 'arn' in ref ? ref.arn : ref.name
}

/** `+` creates, `~` changes, `-` deletes. */
export function symbolOf(step: Step): '+' | '~' | '-' {
  switch (step.op) {
    case 'create-oidc':
    case 'create-policy':
    case 'create-user':
    case 'create-role':
    case 'attach':
      return '+'
    case 'put-inline':
      return step.exists ? '~' : '+'
    case 'delete-inline':
    case 'detach':
    case 'delete-user':
    case 'delete-role':
    case 'delete-policy':
    case 'delete-oidc':
      return '-'
    default:
      return '~'
  }
}

/** The plan line of a step, e.g. `+ create role app` or `- detach policy X from user ci`. */
export function describeStep(step: Step): string {
  const text = ((): string => {
    switch (step.op) {
      case 'create-oidc':
        return `create oidc-provider ${step.url}`
      case 'replace-oidc':
        return `replace oidc-provider ${step.url} (${step.what})`
      case 'create-policy':
        return `create policy ${step.name}`
      case 'update-policy':
        return `update policy ${step.name} (new default version${step.dropVersion === undefined ? '' : `, deleting ${step.dropVersion}`})`
      case 'create-user':
        return `create user ${step.name}`
      case 'create-role':
        return `create role ${step.name}`
      case 'move-user':
        return `update user ${step.name}: path ${step.from} -> ${step.to}`
      case 'update-role':
        return `update role ${step.name}: ${step.what}`
      case 'update-trust':
        return `update role ${step.name}: trust policy`
      case 'tag': {
        const changes = [
          ...Object.entries(step.add).map(([k, v]) => `+${k}=${v}`),
          ...step.remove.map((k) => `-${k}`),
        ]
        return `update ${step.kind} ${step.name}: tags ${changes.join(' ')}`
      }
      case 'set-boundary':
        return `update ${step.kind} ${step.name}: permissions boundary ${step.boundary === undefined ? 'removed' : `-> ${label(step.boundary)}`}`
      case 'put-inline':
        return `${step.exists ? 'update' : 'put'} ${step.kind} ${step.name} inline policy ${step.policy}`
      case 'delete-inline':
        return `delete ${step.kind} ${step.name} inline policy ${step.policy}`
      case 'attach':
        return `attach policy ${label(step.policy)} to ${step.kind} ${step.name}`
      case 'detach':
        return `detach policy ${step.arn} from ${step.kind} ${step.name}`
      case 'delete-user': {
        const parts = [
          step.accessKeys.length > 0 && plural(step.accessKeys.length, 'access key'),
          step.inline.length > 0 &&
            plural(step.inline.length, 'inline policy').replace('policys', 'policies'),
          step.attached.length > 0 &&
            plural(step.attached.length, 'attached policy').replace('policys', 'policies'),
        ].filter((p): p is string => typeof p === 'string')
        return `delete user ${step.name}${parts.length > 0 ? ` (with ${parts.join(', ')})` : ''}`
      }
      case 'delete-role':
        return `delete role ${step.name}`
      case 'delete-policy':
        return `delete policy ${step.name}`
      case 'delete-oidc':
        return `delete oidc-provider ${step.url}`
    }
  })()
  return `${symbolOf(step)} ${text}`
}
