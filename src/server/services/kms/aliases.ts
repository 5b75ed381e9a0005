import { InvalidAliasNameException } from '../../../aws-api/kms/errors.js'
import { AwsError, ValidationException } from '../../../lib/aws/errors.js'
import { msg } from './messages.js'

/**
 * KMS's answer to an alias in the reserved `alias/aws/` namespace: `NotAuthorizedException` with an
 * empty message, which the model does not list (as moto answers; unverified against AWS).
 */
export class NotAuthorizedException extends AwsError {
  constructor() {
    super({ code: 'NotAuthorizedException', status: 400, fault: 'client', messageMember: 'message' }, '')
  }
}

/**
 * An alias name a request creates, moves or deletes: `alias/` prefix (ValidationException, spec §4),
 * not in the reserved `alias/aws/` namespace, and for new aliases only the characters AWS allows in
 * names (letters, digits, `/`, `_`, `-`; the model's pattern also admits `:` for ARNs).
 */
export function assertAliasName(aliasName: string, creating: boolean): void {
  if (!aliasName.startsWith('alias/')) throw new ValidationException(msg.aliasPrefix)
  if (aliasName.startsWith('alias/aws/')) throw new NotAuthorizedException()
  if (creating && !/^alias\/[a-zA-Z0-9/_-]+$/.test(aliasName))
    throw new InvalidAliasNameException(msg.aliasName(aliasName))
}
