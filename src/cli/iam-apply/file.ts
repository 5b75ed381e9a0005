import { parse as parseYaml } from 'yaml'
import {
  MANAGED_TAG,
  type DesiredOidcProvider,
  type DesiredPolicy,
  type DesiredRole,
  type DesiredState,
  type DesiredUser,
  type PolicyRef,
} from './model.js'

/** The file's problems, each prefixed with where it is (`users.ci.path: …`). */
export class FileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'))
  }
}

const NAME = /^[\w+=,.@-]+$/
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/
const POLICY_PATH = /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/
const SECTIONS = new Set(['policies', 'users', 'roles', 'oidcProviders'])
const POLICY_KEYS = new Set(['path', 'description', 'document'])
const USER_KEYS = new Set(['path', 'permissionsBoundary', 'inlinePolicies', 'attachedPolicies', 'tags'])
const ROLE_KEYS = new Set([...USER_KEYS, 'description', 'maxSessionDuration', 'trustPolicy'])
const OIDC_KEYS = new Set(['url', 'clientIds', 'thumbprints'])

type Obj = Record<string, unknown>

/** Reads and checks an `iam apply` file (YAML; JSON is YAML too). Throws FileError listing every problem. */
export function parseApplyFile(text: string): DesiredState {
  const problems: string[] = []
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    throw new FileError([`not valid YAML: ${(error as Error).message}`])
  }
  const root = raw === null || raw === undefined ? {} : raw
  if (!isObj(root))
    throw new FileError(['the file must be a mapping with policies, users, roles and oidcProviders'])
  for (const key of Object.keys(root)) if (!SECTIONS.has(key)) problems.push(`${key}: unknown section`)
  const r = new Reader(problems)
  const state: DesiredState = {
    policies: r.named(root['policies'], 'policies', 128, (at, name, o) => r.policy(at, name, o)),
    users: r.named(root['users'], 'users', 64, (at, name, o) => r.user(at, name, o)),
    roles: r.named(root['roles'], 'roles', 64, (at, name, o) => r.role(at, name, o)),
    oidcProviders: r.oidcProviders(root['oidcProviders']),
  }
  if (problems.length > 0) throw new FileError(problems)
  return state
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

class Reader {
  constructor(private readonly problems: string[]) {}

  named<T>(
    section: unknown,
    at: string,
    maxLength: number,
    read: (at: string, name: string, o: Obj) => T,
  ): T[] {
    if (section === undefined || section === null) return []
    if (!isObj(section)) {
      this.problems.push(`${at}: must be a mapping of names to definitions`)
      return []
    }
    const seen = new Set<string>()
    const out: T[] = []
    for (const [name, body] of Object.entries(section)) {
      const here = `${at}.${name}`
      if (!NAME.test(name) || name.length > maxLength)
        this.problems.push(`${here}: names are 1-${maxLength} characters of letters, digits and +=,.@_-`)
      if (seen.has(name.toLowerCase())) this.problems.push(`${here}: declared twice (names ignore case)`)
      seen.add(name.toLowerCase())
      const o = body === null || body === undefined ? {} : body
      if (!isObj(o)) this.problems.push(`${here}: must be a mapping`)
      else out.push(read(here, name, o))
    }
    return out
  }

  policy(at: string, name: string, o: Obj): DesiredPolicy {
    this.keys(at, o, POLICY_KEYS)
    const path = this.path(at, o['path'], POLICY_PATH)
    const description = this.optionalString(`${at}.description`, o['description'])
    return {
      name,
      path,
      ...(description !== undefined && { description }),
      document: this.document(`${at}.document`, o['document']),
    }
  }

  user(at: string, name: string, o: Obj): DesiredUser {
    this.keys(at, o, USER_KEYS)
    const boundary = this.ref(`${at}.permissionsBoundary`, o['permissionsBoundary'])
    return {
      name,
      path: this.path(at, o['path'], PATH),
      ...(boundary !== undefined && { boundary }),
      inline: this.inline(`${at}.inlinePolicies`, o['inlinePolicies']),
      attach: this.refs(`${at}.attachedPolicies`, o['attachedPolicies']),
      tags: this.tags(`${at}.tags`, o['tags']),
    }
  }

