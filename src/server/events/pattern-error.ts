/**
 * A pattern the service refuses, with event-ruler's reason text (reference §4). The EventBridge API turns
 * it into `InvalidEventPatternException: Event pattern is not valid. Reason: <reason>`.
 */
export class PatternError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'PatternError'
  }
}
