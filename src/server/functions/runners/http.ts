import type { Runner } from '../contract.js'

// Placeholder until the webhook runner lands: every invocation fails, visibly.
export const runHttp: Runner = async () => ({
  ok: false,
  error: { type: 'Runtime.Unavailable', message: 'webhook functions are not available in this build' },
  output: '',
  durationMs: 0,
})
