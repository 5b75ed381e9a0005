/**
 * Types of the runtime shape tables generated from the AWS models (`src/aws-api/<service>/schema.ts`) and of
 * the generated operation tables (`operations.ts`). The wire codecs (JSON, awsQuery/XML) and the audit
 * layer (redaction of sensitive members) walk these tables; shape references are by name.
 */

/** A reference from a structure member, list member or map key/value to a named shape. */
export interface MemberSchema {
  readonly shape: string
  /** Wire name when it differs from the member name (awsQuery/XML, restJson headers and query strings). */
  readonly locationName?: string
  /** restJson binding of the member: `header`, `headers`, `uri`, `querystring`, `statusCode`. */
  readonly location?: string
  readonly idempotencyToken?: true
  readonly flattened?: true
  readonly xmlNamespace?: XmlNamespace
  readonly xmlAttribute?: true
  readonly timestampFormat?: TimestampFormat
  readonly queryName?: string
  /** restJson header value that is JSON encoded. */
  readonly jsonvalue?: true
  readonly hostLabel?: true
  readonly deprecated?: true
}

export interface XmlNamespace {
  readonly uri: string
  readonly prefix?: string
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822'

interface ShapeCommon {
  /** The value must never be logged or echoed back in an error message. */
  readonly sensitive?: true
  readonly locationName?: string
  readonly xmlNamespace?: XmlNamespace
  readonly deprecated?: true
}

export interface StructureSchema extends ShapeCommon {
  readonly type: 'structure'
  readonly members: Readonly<Record<string, MemberSchema>>
  readonly required?: readonly string[]
  /** Members whose target shape is itself sensitive (convenience for redaction; not transitive). */
  readonly sensitiveMembers?: readonly string[]
  readonly exception?: true
  /** Server-side error (5xx). */
  readonly fault?: true
  readonly error?: {
    readonly code?: string
    readonly httpStatusCode?: number
    readonly senderFault?: boolean
  }
  /** Exactly one member is set. */
  readonly union?: true
  /** Free-form JSON document. */
  readonly document?: true
  /** restJson: the member that is the whole HTTP body. */
  readonly payload?: string
}

export interface ListSchema extends ShapeCommon {
  readonly type: 'list'
  readonly member: MemberSchema
  readonly min?: number
  readonly max?: number
  readonly flattened?: true
}

export interface MapSchema extends ShapeCommon {
  readonly type: 'map'
  readonly key: MemberSchema
  readonly value: MemberSchema
  readonly min?: number
  readonly max?: number
  readonly flattened?: true
}

export interface StringSchema extends ShapeCommon {
  readonly type: 'string'
  /** Length in code points. */
  readonly min?: number
  readonly max?: number
  /** As written in the model (Java regex syntax); the whole value must match. */
  readonly pattern?: string
  readonly enum?: readonly string[]
}

export interface NumberSchema extends ShapeCommon {
  readonly type: 'integer' | 'long' | 'double' | 'float'
  /** Value range. */
  readonly min?: number
  readonly max?: number
}

export interface BooleanSchema extends ShapeCommon {
  readonly type: 'boolean'
}

export interface TimestampSchema extends ShapeCommon {
  readonly type: 'timestamp'
  readonly timestampFormat?: TimestampFormat
}

export interface BlobSchema extends ShapeCommon {
  readonly type: 'blob'
  /** Length in bytes. */
  readonly min?: number
  readonly max?: number
  readonly streaming?: true
}

export type ShapeSchema =
  | StructureSchema
  | ListSchema
  | MapSchema
  | StringSchema
  | NumberSchema
  | BooleanSchema
  | TimestampSchema
  | BlobSchema

export type ShapeTable = Readonly<Record<string, ShapeSchema>>

/** One entry of a generated `operations` table. */
export interface OperationSpec {
  readonly name: string
  /** Input shape name; `undefined` when the operation takes no input. */
  readonly input: string | undefined
  /** Output shape name; `undefined` when the operation returns nothing. */
  readonly output: string | undefined
  /** Exception shape names, as listed by the model. */
  readonly errors: readonly string[]
  /** Validates a JSON-decoded request body and returns the typed input. */
  readonly parse: (raw: unknown) => unknown
  /** Input members the SDKs fill with a fresh UUID when the caller leaves them out. */
  readonly idempotencyTokens: readonly string[]
  /** awsQuery: the element wrapping the output (`<AssumeRoleResult>`). */
  readonly resultWrapper?: string
  readonly idempotent?: true
  readonly readonly?: true
  readonly deprecated?: true
  /** Only for the REST protocols. */
  readonly http?: { readonly method: string; readonly requestUri: string; readonly responseCode?: number }
}

export interface ServiceSpec {
  /** Coffer's id for the service (directory name under `src/aws-api`). */
  readonly id: string
  readonly apiVersion: string
  /** `json`, `query`, `rest-json`, ... as in the model metadata. */
  readonly protocol: string
  readonly endpointPrefix: string
  readonly signingName: string
  readonly serviceId: string
  readonly targetPrefix?: string
  readonly jsonVersion?: string
  readonly xmlNamespace?: string
  readonly globalEndpoint?: string
}
