import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { settingsProblems } from '../functions/settings.js'
import type { FunctionConfig } from './config.js'
import { ConfigError } from './errors.js'

const KEYS = new Set([
  'name',
  'role',
  'runtime',
  'handler',
  'code',
  'environment',
  'url',
  'signingKeyFile',
  'timeout',
  'memory',
  'accountId',
  'region',
])
const STRINGS = ['name', 'role', 'runtime', 'handler', 'code', 'url', 'signingKeyFile', 'accountId', 'region']

/**
 * The config file's `functions:` list, checked now so that a mistake stops the start: every entry is
 * a process (`runtime`, `handler`, `code`: an existing directory) or a webhook (`url`,
 * `signingKeyFile`: a readable file holding the key), with the settings `coffer functions` accepts.
 * Paths are resolved against the working directory, like the other paths in the file.
 */
export function parseFunctionsConfig(value: unknown, where: string): FunctionConfig[] {
  if (!Array.isArray(value)) throw new ConfigError(`${where}: functions must be a list`)
  const seen = new Set<string>()
  return value.map((raw: unknown, index) => {
    const at = `${where} functions[${index}]`
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new ConfigError(`${at} must be a mapping`)
    const entry = raw as Record<string, unknown>
    const unknown = Object.keys(entry).find((k) => !KEYS.has(k))
    if (unknown !== undefined) throw new ConfigError(`unknown setting '${unknown}' in ${at}`)
    for (const key of STRINGS) {
      if (entry[key] !== undefined && typeof entry[key] !== 'string')
        throw new ConfigError(`${at}: ${key} must be a string`)
    }
    for (const key of ['timeout', 'memory']) {
      if (entry[key] !== undefined && typeof entry[key] !== 'number')
        throw new ConfigError(`${at}: ${key} must be a number`)
    }
    const fn = entry as unknown as FunctionConfig
    const name = `${at} (${fn.name ?? 'no name'})`
    if (fn.name === undefined) throw new ConfigError(`${at}: name is required`)
    if (fn.role === undefined) throw new ConfigError(`${name}: role is required`)
    const environment = parseEnvironment(entry['environment'], name)
    const webhook = fn.url !== undefined
    const required = webhook ? (['signingKeyFile'] as const) : (['runtime', 'handler', 'code'] as const)
    for (const key of required) {
      if (fn[key] === undefined)
        throw new ConfigError(`${name}: a ${webhook ? 'webhook' : 'process function (no url)'} needs ${key}`)
    }
    if (!webhook && fn.signingKeyFile !== undefined)
      throw new ConfigError(`${name}: signingKeyFile is for webhooks (url)`)
    const code = fn.code === undefined ? undefined : resolve(fn.code)
    if (code !== undefined && !isDirectory(code))
      throw new ConfigError(`${name}: code ${code} is not a directory`)
    const signingKeyFile = fn.signingKeyFile === undefined ? undefined : resolve(fn.signingKeyFile)
    const problems = settingsProblems({
      ...fn,
      ...(environment !== undefined && { environment }),
      ...(signingKeyFile !== undefined && { signingKey: readSigningKey(signingKeyFile, name) }),
    })
    if (problems.length > 0) throw new ConfigError(`${name}: ${problems.join('; ')}`)
    const key = `${fn.accountId ?? ''}/${fn.region ?? ''}/${fn.name}`
    if (seen.has(key)) throw new ConfigError(`${name}: declared twice`)
    seen.add(key)
    return {
      ...fn,
      ...(environment !== undefined && { environment }),
      ...(code !== undefined && { code }),
      ...(signingKeyFile !== undefined && { signingKeyFile }),
    }
  })
}

/** The key a webhook's `signingKeyFile` holds: its text without surrounding whitespace. */
export function readSigningKey(path: string, where: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (error) {
    throw new ConfigError(`${where}: cannot read signingKeyFile ${path}: ${(error as Error).message}`)
  }
}

function parseEnvironment(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`${where}: environment must be a mapping of names to strings`)
  const environment: Record<string, string> = {}
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new ConfigError(`${where}: environment ${key} must be a string`)
    environment[key] = String(v)
  }
  return environment
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
