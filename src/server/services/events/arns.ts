import { ResourceNotFoundException } from '../../../aws-api/events/errors.js'
import { msg } from './messages.js'

/** Where a rule lives: an account's default event bus in one region. */
export interface BusScope {
  readonly accountId: string
  readonly region: string
}

export function ruleArn(scope: BusScope, name: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:rule/${name}`
}

export function busArn(scope: BusScope): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/default`
}

export function destinationArn(scope: BusScope, name: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:api-destination/${name}`
}

const DESTINATION = /^arn:aws:events:([^:]+):(\d{12}):api-destination\/([.\-_A-Za-z0-9]+)$/

/** The scope and name of an API destination ARN, or undefined when it is not one. */
export function parseDestinationArn(arn: string): (BusScope & { name: string }) | undefined {
  const m = DESTINATION.exec(arn)
  if (m === null) return undefined
  return { region: m[1] as string, accountId: m[2] as string, name: m[3] as string }
}

/**
 * Only the default bus exists: `EventBusName` may be omitted, `default`, or the default bus's ARN in the
 * caller's account and region; anything else is ResourceNotFoundException.
 */
export function requireDefaultBus(scope: BusScope, name: string | undefined): void {
  if (name === undefined || name === 'default' || name === busArn(scope)) return
  throw new ResourceNotFoundException(msg.busNotFound(name))
}
