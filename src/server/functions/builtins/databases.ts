import type { BuiltinHandler, BuiltinName } from '../contract.js'
import { alternatingUsersRotator, singleUserRotator } from './database-rotation.js'
import { mysqlEngine } from './mysql-engine.js'
import { postgresEngine } from './postgres-engine.js'
import { rotationHandler } from './rotation-protocol.js'

/** The database built-ins (docs/rotation-builtins.md): the AWS RDS rotation templates' behaviour. */
export const databaseRotators: Record<Exclude<BuiltinName, 'coffer-random-password'>, BuiltinHandler> = {
  'coffer-postgres-single-user': rotationHandler(singleUserRotator(postgresEngine)),
  'coffer-postgres-alternating-users': rotationHandler(alternatingUsersRotator(postgresEngine)),
  'coffer-mysql-single-user': rotationHandler(singleUserRotator(mysqlEngine)),
  'coffer-mysql-alternating-users': rotationHandler(alternatingUsersRotator(mysqlEngine)),
}
