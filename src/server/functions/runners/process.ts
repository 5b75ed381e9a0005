import type { Runner } from '../contract.js'

// Placeholder until the process runner lands: every invocation fails, visibly.
export const runProcess: Runner = async () => ({
  ok: false,
  error: { type: 'Runtime.Unavailable', message: 'process functions are not available in this build' },
  output: '',
  durationMs: 0,
})
