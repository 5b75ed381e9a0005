import type { Logger } from 'pino'
import type { FunctionConfig } from '../config/config.js'
import { ConfigError } from '../config/errors.js'
import { readSigningKey } from '../config/functions-config.js'
import { CodePackageError } from './code.js'
import { InvalidFunctionSettings, type FunctionAdmin } from './admin.js'
import type { FunctionSettings } from './settings.js'

/**
 * Registers the config file's functions at start: each is created, or updated when it differs from
 * what is registered (a new code package only when the directory's contents changed), or left alone.
 * Running it again with the same file changes nothing. A function that cannot be registered stops the
 * start with a ConfigError naming it.
 */
export async function applyConfiguredFunctions(
  functions: readonly FunctionConfig[],
  admin: Pick<FunctionAdmin, 'apply'>,
  logger: Pick<Logger, 'info'>,
): Promise<void> {
  for (const fn of functions) {
    try {
      const { fn: registered, changed } = await admin.apply(settingsOf(fn))
      if (changed)
        logger.info({ function: registered.arn }, 'rotation function registered from the config file')
    } catch (error) {
      if (error instanceof InvalidFunctionSettings || error instanceof CodePackageError)
        throw new ConfigError(`function ${fn.name}: ${error.message}`)
      throw error
    }
  }
}

function settingsOf(fn: FunctionConfig): FunctionSettings {
  const { signingKeyFile, ...rest } = fn
  return {
    ...rest,
    ...(signingKeyFile !== undefined && {
      signingKey: readSigningKey(signingKeyFile, `function ${fn.name}`),
    }),
  }
}
