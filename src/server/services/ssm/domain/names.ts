import { AccessDeniedException, ValidationException } from '../../../../lib/aws/errors.js'
import { HierarchyLevelLimitExceededException } from '../../../../aws-api/ssm/errors.js'
import { msg } from '../messages.js'
import type { ParameterScope } from '../store.js'

/**
 * Parameter names and references (spec §5.1): case-sensitive, segments of `a-zA-Z0-9_.-` separated by
 * `/`; a hierarchical name starts with `/`; a single-level name may or may not, and both forms are the
 * same parameter. A parameter's *key* is its name with exactly one leading slash.
 */
const SEGMENT = /^[a-zA-Z0-9_.-]+$/
export const MAX_LEVELS = 15
/** Including the ARN prefix `arn:aws:ssm:<region>:<account>:parameter/` [M PutParameterRequest.Name]. */
export const MAX_QUALIFIED_LENGTH = 1011
const ARN = /^arn:aws:ssm:([^:]*):([^:]*):parameter\/(.*)$/s
export const SECRET_REFERENCE_PREFIX = '/aws/reference/secretsmanager/'

export function keyOf(name: string): string {
  return name.startsWith('/') ? name : `/${name}`
}

export function parameterArn(scope: ParameterScope, key: string): string {
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${key.slice(1)}`
}

/** AWS removes spaces before and after a name; spaces inside it are a ValidationException. */
export function trimName(raw: string): string {
  const name = raw.replace(/^ +| +$/g, '')
  if (/\s/.test(name)) throw new ValidationException(msg.invalidName)
  return name
}

type Problem = 'syntax' | 'levels' | 'length'

function problemOf(name: string, scope: ParameterScope): Problem | undefined {
  if (name.length === 0) return 'syntax'
  if (name.indexOf('/', 1) !== -1 && !name.startsWith('/')) return 'syntax'
  const body = name.startsWith('/') ? name.slice(1) : name
  const segments = body.split('/')
  for (const segment of segments) if (!SEGMENT.test(segment)) return 'syntax'
  if (segments.length > MAX_LEVELS) return 'levels'
  if (parameterArn(scope, '/').length + body.length > MAX_QUALIFIED_LENGTH) return 'length'
  return undefined
}

/** Whether a parameter could have this name (reads: anything else simply doesn't exist). */
export function isValidName(name: string, scope: ParameterScope): boolean {
  return problemOf(name, scope) === undefined
}

/**
 * The name of a parameter being created or overwritten (PutParameter), already trimmed: its syntax,
 * depth, length and the reserved `aws`/`ssm` prefixes (spec §5.1).
 */
export function assertCreatableName(name: string, scope: ParameterScope): void {
  const problem = problemOf(name, scope)
  if (problem === 'syntax') throw new ValidationException(msg.invalidName)
  if (problem === 'levels') throw new HierarchyLevelLimitExceededException(msg.hierarchyLevels)
  if (problem === 'length') throw new ValidationException(msg.nameTooLong(MAX_QUALIFIED_LENGTH))
  const body = (name.startsWith('/') ? name.slice(1) : name).toLowerCase()
  if (!body.startsWith('aws') && !body.startsWith('ssm')) return
  const path = name.indexOf('/', 1) !== -1
  if (!path) throw new ValidationException(msg.reservedName)
  if (body.startsWith('aws/')) throw new AccessDeniedException(msg.reservedPath(name))
  throw new ValidationException(msg.invalidName)
}

export type Selector =
  | { readonly kind: 'version'; readonly version: number; readonly text: string }
  | { readonly kind: 'label'; readonly label: string; readonly text: string }

/** A parameter as a read names it: name or ARN, optionally with `:<version>` or `:<label>`. */
export interface Reference {
  /** The name to answer with: the caller's form, or undefined for an ARN (the stored name is used). */
  readonly echo: string | undefined
  readonly key: string
  readonly selector?: Selector
}

/**
 * Parses a read's `Name` (already trimmed). `undefined` when no parameter can match it: a malformed name,
 * an ARN of another account or region, a selector that is empty or has a second `:`.
 */
export function parseReference(name: string, scope: ParameterScope): Reference | undefined {
  let rest = name
  let fromArn = false
  const arn = ARN.exec(name)
  if (arn !== null) {
    const [, region, account, resource = ''] = arn
    if (region !== scope.region || account !== scope.accountId) return undefined
    rest = resource.includes('/') ? `/${resource}` : resource
    fromArn = true
  }
  const colon = rest.indexOf(':')
  const bare = colon === -1 ? rest : rest.slice(0, colon)
  if (!isValidName(bare, scope)) return undefined
  const reference = { echo: fromArn ? undefined : bare, key: keyOf(bare) }
  if (colon === -1) return reference
  const text = rest.slice(colon + 1)
  if (text.length === 0 || text.includes(':')) return undefined
  const selector: Selector = /^[0-9]+$/.test(text)
    ? { kind: 'version', version: Number(text), text: `:${text}` }
    : { kind: 'label', label: text, text: `:${text}` }
  return { ...reference, selector }
}

/**
 * A parameter named by an operation that doesn't take selectors or ARNs (labels, history, delete,
 * tags): the key, or undefined when no parameter can have that name.
 */
export function plainKey(raw: string, scope: ParameterScope): { name: string; key: string } | undefined {
  const name = trimName(raw)
  return isValidName(name, scope) ? { name, key: keyOf(name) } : undefined
}

/**
 * A hierarchy path (GetParametersByPath `Path`, DescribeParameters `Path` filter), already trimmed:
 * starts with `/`, segments as in names, at most 15 levels; trailing slashes are dropped (`/` stays).
 * `undefined` when malformed.
 */
export function normalizePath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined
  const stripped = path.replace(/\/+$/, '')
  if (stripped === '') return '/'
  const segments = stripped.slice(1).split('/')
  if (segments.length > MAX_LEVELS || !segments.every((segment) => SEGMENT.test(segment))) return undefined
  return stripped
}

/** The hierarchy a key sits in: `/a` for `/a/b`, `/` for `/param-x`. */
export function parentOf(key: string): string {
  const slash = key.lastIndexOf('/')
  return slash <= 0 ? '/' : key.slice(0, slash)
}

/** Whether `key` is under `path` (any depth). */
export function isUnder(key: string, path: string): boolean {
  return path === '/' || key.startsWith(`${path}/`)
}
