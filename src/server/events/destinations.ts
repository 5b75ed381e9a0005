import { readSigningKey, type EventDestinationConfig } from '../config/events-config.js'

export interface Destination {
  readonly name: string
  readonly url: string
  readonly signingKey: Buffer
}

/**
 * The API destinations declared in the configuration (`events.destinations`). A destination may be
 * targeted from any account and region the deployment serves: its ARN is
 * `arn:aws:events:<region>:<account>:api-destination/<name>` in the rule's own account and region.
 * Keys are read once, when the server starts.
 */
export class ApiDestinations {
  private readonly byName: ReadonlyMap<string, Destination>

  constructor(configs: readonly EventDestinationConfig[]) {
    this.byName = new Map(
      configs.map((c) => [c.name, { name: c.name, url: c.url, signingKey: readSigningKey(c) }]),
    )
  }

  /** The destination a target ARN names, or undefined when no such destination is configured. */
  byArnName(name: string): Destination | undefined {
    return this.byName.get(name)
  }
}
