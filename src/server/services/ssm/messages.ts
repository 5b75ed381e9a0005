/**
 * AWS's wording for Parameter Store errors, in one place. Texts quoted in spec §5 are exact; those taken
 * from moto (an emulator) or written in AWS's style are marked. ParameterNotFound carries an empty
 * message on AWS (spec §5.2), except the Secrets Manager reference's own text (§5.3).
 */
export const msg = {
  parameterNotFound: '',
  // spec §5.3 (LS-val checks the "Secret <path> not found." part; full text from moto)
  secretReferenceNotFound: (path: string) =>
    `An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret ${path} not found.`,
  // spec §5.3 [iss]
  withDecryptionRequired: 'WithDecryption flag must be True for retrieving a Secret Manager secret.',
  // spec §5.1: the text LS-val checks contains "sub-paths divided by slash symbol" (full text from moto)
  invalidName:
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
  // [M] error shape documentation strings (the model quotes ParameterMaxVersionLimitExceeded's text)
  hierarchyLevels:
    'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.',
  invalidNextToken: "The specified token isn't valid.",
  tooManyTagsError:
    'The Targets parameter includes too many tags. Remove one or more tags and try the command again.',
  invalidResourceId: "The resource ID isn't valid. Verify that you entered the correct ID and try again.",
  invalidResourceType: "The resource type isn't valid.",
  tooManyUpdates: 'There are concurrent updates for a resource that supports one update at a time.',
  // moto
  reservedName: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
  reservedPath: (name: string) => `No access to reserved parameter name: ${name}.`,
  parameterExists:
    'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
  tagsWithOverwrite:
    "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
  typeRequired: 'A parameter type is required when you create a parameter.',
  emptyValue:
    "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
  versionNotFound: (version: string, name: string) =>
    `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
  maxVersions: (name: string, oldest: number) =>
    `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
  unsupportedDataType: (dataType: string) =>
    `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
  bothFilterKinds: 'You can use either Filters or ParameterFilters in a single request.',
  invalidFilterKey: (key: string, valid: string) =>
    `The following filter key is not valid: ${key}. Valid filter keys include: [${valid}].`,
  invalidFilterOption: (option: string, valid: string) =>
    `The following filter option is not valid: ${option}. Valid options include: [${valid}].`,
  invalidFilterValue: (value: string, valid: string) =>
    `The following filter value is not valid: ${value}. Valid values include: [${valid}].`,
  missingFilterValues: (key: string) =>
    `The following filter values are missing : null for filter key ${key}.`,
  duplicateFilter: (key: string) =>
    `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`,
  reservedPathFilter:
    'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.',
  invalidPath:
    'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
  // seen in GitHub issues quoting AWS (terraform-provider-aws); unverified here
  standardTooLarge:
    'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
  tierDowngrade:
    "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
  nestedParameter: 'Parameter value can\'t nest another parameter. Do not use "{{}}" in the value.',
  // unverified (AWS's style)
  advancedTooLarge:
    'Advanced tier parameters support a maximum parameter value of 8192 characters. Reduce the size of the parameter value and try again.',
  nameTooLong: (limit: number) =>
    `Parameter name: the fully qualified parameter name, including the ARN prefix, can't exceed ${limit} characters.`,
  patternMismatch: (pattern: string) =>
    `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
  invalidPattern: (pattern: string) => `The allowed pattern ${pattern} is not a valid regular expression.`,
  invalidAmiId: 'Parameter value, ami id format is invalid. Valid format: ami-12345abcdeEXAMPLE.',
  amiNeedsString: 'The aws:ec2:image data type is supported for String parameters only.',
  policiesUnsupported: 'Coffer does not support parameter policies.',
  invalidKeyId: (keyId: string) => `Invalid KeyId: ${keyId}`,
  keyUnavailable: (keyId: string) =>
    `The KMS key ${keyId} is not available: it is disabled or pending deletion.`,
  decryptionFailed: 'The parameter value could not be decrypted with its KMS key.',
  labelLimit:
    'A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.',
  tooManyTags: 'A parameter can have at most 50 tags.',
  secretReferenceFailed:
    'An error occurred when referencing Secrets Manager: the secret value could not be read.',
} as const
