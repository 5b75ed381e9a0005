import type { BuiltinHandler, BuiltinName } from '../contract.js'

// Placeholder until the database rotators land: none registered.
export const databaseRotators: Partial<Record<BuiltinName, BuiltinHandler>> = {}
