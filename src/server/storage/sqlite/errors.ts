import { UniqueViolationError } from '../../../lib/neutral-errors.js'

/**
 * Maps SQLite constraint failures to neutral errors, naming the constraint so callers can tell a taken
 * secret name from a reused version id. Anything else is rethrown unchanged.
 */
export function translateSqliteError(error: unknown, constraints: Record<string, string>): never {
  const code = (error as { code?: string }).code
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = (error as Error).message
    for (const [columns, name] of Object.entries(constraints)) {
      if (message.includes(columns)) throw new UniqueViolationError(name)
    }
    throw new UniqueViolationError('unknown')
  }
  throw error
}
