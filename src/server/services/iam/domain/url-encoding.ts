/**
 * IAM returns policy documents URL-encoded (`%7B%22Version%22...`) in every response member of type
 * `policyDocumentType`; botocore and the AWS CLI decode them, the JS SDK hands them over as they are.
 * Spaces become `%20` (not `+`): Python's `unquote`, which the CLI applies, leaves `+` alone.
 */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document)
}
