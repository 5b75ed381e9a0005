/**
 * The services Coffer generates API code for. `operations` restricts generation to an allow-list (only
 * shapes reachable from those operations and their errors are emitted); omitted means every operation.
 */
export interface ServiceEntry {
  /** Directory under `src/aws-api/` and `service.id` in the generated metadata. */
  readonly id: string
  /** `<service>/<api-version>` under `models/`. */
  readonly model: string
  readonly operations?: readonly string[]
}

export const services: readonly ServiceEntry[] = [
  { id: 'secretsmanager', model: 'secretsmanager/2017-10-17' },
]
