/**
 * The AWS error model shared by every wire protocol.
 *
 * A thrown `AwsError` is what the client sees: its `code` becomes `__type` / `x-amzn-ErrorType`
 * (awsJson1_1) or `<Code>` (awsQuery), its `status` the HTTP status. Messages must never carry secret
 * material. Service-specific errors are generated from the models (`src/aws-api/<service>/errors.ts`);
 * the errors below are the ones every AWS service answers without modelling them.
 */
export type ErrorFault = 'client' | 'server'

export interface AwsErrorSpec {
  /** Wire code, e.g. `ResourceNotFoundException` or (awsQuery) `NoSuchEntity`. */
  readonly code: string
  readonly status: number
  readonly fault: ErrorFault
  /** Name of the message member in the body: Secrets Manager uses `Message`, KMS `message`. */
  readonly messageMember?: 'Message' | 'message'
}

export class AwsError extends Error {
  readonly code: string
  readonly status: number
  readonly fault: ErrorFault
  readonly messageMember: 'Message' | 'message'
  /** Extra modelled members sent next to the message (rare; e.g. KMS `DryRunOperationException`). */
  readonly fields: Readonly<Record<string, unknown>> | undefined

  constructor(spec: AwsErrorSpec, message: string, fields?: Record<string, unknown>) {
    super(message)
    this.name = spec.code
    this.code = spec.code
    this.status = spec.status
    this.fault = spec.fault
    this.messageMember = spec.messageMember ?? 'Message'
    this.fields = fields
  }
}

const client = (code: string, status = 400): AwsErrorSpec => ({ code, status, fault: 'client' })

/** Constraint violations found by the generated validators ("1 validation error detected: ..."). */
export class ValidationException extends AwsError {
  constructor(message: string) {
    super(client('ValidationException'), message)
  }
}

/** The body is not JSON, or a member has the wrong JSON type. */
export class SerializationException extends AwsError {
  constructor(message: string) {
    super(client('SerializationException'), message)
  }
}

export class UnknownOperationException extends AwsError {
  constructor(message = 'The requested operation is not recognized by the service.') {
    super(client('UnknownOperationException'), message)
  }
}

export class MissingAuthenticationTokenException extends AwsError {
  constructor(message = 'Missing Authentication Token') {
    super(client('MissingAuthenticationTokenException'), message)
  }
}

export class IncompleteSignatureException extends AwsError {
  constructor(message: string) {
    super(client('IncompleteSignatureException'), message)
  }
}

export class InvalidSignatureException extends AwsError {
  constructor(
    message = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  ) {
    super(client('InvalidSignatureException'), message)
  }
}

export class UnrecognizedClientException extends AwsError {
  constructor(message = 'The security token included in the request is invalid.') {
    super(client('UnrecognizedClientException'), message)
  }
}

export class ExpiredTokenException extends AwsError {
  constructor(message = 'The security token included in the request is expired') {
    super(client('ExpiredTokenException'), message)
  }
}

export class AccessDeniedException extends AwsError {
  constructor(message: string) {
    super(client('AccessDeniedException'), message)
  }
}

export class ThrottlingException extends AwsError {
  constructor(message = 'Rate exceeded') {
    super(client('ThrottlingException'), message)
  }
}

export class RequestEntityTooLargeException extends AwsError {
  constructor(limit: number) {
    super(
      client('RequestEntityTooLargeException', 413),
      `Request body exceeds the maximum of ${limit} bytes.`,
    )
  }
}

/** An operation Coffer does not implement yet. 501 is not retried by the AWS SDKs. */
export class NotImplementedError extends AwsError {
  constructor(operation: string) {
    super(
      { code: 'NotImplemented', status: 501, fault: 'server' },
      `${operation} is not implemented by this version of Coffer.`,
    )
  }
}

/** The catch-all for anything unexpected; carries no detail by design. */
export class InternalFailure extends AwsError {
  constructor(code = 'InternalFailure', message = 'An internal error occurred.') {
    super({ code, status: 500, fault: 'server' }, message)
  }
}
