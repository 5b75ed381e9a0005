/**
 * Fault injection, a test facility: with `COFFER_FAULT=<point>` in the environment the process kills
 * itself (SIGKILL: no cleanup, as a crash) when it reaches that point. Read once at startup; when unset
 * every point is a call to an empty function. Points (docs/rotation.md):
 * `rotation:before-step:<step>` (the attempt is recorded as started, the function not yet invoked),
 * `rotation:after-step:<step>` (the function returned, its outcome not yet recorded),
 * `rotation:recorded:<step>` (the outcome and the run's next state committed);
 * `events:before-complete` (a request's change committed with its event held, not yet completed).
 */
export type Fault = (point: string) => void

export function faultFromEnv(env: NodeJS.ProcessEnv = process.env): Fault {
  const target = env['COFFER_FAULT']
  if (target === undefined || target === '') return () => undefined
  return (point) => {
    if (point === target) process.kill(process.pid, 'SIGKILL')
  }
}
