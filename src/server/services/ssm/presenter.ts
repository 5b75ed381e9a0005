import type { Parameter, ParameterHistory, ParameterMetadata } from '../../../aws-api/ssm/types.js'
import { parameterArn } from './domain/names.js'
import type { ParameterRecord, ParameterVersion } from './store.js'

/**
 * The three views of a parameter (spec §5.2), with AWS's presence rules: Description and
 * AllowedPattern only when set, KeyId for SecureString only, Labels and Policies always (possibly empty)
 * in the history, Selector only when the caller used one.
 */
export function parameterView(
  parameter: ParameterRecord,
  version: ParameterVersion,
  options: { readonly name: string | undefined; readonly value: string; readonly selector?: string },
): Parameter {
  return {
    Name: options.name ?? parameter.name,
    Type: version.type,
    Value: options.value,
    Version: version.version,
    ...(options.selector !== undefined && { Selector: options.selector }),
    LastModifiedDate: new Date(version.lastModifiedAt),
    ARN: parameterArn(parameter, parameter.key),
    DataType: version.dataType,
  }
}

export function metadataView(parameter: ParameterRecord): ParameterMetadata {
  const latest = parameter.latest
  return {
    Name: parameter.name,
    ARN: parameterArn(parameter, parameter.key),
    Type: latest.type,
    ...(latest.keyId !== undefined && { KeyId: latest.keyId }),
    LastModifiedDate: new Date(latest.lastModifiedAt),
    LastModifiedUser: latest.lastModifiedUser,
    ...(latest.description !== undefined && latest.description !== '' && { Description: latest.description }),
    ...(latest.allowedPattern !== undefined &&
      latest.allowedPattern !== '' && { AllowedPattern: latest.allowedPattern }),
    Version: latest.version,
    Tier: latest.tier,
    Policies: [],
    DataType: latest.dataType,
  }
}

export function historyView(name: string, version: ParameterVersion, value: string): ParameterHistory {
  return {
    Name: name,
    Type: version.type,
    ...(version.keyId !== undefined && { KeyId: version.keyId }),
    LastModifiedDate: new Date(version.lastModifiedAt),
    LastModifiedUser: version.lastModifiedUser,
    ...(version.description !== undefined &&
      version.description !== '' && { Description: version.description }),
    Value: value,
    ...(version.allowedPattern !== undefined &&
      version.allowedPattern !== '' && { AllowedPattern: version.allowedPattern }),
    Version: version.version,
    Labels: [...version.labels],
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  }
}
