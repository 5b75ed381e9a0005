import { AwsError } from '../../../../lib/aws/errors.js'

/**
 * The one place the domain modules create `InvalidParameterException`. It builds the error by hand so these
 * modules don't depend on the generated `src/aws-api/secretsmanager/errors.ts`; switch this to the generated
 * class once it exists and every caller follows.
 */
export function invalidParameter(message: string): AwsError {
  return new AwsError({ code: 'InvalidParameterException', status: 400, fault: 'client' }, message)
}
