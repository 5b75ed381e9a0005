"""boto3 (botocore) against a running Coffer server: the SSM Parameter Store behaviour real clients see.

Run by boto3.test.ts, which starts a server and sets:
  COFFER_ENDPOINT              the server's endpoint URL
  AWS_SHARED_CREDENTIALS_FILE  the server's credentials file (carries the region)
  AWS_CONFIG_FILE=/dev/null, a temporary HOME, no other AWS_* variables.

Targets the Debian client (boto3 1.26 / botocore 1.29). Stdlib + boto3/botocore only.
Every test uses its own parameter names.
"""

import base64
import json
import os
import sys
import unittest
import uuid

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as error:  # pragma: no cover - environment problem, not a test result
    sys.stderr.write('boto3/botocore missing (%s): apt-get install awscli python3-boto3\n' % error)
    raise SystemExit(2)

ENDPOINT = os.environ.get('COFFER_ENDPOINT', '')
PREFIX = '/aws/reference/secretsmanager/'
INVALID_NAME = (
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, '
    'it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, '
    'numbers and the following 3 symbols .-_'
)


def setUpModule():
    if not ENDPOINT:
        raise RuntimeError('COFFER_ENDPOINT is not set (run through test/compat/ssm/boto3.test.ts)')


def unique(prefix):
    return '/py-%s-%s' % (prefix, uuid.uuid4().hex[:12])


class SsmTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        session = boto3.session.Session()
        config = Config(retries={'mode': 'standard', 'total_max_attempts': 1})
        cls.ssm = session.client('ssm', endpoint_url=ENDPOINT, config=config)
        cls.sm = session.client('secretsmanager', endpoint_url=ENDPOINT, config=config)

    def error(self, call, code, message=None, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        err = caught.exception.response['Error']
        self.assertEqual(err['Code'], code, caught.exception.response)
        self.assertEqual(caught.exception.response['ResponseMetadata']['HTTPStatusCode'], 400)
        if message is not None:
            self.assertEqual(err.get('Message', ''), message)
        return err

    def put(self, name, value, **kwargs):
        return self.ssm.put_parameter(Name=name, Value=value, **kwargs)

    # -- PutParameter / GetParameter ---------------------------------------------------------------

    def test_put_and_get_each_type(self):
        base = unique('types')
        self.assertEqual(self.put(base + '/s', 'plain', Type='String')['Version'], 1)
        self.put(base + '/l', 'a,b', Type='StringList')
        out = self.put(base + '/x', 'secret', Type='SecureString')
        self.assertEqual((out['Version'], out['Tier']), (1, 'Standard'))
        p = self.ssm.get_parameter(Name=base + '/s')['Parameter']
        self.assertEqual((p['Name'], p['Type'], p['Value'], p['Version'], p['DataType']),
                         (base + '/s', 'String', 'plain', 1, 'text'))
        self.assertTrue(p['ARN'].endswith(':parameter' + base + '/s'))
        self.assertEqual(self.ssm.get_parameter(Name=base + '/l')['Parameter']['Value'], 'a,b')
        hidden = self.ssm.get_parameter(Name=base + '/x')['Parameter']['Value']
        self.assertNotEqual(hidden, 'secret')
        base64.b64decode(hidden, validate=True)
        shown = self.ssm.get_parameter(Name=base + '/x', WithDecryption=True)['Parameter']
        self.assertEqual(shown['Value'], 'secret')

    def test_missing_parameter_has_an_empty_message(self):
        self.error(self.ssm.get_parameter, 'ParameterNotFound', '', Name=unique('none'))
        self.error(self.ssm.delete_parameter, 'ParameterNotFound', '', Name=unique('none'))

    def test_leading_slash_and_echo(self):
        name = unique('slash')[1:]
        self.put(name, 'v', Type='String')
        self.assertEqual(self.ssm.get_parameter(Name='/' + name)['Parameter']['Name'], '/' + name)
        self.assertEqual(self.ssm.get_parameter(Name=name)['Parameter']['Name'], name)

    def test_overwrite_versions_and_selectors(self):
        name = unique('ow')
        self.put(name, 'v1', Type='String')
        self.error(self.put, 'ParameterAlreadyExists', name=name, value='v2', Type='String')
        self.assertEqual(self.put(name, 'v2', Overwrite=True)['Version'], 2)
        self.error(self.put, 'ValidationException', name=name, value='v3', Overwrite=True,
                   Tags=[{'Key': 'k', 'Value': 'v'}])
        self.ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=['first'])
        by_version = self.ssm.get_parameter(Name=name + ':1')['Parameter']
        self.assertEqual((by_version['Value'], by_version['Selector']), ('v1', ':1'))
        by_label = self.ssm.get_parameter(Name=name + ':first')['Parameter']
        self.assertEqual((by_label['Value'], by_label['Selector']), ('v1', ':first'))
        self.assertNotIn('Selector', self.ssm.get_parameter(Name=name)['Parameter'])
        self.error(self.ssm.get_parameter, 'ParameterVersionNotFound', Name=name + ':9')
        arn = self.ssm.get_parameter(Name=name)['Parameter']['ARN']
        self.assertEqual(self.ssm.get_parameter(Name=arn)['Parameter']['Name'], name)

    def test_name_rules(self):
        self.error(self.put, 'ValidationException', INVALID_NAME, name='a/b', value='v', Type='String')
        self.error(self.put, 'ValidationException', INVALID_NAME, name='/a//b', value='v', Type='String')
        self.error(self.put, 'ValidationException', name='aws-x', value='v', Type='String')
        self.error(self.put, 'AccessDeniedException', 'No access to reserved parameter name: /aws/x.',
                   name='/aws/x', value='v', Type='String')
        self.error(self.put, 'HierarchyLevelLimitExceededException',
                   name=unique('deep') + '/l' * 15, value='v', Type='String')

    def test_allowed_pattern_tier_and_data_type(self):
        name = unique('rules')
        self.error(self.put, 'ParameterPatternMismatchException', name=name, value='abc', Type='String',
                   AllowedPattern='^[0-9]+$')
        self.error(self.put, 'ValidationException', name=name, value='x' * 4097, Type='String')
        self.assertEqual(self.put(name, 'x' * 4097, Type='String', Tier='Advanced')['Tier'], 'Advanced')
        self.error(self.put, 'ValidationException', name=name, value='x', Overwrite=True, Tier='Standard')
        self.error(self.put, 'ValidationException',
                   'The following data type is not supported: TEXT (Data type names are all lowercase.)',
                   name=unique('dt'), value='x', Type='String', DataType='TEXT')

    # -- GetParameters / GetParametersByPath / DescribeParameters ------------------------------

    def test_get_parameters_sorted_with_invalid_parameters(self):
        base = unique('many')
        for n in ('b', 'a'):
            self.put(base + '/' + n, n, Type='String')
        out = self.ssm.get_parameters(Names=[base + '/b', base + '/zz', base + '/a'])
        self.assertEqual([p['Name'] for p in out['Parameters']], [base + '/a', base + '/b'])
        self.assertEqual(out['InvalidParameters'], [base + '/zz'])
        self.assertEqual(self.ssm.get_parameters(Names=[base + '/a'])['InvalidParameters'], [])

    def test_get_parameters_by_path_paginated(self):
        base = unique('path')
        for n in ('a', 'b', 'c', 'sub/d'):
            self.put(base + '/' + n, n, Type='SecureString')
        pages = self.ssm.get_paginator('get_parameters_by_path').paginate(
            Path=base, Recursive=True, WithDecryption=True, PaginationConfig={'PageSize': 1})
        values = [p['Value'] for page in pages for p in page['Parameters']]
        self.assertEqual(values, ['a', 'b', 'c', 'sub/d'])
        one_level = self.ssm.get_parameters_by_path(Path=base)['Parameters']
        self.assertEqual(len(one_level), 3)
        self.error(self.ssm.get_parameters_by_path, 'InvalidFilterKey', Path=base,
                   ParameterFilters=[{'Key': 'Name', 'Values': ['x']}])
        typed = self.ssm.get_parameters_by_path(
            Path=base, Recursive=True, ParameterFilters=[{'Key': 'Type', 'Values': ['SecureString']}])
        self.assertEqual(len(typed['Parameters']), 4)

    def test_describe_parameters_filters(self):
        base = unique('desc')
        self.put(base + '/a', 'a', Type='String', Tags=[{'Key': 'team', 'Value': 'x'}])
        self.put(base + '/b', 'b', Type='SecureString', Description='bee')
        pages = self.ssm.get_paginator('describe_parameters').paginate(
            ParameterFilters=[{'Key': 'Path', 'Option': 'Recursive', 'Values': [base]}])
        meta = [p for page in pages for p in page['Parameters']]
        self.assertEqual([p['Name'] for p in meta], [base + '/a', base + '/b'])
        self.assertEqual(meta[1]['KeyId'], 'alias/aws/ssm')
        self.assertEqual(meta[1]['Description'], 'bee')
        self.assertNotIn('Value', meta[0])
        tagged = self.ssm.describe_parameters(ParameterFilters=[{'Key': 'tag:team', 'Values': ['x']}])
        self.assertEqual([p['Name'] for p in tagged['Parameters']], [base + '/a'])
        self.error(self.ssm.describe_parameters, 'InvalidFilterKey',
                   ParameterFilters=[{'Key': 'Label', 'Values': ['x']}])
        self.error(self.ssm.describe_parameters, 'ValidationException',
                   'You can use either Filters or ParameterFilters in a single request.',
                   Filters=[{'Key': 'Name', 'Values': ['x']}],
                   ParameterFilters=[{'Key': 'Name', 'Values': ['x']}])

    # -- Labels, history, delete, tags ---------------------------------------------------------

    def test_labels_and_history(self):
        name = unique('hist')
        self.put(name, 'one', Type='SecureString')
        self.put(name, 'two', Overwrite=True)
        out = self.ssm.label_parameter_version(Name=name, Labels=['prod', '9bad'])
        self.assertEqual((out['InvalidLabels'], out['ParameterVersion']), (['9bad'], 2))
        self.ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=['prod'])
        history = self.ssm.get_parameter_history(Name=name, WithDecryption=True)['Parameters']
        self.assertEqual([(p['Version'], p['Value'], p['Labels']) for p in history],
                         [(1, 'one', ['prod']), (2, 'two', [])])
        removed = self.ssm.unlabel_parameter_version(Name=name, ParameterVersion=1, Labels=['prod', 'x'])
        self.assertEqual((removed['RemovedLabels'], removed['InvalidLabels']), (['prod'], ['x']))
        self.ssm.label_parameter_version(Name=name, Labels=['l%d' % i for i in range(10)])
        self.error(self.ssm.label_parameter_version, 'ParameterVersionLabelLimitExceeded',
                   Name=name, Labels=['eleventh'])

    def test_delete_parameters_and_tags(self):
        base = unique('del')
        self.put(base + '/a', 'a', Type='String')
        self.put(base + '/b', 'b', Type='String')
        self.ssm.add_tags_to_resource(ResourceType='Parameter', ResourceId=base + '/a',
                                      Tags=[{'Key': 'managed-by', 'Value': 'external-secrets'}])
        tags = self.ssm.list_tags_for_resource(ResourceType='Parameter', ResourceId=base + '/a')['TagList']
        self.assertEqual(tags, [{'Key': 'managed-by', 'Value': 'external-secrets'}])
        self.ssm.remove_tags_from_resource(ResourceType='Parameter', ResourceId=base + '/a',
                                           TagKeys=['managed-by'])
        self.assertEqual(
            self.ssm.list_tags_for_resource(ResourceType='Parameter', ResourceId=base + '/a')['TagList'], [])
        self.error(self.ssm.list_tags_for_resource, 'InvalidResourceId', ResourceType='Parameter',
                   ResourceId=base + '/none')
        out = self.ssm.delete_parameters(Names=[base + '/a', base + '/none', base + '/b'])
        self.assertEqual(out['DeletedParameters'], [base + '/a', base + '/b'])
        self.assertEqual(out['InvalidParameters'], [base + '/none'])
        self.put(base + '/c', 'c', Type='String')
        self.ssm.delete_parameter(Name=base + '/c')
        self.error(self.ssm.get_parameter, 'ParameterNotFound', '', Name=base + '/c')

    # -- Secrets Manager passthrough -----------------------------------------------------------

    def test_secrets_manager_reference(self):
        name = 'py/ref-%s' % uuid.uuid4().hex[:12]
        created = self.sm.create_secret(Name=name, SecretString='{"k":"v"}')
        p = self.ssm.get_parameter(Name=PREFIX + name, WithDecryption=True)['Parameter']
        self.assertEqual((p['Name'], p['Type'], p['Value'], p['Version'], p['ARN']),
                         (PREFIX + name, 'SecureString', '{"k":"v"}', 0, created['ARN']))
        self.assertEqual(json.loads(p['SourceResult'])['name'], name)
        staged = self.ssm.get_parameter(Name=PREFIX + name + ':AWSCURRENT', WithDecryption=True)['Parameter']
        self.assertEqual((staged['Name'], staged['Selector']), (PREFIX + name, ':AWSCURRENT'))
        self.error(self.ssm.get_parameter, 'ValidationException',
                   'WithDecryption flag must be True for retrieving a Secret Manager secret.',
                   Name=PREFIX + name)
        missing = PREFIX + 'py/absent-' + uuid.uuid4().hex[:8]
        self.error(self.ssm.get_parameter, 'ParameterNotFound',
                   'An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret %s not found.'
                   % missing, Name=missing, WithDecryption=True)
        out = self.ssm.get_parameters(Names=[PREFIX + name, missing], WithDecryption=True)
        self.assertEqual([x['Name'] for x in out['Parameters']], [PREFIX + name])
        self.assertEqual(out['InvalidParameters'], [missing])


if __name__ == '__main__':
    unittest.main()
