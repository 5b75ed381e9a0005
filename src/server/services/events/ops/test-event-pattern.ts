import { ValidationException } from '../../../../lib/aws/errors.js'
import type { OperationDef } from '../../../core/operation.js'
import { eventsOperation } from '../define.js'
import { msg } from '../messages.js'
import { compileEventPattern } from '../rules.js'

/** The envelope members TestEventPattern requires of its event (reference §4). */
const REQUIRED = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const

export function testEventPattern(): OperationDef {
  return eventsOperation('TestEventPattern', { readOnly: true }, async (input) => {
    const pattern = compileEventPattern(input.EventPattern)
    let event: unknown
    try {
      event = JSON.parse(input.Event)
    } catch {
      throw new ValidationException(msg.invalidEvent)
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event))
      throw new ValidationException(msg.invalidEvent)
    if (REQUIRED.some((key) => !Object.hasOwn(event, key))) throw new ValidationException(msg.invalidEvent)
    return { Result: pattern.matches(event) }
  })
}