  role(at: string, name: string, o: Obj): DesiredRole {
    this.keys(at, o, ROLE_KEYS)
    const user = this.user(at, name, Object.fromEntries(Object.entries(o).filter(([k]) => USER_KEYS.has(k))))
    const description = this.optionalString(`${at}.description`, o['description'])
    const duration = o['maxSessionDuration'] ?? 3600
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 3600 || duration > 43200)
      this.problems.push(`${at}.maxSessionDuration: seconds between 3600 and 43200`)
    if (o['trustPolicy'] === undefined) this.problems.push(`${at}.trustPolicy: required`)
    return {
      ...user,
      ...(description !== undefined && { description }),
      maxSessionDuration: typeof duration === 'number' ? duration : 3600,
      trust: this.document(`${at}.trustPolicy`, o['trustPolicy']),
    }
  }

  oidcProviders(section: unknown): DesiredOidcProvider[] {
    if (section === undefined || section === null) return []
    if (!Array.isArray(section)) {
      this.problems.push('oidcProviders: must be a list')
      return []
    }
    const seen = new Set<string>()
    return section.flatMap((entry: unknown, i): DesiredOidcProvider[] => {
      const at = `oidcProviders[${i}]`
      if (!isObj(entry)) {
        this.problems.push(`${at}: must be a mapping with url, clientIds and thumbprints`)
        return []
      }
      this.keys(at, entry, OIDC_KEYS)
      const url = entry['url']
      if (typeof url !== 'string' || !/^https:\/\/[^/?#\s]+[^?#\s]*$/i.test(url)) {
        this.problems.push(`${at}.url: an https:// URL is required`)
        return []
      }
      if (seen.has(url.toLowerCase())) this.problems.push(`${at}.url: declared twice`)
      seen.add(url.toLowerCase())
      return [
        {
          url,
          clientIds: this.strings(`${at}.clientIds`, entry['clientIds']),
          thumbprints: this.strings(`${at}.thumbprints`, entry['thumbprints']).map((t) => t.toLowerCase()),
        },
      ]
    })
  }

  private keys(at: string, o: Obj, allowed: ReadonlySet<string>): void {
    for (const key of Object.keys(o))
      if (!allowed.has(key)) this.problems.push(`${at}.${key}: unknown setting`)
  }

  private path(at: string, value: unknown, pattern: RegExp): string {
    if (value === undefined) return '/'
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problems.push(`${at}.path: must be / or /a/b/ (starting and ending with /)`)
      return '/'
    }
    return value
  }

  private optionalString(at: string, value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'string') this.problems.push(`${at}: must be text`)
    return typeof value === 'string' ? value : undefined
  }

  /** A policy document: a YAML mapping, or JSON text. Kept as compact JSON. */
  private document(at: string, value: unknown): string {
    if (isObj(value)) return JSON.stringify(value)
    if (typeof value === 'string') {
      try {
        const parsed: unknown = JSON.parse(value)
        if (isObj(parsed)) return JSON.stringify(parsed)
      } catch {
        // reported below
      }
    }
    this.problems.push(`${at}: a policy document (a mapping, or JSON text) is required`)
    return '{}'
  }

  private inline(at: string, value: unknown): Map<string, string> {
    const out = new Map<string, string>()
    if (value === undefined || value === null) return out
    if (!isObj(value)) {
      this.problems.push(`${at}: must be a mapping of policy names to documents`)
      return out
    }
    for (const [name, doc] of Object.entries(value)) {
      if (!NAME.test(name)) this.problems.push(`${at}.${name}: not a valid policy name`)
      out.set(name, this.document(`${at}.${name}`, doc))
    }
    return out
  }

  private ref(at: string, value: unknown): PolicyRef | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'string' || value === '') {
      this.problems.push(`${at}: a policy name or ARN is required`)
      return undefined
    }
    if (value.startsWith('arn:')) return { arn: value }
    if (!NAME.test(value)) this.problems.push(`${at}: '${value}' is neither a policy name nor an ARN`)
    return { name: value }
  }

  private refs(at: string, value: unknown): PolicyRef[] {
    return this.strings(at, value).flatMap((v, i) => this.ref(`${at}[${i}]`, v) ?? [])
  }

  private strings(at: string, value: unknown): string[] {
    if (value === undefined || value === null) return []
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.problems.push(`${at}: must be a list of text values`)
      return []
    }
    return [...new Set(value as string[])]
  }

  private tags(at: string, value: unknown): Record<string, string> {
    if (value === undefined || value === null) return {}
    if (!isObj(value)) {
      this.problems.push(`${at}: must be a mapping of tag keys to values`)
      return {}
    }
    const out: Record<string, string> = {}
    const seen = new Set<string>()
    for (const [key, v] of Object.entries(value)) {
      if (key.toLowerCase() === MANAGED_TAG.Key) this.problems.push(`${at}.${key}: reserved for iam apply`)
      if (seen.has(key.toLowerCase()))
        this.problems.push(`${at}.${key}: tag keys ignore case; declared twice`)
      seen.add(key.toLowerCase())
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
        this.problems.push(`${at}.${key}: tag values are text`)
      else out[key] = String(v)
    }
    return out
  }
}
