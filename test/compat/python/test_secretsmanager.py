"""boto3 (botocore) against a running Coffer server: the AWS Secrets Manager behaviour real clients see.

Run by boto3.test.ts, which starts a server and sets:
  COFFER_ENDPOINT              the server's endpoint URL
  AWS_SHARED_CREDENTIALS_FILE  the server's credentials file (carries `region = us-east-1`)
  AWS_CONFIG_FILE=/dev/null, a temporary HOME, no other AWS_* variables.

Targets the Debian client (boto3 1.26 / botocore 1.29): its Secrets Manager model has no
BatchGetSecretValue and no ListSecrets SortBy, so those are not exercised here.
Stdlib + boto3/botocore only. Every test uses its own secret names.
"""

import datetime
import json
import os
import re
import sys
import time
import unittest
import uuid

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as error:  # pragma: no cover - environment problem, not a test result
    sys.stderr.write(
        'boto3/botocore missing (%s): apt-get install awscli python3-boto3\n' % error
    )
    raise SystemExit(2)

ENDPOINT = os.environ.get('COFFER_ENDPOINT', '')
CREDENTIALS_FILE = os.environ.get('AWS_SHARED_CREDENTIALS_FILE', '')

NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
INVALID_NAME = (
    'Invalid name. Must be a valid name containing alphanumeric characters, '
    'or any of the following: -/_+=.@!'
)
PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'


def setUpModule():
    if not ENDPOINT:
        raise RuntimeError('COFFER_ENDPOINT is not set (run through test/compat/python/boto3.test.ts)')
    if not CREDENTIALS_FILE or not os.path.isfile(CREDENTIALS_FILE):
        raise RuntimeError('AWS_SHARED_CREDENTIALS_FILE must name the server credentials file')


def unique(prefix):
    return 'py-%s-%s' % (prefix, uuid.uuid4().hex[:12])


def token():
    return str(uuid.uuid4())


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


class SecretsManagerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # No region argument: it must come from the credentials file, as for the CLI user story.
        cls.session = boto3.session.Session()
        cls.sm = cls.session.client(
            'secretsmanager',
            endpoint_url=ENDPOINT,
            config=Config(
                retries={'mode': 'standard', 'total_max_attempts': 1},
                connect_timeout=10,
                read_timeout=30,
            ),
        )

    # -- helpers -------------------------------------------------------------------------------

    def assertError(self, code, message, call, **kwargs):
        """Runs call(**kwargs), expects a ClientError with `code` (and `message` unless None)."""
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        response = caught.exception.response
        self.assertEqual(response['Error']['Code'], code, response)
        if message is not None:
            self.assertEqual(response['Error']['Message'], message)
        return response

    def assertTimestamp(self, value):
        self.assertIsInstance(value, datetime.datetime)
        self.assertIsNotNone(value.tzinfo)
        # Plausible: within a day of now (the server runs on this machine).
        self.assertLess(abs((value - utcnow()).total_seconds()), 86400 * 31)

    def create(self, prefix='s', **kwargs):
        name = unique(prefix)
        created = self.sm.create_secret(Name=name, **kwargs)
        return name, created

    def versions(self, name, include_deprecated=False):
        listed = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=include_deprecated)
        return {v['VersionId']: v.get('VersionStages') for v in listed['Versions']}

    def list_names(self, *filters):
        names = []
        paginator = self.sm.get_paginator('list_secrets')
        for page in paginator.paginate(Filters=list(filters)):
            names.extend(entry['Name'] for entry in page['SecretList'])
        return names

    # -- configuration -------------------------------------------------------------------------

    def test_region_comes_from_the_credentials_file(self):
        self.assertEqual(self.sm.meta.region_name, 'us-east-1')
        self.assertEqual(self.session.get_credentials().access_key[:4], 'AKIA')

    # -- CreateSecret / GetSecretValue -----------------------------------------------------------

    def test_create_and_get_string_secret(self):
        value = json.dumps({'user': 'a', 'password': 'b'})
        name, created = self.create('string', SecretString=value, Description='db creds')
        self.assertEqual(created['Name'], name)
        self.assertRegex(
            created['ARN'],
            r'^arn:aws:secretsmanager:us-east-1:\d{12}:secret:%s-[A-Za-z0-9]{6}$' % re.escape(name),
        )
        self.assertEqual(created['ResponseMetadata']['HTTPStatusCode'], 200)
        self.assertIn('x-amzn-requestid', created['ResponseMetadata']['HTTPHeaders'])
        got = self.sm.get_secret_value(SecretId=name)
        self.assertEqual(got['SecretString'], value)
        self.assertNotIn('SecretBinary', got)
        self.assertEqual(got['ARN'], created['ARN'])
        self.assertEqual(got['Name'], name)
        self.assertEqual(got['VersionId'], created['VersionId'])
        self.assertEqual(got['VersionStages'], ['AWSCURRENT'])
        self.assertTimestamp(got['CreatedDate'])

    def test_secret_binary_round_trips_as_bytes(self):
        blob = bytes(range(256)) + b'\x00\xff'
        name, _ = self.create('binary', SecretBinary=blob)
        got = self.sm.get_secret_value(SecretId=name)
        self.assertIsInstance(got['SecretBinary'], bytes)
        self.assertEqual(got['SecretBinary'], blob)
        self.assertNotIn('SecretString', got)

    def test_get_by_full_and_partial_arn(self):
        name, created = self.create('arn', SecretString='v')
        arn = created['ARN']
        self.assertEqual(self.sm.get_secret_value(SecretId=arn)['SecretString'], 'v')
        partial = arn[: -len('-XXXXXX')]
        self.assertEqual(self.sm.get_secret_value(SecretId=partial)['SecretString'], 'v')
        wrong_suffix = partial + '-zzzzzz' if not arn.endswith('zzzzzz') else partial + '-yyyyyy'
        self.assertError(
            'ResourceNotFoundException', NOT_FOUND, self.sm.get_secret_value, SecretId=wrong_suffix
        )

    def test_name_ending_like_an_arn_suffix_is_not_found_by_partial_arn(self):
        name = unique('quirk') + '-a1b2c3'
        created = self.sm.create_secret(Name=name, SecretString='v')
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v')
        partial = created['ARN'][: -len('-XXXXXX')]
        self.assertError('ResourceNotFoundException', NOT_FOUND, self.sm.get_secret_value, SecretId=partial)

    def test_create_without_value(self):
        name, created = self.create('novalue', Description='later')
        self.assertNotIn('VersionId', created)
        described = self.sm.describe_secret(SecretId=name)
        self.assertNotIn('VersionIdsToStages', described)
        self.assertError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
            self.sm.get_secret_value,
            SecretId=name,
        )
        put = self.sm.put_secret_value(SecretId=name, SecretString='first')
        self.assertEqual(put['VersionStages'], ['AWSCURRENT'])
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'first')

    def test_create_existing_name_is_resource_exists(self):
        name, _ = self.create('exists', SecretString='one')
        self.assertError(
            'ResourceExistsException',
            'The operation failed because the secret %s already exists.' % name,
            self.sm.create_secret,
            Name=name,
            SecretString='two',
        )

    def test_create_retry_with_same_token_and_value_is_idempotent(self):
        name = unique('idem')
        request_token = token()
        first = self.sm.create_secret(Name=name, SecretString='v', ClientRequestToken=request_token)
        again = self.sm.create_secret(Name=name, SecretString='v', ClientRequestToken=request_token)
        self.assertEqual(first['VersionId'], request_token)
        self.assertEqual(again['ARN'], first['ARN'])
        self.assertEqual(again['VersionId'], request_token)
        self.assertEqual(list(self.versions(name)), [request_token])
        self.assertError(
            'ResourceExistsException',
            None,
            self.sm.create_secret,
            Name=name,
            SecretString='other',
            ClientRequestToken=request_token,
        )

    def test_create_with_tags_description_and_default_kms_alias(self):
        name, _ = self.create(
            'meta',
            SecretString='v',
            Description='described',
            KmsKeyId='alias/aws/secretsmanager',
            Tags=[{'Key': 'team', 'Value': 'core'}, {'Key': 'Env', 'Value': 'prod'}],
        )
        described = self.sm.describe_secret(SecretId=name)
        self.assertEqual(described['Description'], 'described')
        self.assertNotIn('KmsKeyId', described)
        self.assertEqual(
            sorted((t['Key'], t['Value']) for t in described['Tags']),
            [('Env', 'prod'), ('team', 'core')],
        )
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v')

    def test_invalid_names_are_validation_exceptions(self):
        response = self.assertError(
            'ValidationException', INVALID_NAME, self.sm.create_secret, Name='Inv Name', SecretString='v'
        )
        self.assertEqual(response['ResponseMetadata']['HTTPStatusCode'], 400)
        self.assertError('ValidationException', INVALID_NAME, self.sm.get_secret_value, SecretId='Inv Name')
        self.assertError('ValidationException', INVALID_NAME, self.sm.describe_secret, SecretId='bad#name')

    def test_unknown_secret_is_resource_not_found_everywhere(self):
        missing = unique('missing')
        calls = [
            (self.sm.get_secret_value, {'SecretId': missing}),
            (self.sm.describe_secret, {'SecretId': missing}),
            (self.sm.put_secret_value, {'SecretId': missing, 'SecretString': 'v'}),
            (self.sm.update_secret, {'SecretId': missing, 'Description': 'd'}),
            (self.sm.update_secret, {'SecretId': missing, 'SecretString': 'v'}),
            (
                self.sm.update_secret_version_stage,
                {'SecretId': missing, 'VersionStage': 'x', 'MoveToVersionId': token()},
            ),
            (self.sm.list_secret_version_ids, {'SecretId': missing}),
            (self.sm.delete_secret, {'SecretId': missing}),
            (self.sm.restore_secret, {'SecretId': missing}),
            (self.sm.tag_resource, {'SecretId': missing, 'Tags': [{'Key': 'k', 'Value': 'v'}]}),
            (self.sm.untag_resource, {'SecretId': missing, 'TagKeys': ['k']}),
            (self.sm.get_resource_policy, {'SecretId': missing}),
            (self.sm.put_resource_policy, {'SecretId': missing, 'ResourcePolicy': '{}'}),
            (self.sm.delete_resource_policy, {'SecretId': missing}),
        ]
        for call, kwargs in calls:
            with self.subTest(operation=call.__name__):
                response = self.assertError('ResourceNotFoundException', NOT_FOUND, call, **kwargs)
                self.assertEqual(response['ResponseMetadata']['HTTPStatusCode'], 400)

    # -- GetSecretValue selectors ------------------------------------------------------------------

    def test_get_secret_value_by_version_id_and_stage(self):
        name, created = self.create('select', SecretString='v1')
        v1 = created['VersionId']
        v2 = self.sm.put_secret_value(SecretId=name, SecretString='v2')['VersionId']
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v2')
        by_id = self.sm.get_secret_value(SecretId=name, VersionId=v1)
        self.assertEqual((by_id['SecretString'], by_id['VersionStages']), ('v1', ['AWSPREVIOUS']))
        by_stage = self.sm.get_secret_value(SecretId=name, VersionStage='AWSPREVIOUS')
        self.assertEqual((by_stage['SecretString'], by_stage['VersionId']), ('v1', v1))
        both = self.sm.get_secret_value(SecretId=name, VersionId=v2, VersionStage='AWSCURRENT')
        self.assertEqual(both['SecretString'], 'v2')
        self.assertError(
            'InvalidRequestException',
            'You provided a VersionStage that is not associated to the provided VersionId.',
            self.sm.get_secret_value,
            SecretId=name,
            VersionId=v1,
            VersionStage='AWSCURRENT',
        )
        self.assertError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for staging label: NOPE",
            self.sm.get_secret_value,
            SecretId=name,
            VersionStage='NOPE',
        )
        missing_version = token()
        self.assertError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for VersionId: %s" % missing_version,
            self.sm.get_secret_value,
            SecretId=name,
            VersionId=missing_version,
        )

    # -- PutSecretValue ----------------------------------------------------------------------------

    def test_put_secret_value_moves_current_and_previous(self):
        name, created = self.create('put', SecretString='v1')
        v1 = created['VersionId']
        put2 = self.sm.put_secret_value(SecretId=name, SecretString='v2')
        v2 = put2['VersionId']
        self.assertEqual(put2['VersionStages'], ['AWSCURRENT'])
        self.assertEqual(put2['ARN'], created['ARN'])
        self.assertEqual(put2['Name'], name)
        self.assertEqual(self.versions(name), {v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT']})
        v3 = self.sm.put_secret_value(SecretId=name, SecretBinary=b'v3')['VersionId']
        self.assertEqual(self.versions(name), {v2: ['AWSPREVIOUS'], v3: ['AWSCURRENT']})
        # v1 is deprecated: listed only with IncludeDeprecated, and then without VersionStages.
        self.assertEqual(
            self.versions(name, include_deprecated=True),
            {v1: None, v2: ['AWSPREVIOUS'], v3: ['AWSCURRENT']},
        )
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretBinary'], b'v3')
        described = self.sm.describe_secret(SecretId=name)
        self.assertEqual(
            {k: sorted(v) for k, v in described['VersionIdsToStages'].items()},
            {v2: ['AWSPREVIOUS'], v3: ['AWSCURRENT']},
        )

    def test_put_secret_value_with_explicit_stages(self):
        name, created = self.create('stages', SecretString='v1')
        v1 = created['VersionId']
        pending = self.sm.put_secret_value(SecretId=name, SecretString='p', VersionStages=['AWSPENDING'])
        self.assertEqual(pending['VersionStages'], ['AWSPENDING'])
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v1')
        self.assertEqual(
            self.sm.get_secret_value(SecretId=name, VersionStage='AWSPENDING')['SecretString'], 'p'
        )
        a = self.sm.put_secret_value(SecretId=name, SecretString='a', VersionStages=['one', 'two', 'three'])
        b = self.sm.put_secret_value(SecretId=name, SecretString='b', VersionStages=['one', 'two', 'four'])
        versions = self.versions(name)
        self.assertEqual(versions[v1], ['AWSCURRENT'])
        self.assertEqual(versions[a['VersionId']], ['three'])
        self.assertEqual(sorted(versions[b['VersionId']]), ['four', 'one', 'two'])
        # An explicit AWSCURRENT shifts AWSPREVIOUS as well.
        c = self.sm.put_secret_value(SecretId=name, SecretString='c', VersionStages=['AWSCURRENT'])
        versions = self.versions(name)
        self.assertEqual(versions[c['VersionId']], ['AWSCURRENT'])
        self.assertEqual(versions[v1], ['AWSPREVIOUS'])

    def test_put_secret_value_client_request_token(self):
        name, created = self.create('puttoken', SecretString='v1')
        request_token = token()
        first = self.sm.put_secret_value(SecretId=name, SecretString='v2', ClientRequestToken=request_token)
        self.assertEqual(first['VersionId'], request_token)
        again = self.sm.put_secret_value(SecretId=name, SecretString='v2', ClientRequestToken=request_token)
        self.assertEqual(again['VersionId'], request_token)
        self.assertEqual(again['VersionStages'], ['AWSCURRENT'])
        self.assertEqual(len(self.versions(name)), 2)
        self.assertError(
            'ResourceExistsException',
            "You can't use ClientRequestToken %s because that value is already in use for a version of "
            'secret %s.' % (request_token, created['ARN']),
            self.sm.put_secret_value,
            SecretId=name,
            SecretString='different',
            ClientRequestToken=request_token,
        )

    def test_both_secret_string_and_binary_is_rejected(self):
        self.assertError(
            'InvalidParameterException',
            None,
            self.sm.create_secret,
            Name=unique('both'),
            SecretString='s',
            SecretBinary=b'b',
        )
        name, _ = self.create('bothput', SecretString='v1')
        self.assertError(
            'InvalidParameterException',
            None,
            self.sm.put_secret_value,
            SecretId=name,
            SecretString='s',
            SecretBinary=b'b',
        )

    def test_put_secret_value_without_value(self):
        name, _ = self.create('putnone', SecretString='v1')
        self.assertError(
            'InvalidRequestException',
            'You must provide either SecretString or SecretBinary.',
            self.sm.put_secret_value,
            SecretId=name,
        )

    # -- UpdateSecret ------------------------------------------------------------------------------

    def test_update_secret_metadata_and_value(self):
        name, created = self.create('update', SecretString='v1', Description='old')
        before = self.sm.describe_secret(SecretId=name)
        meta = self.sm.update_secret(SecretId=name, Description='new')
        self.assertNotIn('VersionId', meta)
        self.assertEqual((meta['ARN'], meta['Name']), (created['ARN'], name))
        described = self.sm.describe_secret(SecretId=name)
        self.assertEqual(described['Description'], 'new')
        self.assertGreaterEqual(described['LastChangedDate'], before['LastChangedDate'])
        self.assertEqual(len(self.versions(name)), 1)

        with_value = self.sm.update_secret(SecretId=name, SecretString='v2')
        self.assertIn('VersionId', with_value)
        self.assertEqual(
            self.versions(name),
            {created['VersionId']: ['AWSPREVIOUS'], with_value['VersionId']: ['AWSCURRENT']},
        )
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v2')

        self.sm.update_secret(SecretId=name, Description='')
        self.assertNotIn('Description', self.sm.describe_secret(SecretId=name))

        nothing = self.sm.update_secret(SecretId=name)
        self.assertEqual(set(nothing) - {'ResponseMetadata'}, {'ARN', 'Name'})

    def test_update_secret_client_request_token(self):
        name, created = self.create('updtoken', SecretString='v1')
        request_token = token()
        first = self.sm.update_secret(SecretId=name, SecretString='v2', ClientRequestToken=request_token)
        self.assertEqual(first['VersionId'], request_token)
        again = self.sm.update_secret(SecretId=name, SecretString='v2', ClientRequestToken=request_token)
        self.assertEqual(again['VersionId'], request_token)
        self.assertEqual(len(self.versions(name)), 2)
        self.assertError(
            'ResourceExistsException',
            "You can't use ClientRequestToken %s because that value is already in use for a version of "
            'secret %s.' % (request_token, created['ARN']),
            self.sm.update_secret,
            SecretId=name,
            SecretString='v3',
            ClientRequestToken=request_token,
        )

    # -- UpdateSecretVersionStage --------------------------------------------------------------------

    def test_update_secret_version_stage(self):
        name, created = self.create('label', SecretString='v1')
        v1 = created['VersionId']
        v2 = self.sm.put_secret_value(SecretId=name, SecretString='v2')['VersionId']
        self.assertError(
            'InvalidParameterException',
            "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently "
            'attached to version %s, so you must explicitly reference that version in '
            'RemoveFromVersionId.' % v2,
            self.sm.update_secret_version_stage,
            SecretId=name,
            VersionStage='AWSCURRENT',
            MoveToVersionId=v1,
        )
        moved = self.sm.update_secret_version_stage(
            SecretId=name, VersionStage='AWSCURRENT', MoveToVersionId=v1, RemoveFromVersionId=v2
        )
        self.assertEqual((moved['ARN'], moved['Name']), (created['ARN'], name))
        self.assertEqual(self.versions(name), {v1: ['AWSCURRENT'], v2: ['AWSPREVIOUS']})
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v1')

        self.sm.update_secret_version_stage(SecretId=name, VersionStage='blue', MoveToVersionId=v2)
        self.assertEqual(sorted(self.versions(name)[v2]), ['AWSPREVIOUS', 'blue'])
        self.assertEqual(self.sm.get_secret_value(SecretId=name, VersionStage='blue')['SecretString'], 'v2')
        self.sm.update_secret_version_stage(SecretId=name, VersionStage='blue', RemoveFromVersionId=v2)
        self.assertEqual(self.versions(name)[v2], ['AWSPREVIOUS'])
        self.assertError(
            'InvalidParameterException',
            None,
            self.sm.update_secret_version_stage,
            SecretId=name,
            VersionStage='blue',
            MoveToVersionId=token(),
        )

    def test_current_pending_rotation_cycle(self):
        name, created = self.create('cycle', SecretString='v1')
        v1 = created['VersionId']
        v2 = self.sm.put_secret_value(SecretId=name, SecretString='v2', VersionStages=['AWSPENDING'])[
            'VersionId'
        ]
        self.sm.update_secret_version_stage(
            SecretId=name, VersionStage='AWSCURRENT', MoveToVersionId=v2, RemoveFromVersionId=v1
        )
        versions = self.versions(name)
        self.assertEqual(sorted(versions[v2]), ['AWSCURRENT', 'AWSPENDING'])
        self.assertEqual(versions[v1], ['AWSPREVIOUS'])

    # -- DescribeSecret ------------------------------------------------------------------------------

    def test_describe_secret_presence_rules(self):
        name, created = self.create('describe', SecretString='v', Description='')
        described = self.sm.describe_secret(SecretId=name)
        self.assertEqual((described['ARN'], described['Name']), (created['ARN'], name))
        self.assertTimestamp(described['CreatedDate'])
        self.assertTimestamp(described['LastChangedDate'])
        for absent in ('Description', 'KmsKeyId', 'Tags', 'DeletedDate', 'RotationEnabled', 'LastAccessedDate'):
            self.assertNotIn(absent, described)
        self.assertEqual(described['VersionIdsToStages'], {created['VersionId']: ['AWSCURRENT']})

        self.sm.get_secret_value(SecretId=name)
        accessed = self.sm.describe_secret(SecretId=name)['LastAccessedDate']
        self.assertTimestamp(accessed)
        accessed_utc = accessed.astimezone(datetime.timezone.utc)
        self.assertEqual((accessed_utc.hour, accessed_utc.minute, accessed_utc.second), (0, 0, 0))

        self.sm.tag_resource(SecretId=name, Tags=[{'Key': 'k', 'Value': 'v'}])
        self.assertEqual(self.sm.describe_secret(SecretId=name)['Tags'], [{'Key': 'k', 'Value': 'v'}])
        self.sm.untag_resource(SecretId=name, TagKeys=['k'])
        self.assertEqual(self.sm.describe_secret(SecretId=name)['Tags'], [])

    # -- ListSecrets -------------------------------------------------------------------------------

    def test_list_secrets_entries(self):
        prefix = unique('entries')
        self.sm.create_secret(Name=prefix + '/a', SecretString='v', Description='entry')
        secrets = self.sm.list_secrets(Filters=[{'Key': 'name', 'Values': [prefix]}])['SecretList']
        self.assertEqual(len(secrets), 1)
        entry = secrets[0]
        self.assertEqual(entry['Name'], prefix + '/a')
        self.assertEqual(entry['Description'], 'entry')
        self.assertEqual(list(entry['SecretVersionsToStages'].values()), [['AWSCURRENT']])
        self.assertNotIn('VersionIdsToStages', entry)
        self.assertTimestamp(entry['CreatedDate'])
        self.assertTimestamp(entry['LastChangedDate'])

    def test_list_secrets_name_filter_and_negation(self):
        prefix = unique('names')
        for suffix in ('/alpha/one', '/alpha/two', '/beta/one', '-gamma'):
            self.sm.create_secret(Name=prefix + suffix, SecretString='v')
        def name(*values):
            return {'Key': 'name', 'Values': list(values)}

        self.assertEqual(len(self.list_names(name(prefix))), 4)
        self.assertEqual(
            sorted(self.list_names(name(prefix + '/alpha'))),
            [prefix + '/alpha/one', prefix + '/alpha/two'],
        )
        # Case-sensitive prefix.
        self.assertEqual(self.list_names(name(prefix.upper() + '/alpha')), [])
        # Several values: OR.
        self.assertEqual(
            sorted(self.list_names(name(prefix + '/beta', prefix + '-'))),
            [prefix + '-gamma', prefix + '/beta/one'],
        )
        # Several filters: AND; negation excludes.
        self.assertEqual(
            sorted(self.list_names(name(prefix), name('!' + prefix + '/alpha'))),
            [prefix + '-gamma', prefix + '/beta/one'],
        )
        self.assertEqual(self.list_names(name(prefix + '/alpha'), name(prefix + '/beta')), [])

    def test_list_secrets_description_filter_is_word_based(self):
        prefix = unique('descr')
        descriptions = {'1': 'a secret', '2': 'an secret', '3': 'asecret', '4': 'thesecret'}
        for key, description in descriptions.items():
            self.sm.create_secret(Name=prefix + '-' + key, SecretString='v', Description=description)
        name = {'Key': 'name', 'Values': [prefix]}

        def matching(*values):
            found = self.list_names(name, {'Key': 'description', 'Values': list(values)})
            return sorted(n[len(prefix) + 1 :] for n in found)

        self.assertEqual(matching('a'), ['1', '2', '3'])
        self.assertEqual(matching('a secret'), ['1', '2'])
        self.assertEqual(matching('A SECRET'), ['1', '2'])
        self.assertEqual(matching('thesec'), ['4'])
        self.assertEqual(matching('!a'), ['4'])
        self.assertEqual(matching('!c'), ['1', '2', '3', '4'])

    def test_list_secrets_tag_and_all_filters(self):
        prefix = unique('tags')
        self.sm.create_secret(
            Name=prefix + '-1', SecretString='v', Tags=[{'Key': 'Env', 'Value': 'Production'}]
        )
        self.sm.create_secret(Name=prefix + '-2', SecretString='v', Tags=[{'Key': 'env', 'Value': 'dev'}])
        self.sm.create_secret(Name=prefix + '-3', SecretString='v', Description='AppBeta service')
        name = {'Key': 'name', 'Values': [prefix]}

        def matching(key, *values):
            found = self.list_names(name, {'Key': key, 'Values': list(values)})
            return sorted(n[len(prefix) + 1 :] for n in found)

        self.assertEqual(matching('tag-key', 'Env'), ['1'])
        self.assertEqual(matching('tag-key', 'e', 'E'), ['1', '2'])
        self.assertEqual(matching('tag-key', '!Env'), ['2', '3'])
        self.assertEqual(matching('tag-value', 'Prod'), ['1'])
        self.assertEqual(matching('tag-value', 'prod'), [])
        self.assertEqual(matching('all', 'production'), ['1'])
        self.assertEqual(matching('all', 'DEV'), ['2'])
        self.assertEqual(matching('all', 'AppBeta'), ['3'])
        self.assertEqual(matching('all', 'ion'), [])

    def test_list_secrets_paginator(self):
        prefix = unique('pages')
        created = [prefix + '-%d' % i for i in range(5)]
        for secret_name in created:
            self.sm.create_secret(Name=secret_name, SecretString='v')
        paginator = self.sm.get_paginator('list_secrets')
        pages = list(
            paginator.paginate(
                Filters=[{'Key': 'name', 'Values': [prefix]}], PaginationConfig={'PageSize': 2}
            )
        )
        names = [entry['Name'] for page in pages for entry in page['SecretList']]
        self.assertEqual(sorted(names), created)
        self.assertGreaterEqual(len(pages), 3)
        for page in pages:
            self.assertLessEqual(len(page['SecretList']), 2)
        self.assertNotIn('NextToken', pages[-1])

        first = paginator.paginate(
            Filters=[{'Key': 'name', 'Values': [prefix]}], PaginationConfig={'MaxItems': 3, 'PageSize': 2}
        ).build_full_result()
        self.assertEqual(len(first['SecretList']), 3)
        self.assertIn('NextToken', first)
        rest = paginator.paginate(
            Filters=[{'Key': 'name', 'Values': [prefix]}],
            PaginationConfig={'PageSize': 2, 'StartingToken': first['NextToken']},
        ).build_full_result()
        self.assertEqual(
            sorted(e['Name'] for e in first['SecretList'] + rest['SecretList']), created
        )

        # Default order: ascending creation date, and descending when asked.
        by_name = [{'Key': 'name', 'Values': [prefix]}]
        ascending = [e['Name'] for e in self.sm.list_secrets(Filters=by_name)['SecretList']]
        descending = [
            e['Name'] for e in self.sm.list_secrets(Filters=by_name, SortOrder='desc')['SecretList']
        ]
        self.assertEqual(descending, list(reversed(ascending)))

    def test_list_secrets_invalid_requests(self):
        self.assertError(
            'ValidationException', None, self.sm.list_secrets, Filters=[{'Key': 'bogus', 'Values': ['x']}]
        )
        self.assertError('InvalidNextTokenException', None, self.sm.list_secrets, NextToken='not-a-token')

    def test_list_secrets_hides_secrets_scheduled_for_deletion(self):
        # botocore 1.29's model has no IncludePlannedDeletion: only the default (hidden) is checked.
        prefix = unique('planned')
        self.sm.create_secret(Name=prefix + '-live', SecretString='v')
        self.sm.create_secret(Name=prefix + '-gone', SecretString='v')
        self.sm.delete_secret(SecretId=prefix + '-gone', RecoveryWindowInDays=7)
        self.assertEqual(self.list_names({'Key': 'name', 'Values': [prefix]}), [prefix + '-live'])
        self.sm.restore_secret(SecretId=prefix + '-gone')
        self.assertEqual(
            sorted(self.list_names({'Key': 'name', 'Values': [prefix]})), [prefix + '-gone', prefix + '-live']
        )

    # -- ListSecretVersionIds ------------------------------------------------------------------------

    def test_list_secret_version_ids(self):
        name, created = self.create('versions', SecretString='v1')
        v2 = self.sm.put_secret_value(SecretId=name, SecretString='v2')['VersionId']
        listed = self.sm.list_secret_version_ids(SecretId=name)
        self.assertEqual((listed['ARN'], listed['Name']), (created['ARN'], name))
        for version in listed['Versions']:
            self.assertEqual(version['KmsKeyIds'], ['DefaultEncryptionKey'])
            self.assertTimestamp(version['CreatedDate'])
        seen = []
        kwargs = {'SecretId': name, 'MaxResults': 1}
        while True:
            page = self.sm.list_secret_version_ids(**kwargs)
            self.assertLessEqual(len(page['Versions']), 1)
            seen.extend(v['VersionId'] for v in page['Versions'])
            if 'NextToken' not in page:
                break
            kwargs['NextToken'] = page['NextToken']
        self.assertEqual(sorted(seen), sorted([created['VersionId'], v2]))

    # -- DeleteSecret / RestoreSecret ------------------------------------------------------------------

    def test_delete_with_recovery_window_and_restore(self):
        name, created = self.create('delete', SecretString='v')
        deleted = self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        self.assertEqual((deleted['ARN'], deleted['Name']), (created['ARN'], name))
        expected = utcnow() + datetime.timedelta(days=7)
        self.assertLess(abs((deleted['DeletionDate'] - expected).total_seconds()), 120)

        described = self.sm.describe_secret(SecretId=name)
        self.assertTimestamp(described['DeletedDate'])
        self.assertEqual(len(self.versions(name)), 1)
        for call, kwargs in [
            (self.sm.get_secret_value, {'SecretId': name}),
            (self.sm.put_secret_value, {'SecretId': name, 'SecretString': 'x'}),
            (self.sm.update_secret, {'SecretId': name, 'Description': 'x'}),
            (self.sm.tag_resource, {'SecretId': name, 'Tags': [{'Key': 'k', 'Value': 'v'}]}),
            (self.sm.untag_resource, {'SecretId': name, 'TagKeys': ['k']}),
            (
                self.sm.update_secret_version_stage,
                {'SecretId': name, 'VersionStage': 'x', 'MoveToVersionId': created['VersionId']},
            ),
            (self.sm.put_resource_policy, {'SecretId': name, 'ResourcePolicy': '{}'}),
        ]:
            with self.subTest(operation=call.__name__):
                self.assertError('InvalidRequestException', MARKED_FOR_DELETION, call, **kwargs)
        self.assertError(
            'InvalidRequestException',
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
            self.sm.create_secret,
            Name=name,
            SecretString='again',
        )
        self.assertError('InvalidRequestException', None, self.sm.delete_secret, SecretId=name)

        restored = self.sm.restore_secret(SecretId=name)
        self.assertEqual((restored['ARN'], restored['Name']), (created['ARN'], name))
        self.assertNotIn('DeletedDate', self.sm.describe_secret(SecretId=name))
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'v')

    def test_delete_default_window_is_30_days(self):
        name, _ = self.create('default', SecretString='v')
        deleted = self.sm.delete_secret(SecretId=name)
        expected = utcnow() + datetime.timedelta(days=30)
        self.assertLess(abs((deleted['DeletionDate'] - expected).total_seconds()), 120)

    def test_delete_invalid_parameters(self):
        name, _ = self.create('badwindow', SecretString='v')
        for days in (6, 31):
            with self.subTest(days=days):
                self.assertError(
                    'InvalidParameterException',
                    None,
                    self.sm.delete_secret,
                    SecretId=name,
                    RecoveryWindowInDays=days,
                )
        self.assertError(
            'InvalidParameterException',
            None,
            self.sm.delete_secret,
            SecretId=name,
            RecoveryWindowInDays=7,
            ForceDeleteWithoutRecovery=True,
        )
        # ForceDeleteWithoutRecovery=False with a window is accepted.
        deleted = self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=False)
        self.assertEqual(deleted['Name'], name)

    def test_force_delete_and_recreate(self):
        name, created = self.create('force', SecretString='v')
        deleted = self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertEqual((deleted['ARN'], deleted['Name']), (created['ARN'], name))
        self.assertTimestamp(deleted['DeletionDate'])
        self.assertError('ResourceNotFoundException', NOT_FOUND, self.sm.get_secret_value, SecretId=name)
        self.assertError('ResourceNotFoundException', NOT_FOUND, self.sm.describe_secret, SecretId=name)
        recreated = self.sm.create_secret(Name=name, SecretString='new')
        self.assertNotEqual(recreated['ARN'], created['ARN'])
        self.assertEqual(self.sm.get_secret_value(SecretId=name)['SecretString'], 'new')

    def test_force_delete_of_scheduled_secret(self):
        name, _ = self.create('forcesched', SecretString='v')
        self.sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertError('ResourceNotFoundException', NOT_FOUND, self.sm.describe_secret, SecretId=name)

    def test_force_delete_nonexistent_succeeds(self):
        name = unique('neverexisted')
        deleted = self.sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        self.assertEqual(deleted['Name'], name)
        self.assertTrue(deleted['ARN'].startswith('arn:aws:secretsmanager:us-east-1:'), deleted['ARN'])
        self.assertTimestamp(deleted['DeletionDate'])

    def test_restore_of_live_secret_is_a_no_op(self):
        name, created = self.create('restorelive', SecretString='v')
        restored = self.sm.restore_secret(SecretId=name)
        self.assertEqual((restored['ARN'], restored['Name']), (created['ARN'], name))

    # -- TagResource / UntagResource -------------------------------------------------------------------

    def test_tag_and_untag(self):
        name, created = self.create('tagging', SecretString='v', Tags=[{'Key': 'a', 'Value': '1'}])
        response = self.sm.tag_resource(
            SecretId=created['ARN'], Tags=[{'Key': 'a', 'Value': '2'}, {'Key': 'B', 'Value': ''}]
        )
        self.assertEqual(response['ResponseMetadata']['HTTPStatusCode'], 200)
        self.assertEqual(set(response) - {'ResponseMetadata'}, set())
        tags = {t['Key']: t['Value'] for t in self.sm.describe_secret(SecretId=name)['Tags']}
        self.assertEqual(tags, {'a': '2', 'B': ''})
        self.sm.untag_resource(SecretId=name, TagKeys=['b', 'absent'])
        tags = {t['Key']: t['Value'] for t in self.sm.describe_secret(SecretId=name)['Tags']}
        self.assertEqual(tags, {'a': '2', 'B': ''})
        self.sm.untag_resource(SecretId=name, TagKeys=['B'])
        listed = self.sm.list_secrets(Filters=[{'Key': 'name', 'Values': [name]}])['SecretList']
        self.assertEqual(listed[0]['Tags'], [{'Key': 'a', 'Value': '2'}])

    # -- GetRandomPassword -----------------------------------------------------------------------------

    def test_get_random_password(self):
        password = self.sm.get_random_password()['RandomPassword']
        self.assertEqual(len(password), 32)
        self.assertTrue(any(c.isupper() for c in password))
        self.assertTrue(any(c.islower() for c in password))
        self.assertTrue(any(c.isdigit() for c in password))
        self.assertTrue(any(c in PUNCTUATION for c in password))
        self.assertNotIn(' ', password)

        excluded = 'xyzDje@?!.'
        long_password = self.sm.get_random_password(PasswordLength=120, ExcludeCharacters=excluded)[
            'RandomPassword'
        ]
        self.assertEqual(len(long_password), 120)
        self.assertFalse(set(long_password) & set(excluded))

        digits_only = self.sm.get_random_password(
            PasswordLength=50, ExcludeUppercase=True, ExcludeLowercase=True, ExcludePunctuation=True
        )['RandomPassword']
        self.assertRegex(digits_only, r'^[0-9]{50}$')

        letters = self.sm.get_random_password(
            PasswordLength=40, ExcludeNumbers=True, ExcludePunctuation=True, IncludeSpace=True
        )['RandomPassword']
        self.assertRegex(letters, r'^[A-Za-z ]{40}$')

        self.assertError(
            'InvalidParameterException', None, self.sm.get_random_password, PasswordLength=3
        )

    # -- resource policies -----------------------------------------------------------------------------

    def policy(self, arn, principal):
        return json.dumps(
            {
                'Version': '2012-10-17',
                'Statement': [
                    {
                        'Effect': 'Allow',
                        'Principal': principal,
                        'Action': 'secretsmanager:GetSecretValue',
                        'Resource': '*',
                    }
                ],
            }
        )

    def test_resource_policy_lifecycle(self):
        name, created = self.create('policy', SecretString='v')
        account = created['ARN'].split(':')[4]
        got = self.sm.get_resource_policy(SecretId=name)
        self.assertEqual((got['ARN'], got['Name']), (created['ARN'], name))
        self.assertNotIn('ResourcePolicy', got)

        document = self.policy(created['ARN'], {'AWS': 'arn:aws:iam::%s:root' % account})
        put = self.sm.put_resource_policy(SecretId=name, ResourcePolicy=document, BlockPublicPolicy=True)
        self.assertEqual((put['ARN'], put['Name']), (created['ARN'], name))
        self.assertEqual(json.loads(self.sm.get_resource_policy(SecretId=name)['ResourcePolicy']), json.loads(document))

        deleted = self.sm.delete_resource_policy(SecretId=name)
        self.assertEqual((deleted['ARN'], deleted['Name']), (created['ARN'], name))
        self.assertNotIn('ResourcePolicy', self.sm.get_resource_policy(SecretId=name))
        # Deleting again (no policy) still succeeds.
        self.sm.delete_resource_policy(SecretId=name)

    def test_resource_policy_errors(self):
        name, created = self.create('badpolicy', SecretString='v')
        self.assertError(
            'MalformedPolicyDocumentException',
            None,
            self.sm.put_resource_policy,
            SecretId=name,
            ResourcePolicy='{"Version": ',
        )
        self.assertError(
            'PublicPolicyException',
            None,
            self.sm.put_resource_policy,
            SecretId=name,
            ResourcePolicy=self.policy(created['ARN'], '*'),
            BlockPublicPolicy=True,
        )
        self.assertNotIn('ResourcePolicy', self.sm.get_resource_policy(SecretId=name))

    def test_validate_resource_policy(self):
        name, created = self.create('validate', SecretString='v')
        account = created['ARN'].split(':')[4]
        document = self.policy(created['ARN'], {'AWS': 'arn:aws:iam::%s:root' % account})
        for kwargs in ({}, {'SecretId': name}):
            with self.subTest(**kwargs):
                result = self.sm.validate_resource_policy(ResourcePolicy=document, **kwargs)
                self.assertIs(result['PolicyValidationPassed'], True)
                self.assertEqual(result['ValidationErrors'], [])
        self.assertError(
            'ResourceNotFoundException',
            NOT_FOUND,
            self.sm.validate_resource_policy,
            ResourcePolicy=document,
            SecretId=unique('missing'),
        )

    # -- RotateSecret ----------------------------------------------------------------------------------

    def test_rotate_secret_with_the_random_password_builtin(self):
        name, created = self.create('rotate', SecretString='{"username": "app", "password": "old"}')
        region = self.sm.meta.region_name
        arn = 'arn:aws:lambda:%s:000000000000:function:coffer-random-password' % region
        self.assertError(
            'InvalidRequestException',
            'No Lambda rotation function ARN is associated with this secret.',
            self.sm.rotate_secret,
            SecretId=name,
        )
        self.assertError(
            'AccessDeniedException',
            None,
            self.sm.rotate_secret,
            SecretId=name,
            RotationLambdaARN=arn.replace('coffer-random-password', 'no-such-function'),
        )
        self.assertNotIn('RotationEnabled', self.sm.describe_secret(SecretId=name))
        rotated = self.sm.rotate_secret(
            SecretId=name, RotationLambdaARN=arn, RotationRules={'AutomaticallyAfterDays': 7}
        )
        self.assertEqual(rotated['ARN'], created['ARN'])
        version = rotated['VersionId']
        # Asynchronous, as on AWS: wait for AWSCURRENT to reach the new version.
        deadline = utcnow() + datetime.timedelta(seconds=20)
        while 'AWSCURRENT' not in (self.versions(name).get(version) or []):
            self.assertLess(utcnow(), deadline, self.versions(name))
            time.sleep(0.1)
        value = json.loads(self.sm.get_secret_value(SecretId=name)['SecretString'])
        self.assertEqual(value['username'], 'app')
        self.assertEqual(len(value['password']), 32)
        described = self.sm.describe_secret(SecretId=name)
        self.assertTrue(described['RotationEnabled'])
        self.assertEqual(described['RotationLambdaARN'], arn)
        self.assertEqual(described['RotationRules'], {'AutomaticallyAfterDays': 7})
        self.assertTimestamp(described['LastRotatedDate'])
        # botocore 1.29 predates NextRotationDate in the model: it drops the member.
        cancelled = self.sm.cancel_rotate_secret(SecretId=name)
        self.assertNotIn('VersionId', cancelled)
        self.assertFalse(self.sm.describe_secret(SecretId=name)['RotationEnabled'])

if __name__ == '__main__':
    unittest.main()
