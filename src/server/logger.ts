import { pino, type Logger } from 'pino'
import type { Config } from './config/config.js'

/**
 * Structured logs (JSON lines on stdout). Nothing that reaches a log line may carry a secret value:
 * request bodies are never logged, errors are logged by code, and these paths are redacted as a
 * second line of defence.
 */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: {
      paths: [
        'SecretString',
        'SecretBinary',
        'RandomPassword',
        '*.SecretString',
        '*.SecretBinary',
        'secretAccessKey',
        '*.secretAccessKey',
      ],
      censor: '[redacted]',
    },
  })
}
