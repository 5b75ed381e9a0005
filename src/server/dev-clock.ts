import { readFileSync, statSync } from 'node:fs'
import type { Logger } from 'pino'
import type { Clock } from '../lib/clock.js'
import type { Config } from './config/config.js'

const RECHECK_MS = 50

/**
 * A test facility, honoured only in dev mode: `COFFER_DEV_CLOCK_FILE=<path>` names a file holding a
 * number of milliseconds added to the system clock (`86400000` = one day ahead). The file is re-read
 * when it changes (looked at no more than every 50 ms), so a test moves the server's time by writing it;
 * a missing or unreadable file means no offset. Outside dev mode the variable is ignored, with a warning.
 */
export function withDevClock(config: Config, clock: Clock, logger: Logger): Clock {
  const path = process.env['COFFER_DEV_CLOCK_FILE']
  if (path === undefined || path === '') return clock
  if (!config.dev) {
    logger.warn('COFFER_DEV_CLOCK_FILE is ignored outside dev mode')
    return clock
  }
  logger.warn({ path }, 'DEV MODE: the server clock follows an offset file')
  let offset = 0
  let mtime = -1
  let checkedAt = -Infinity
  return {
    now: () => {
      const real = clock.now()
      if (real - checkedAt >= RECHECK_MS) {
        checkedAt = real
        try {
          const changed = statSync(path).mtimeMs
          if (changed !== mtime) {
            mtime = changed
            const value = Number(readFileSync(path, 'utf8').trim())
            offset = Number.isFinite(value) ? value : 0
          }
        } catch {
          offset = 0
          mtime = -1
        }
      }
      return real + offset
    },
  }
}
