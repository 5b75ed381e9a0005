import type { FunctionRegistry } from '../functions/contract.js'
import { builtinFunction } from '../functions/functions.js'

/** The registry of a deployment without registered functions: the built-ins, in every account and region. */
export const builtinRegistry: FunctionRegistry = {
  find: async (arn) => builtinFunction(arn),
}
