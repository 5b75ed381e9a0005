"""boto3 (botocore) against a running Coffer server: the AWS KMS behaviour real clients see.

Run by boto3.test.ts, which starts a server and sets:
  COFFER_ENDPOINT              the server's endpoint URL
  AWS_SHARED_CREDENTIALS_FILE  the server's credentials file (carries the region)
  AWS_CONFIG_FILE=/dev/null, a temporary HOME, no other AWS_* variables.

Targets the Debian client (boto3 1.26 / botocore 1.29): its KMS model predates RotateKeyOnDemand,
ListKeyRotations and RotationPeriodInDays, so those are not exercised here.
"""

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


def setUpModule():
    if not ENDPOINT:
        raise RuntimeError('COFFER_ENDPOINT is not set (run through test/compat/kms/boto3.test.ts)')


def client(service):
    return boto3.session.Session().client(
        service, endpoint_url=ENDPOINT, config=Config(retries={'max_attempts': 1})
    )


KMS = None
SM = None


def kms():
    global KMS
    if KMS is None:
        KMS = client('kms')
    return KMS


def sm():
    global SM
    if SM is None:
        SM = client('secretsmanager')
    return SM


def new_key(**kwargs):
    return kms().create_key(**kwargs)['KeyMetadata']


def unique(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:12])


class KmsTestCase(unittest.TestCase):
    def assertAwsError(self, code, call, *args, message=None, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(*args, **kwargs)
        error = caught.exception.response['Error']
        self.assertEqual(error['Code'], code, caught.exception.response)
        self.assertEqual(caught.exception.response['ResponseMetadata']['HTTPStatusCode'], 400)
        if message is not None:
            self.assertEqual(error.get('Message', ''), message)
        return error


class TestKeys(KmsTestCase):
    def test_create_and_describe_key(self):
        meta = new_key(Description='boto3', Tags=[{'TagKey': 'env', 'TagValue': 'test'}])
        self.assertEqual(meta['KeyState'], 'Enabled')
        self.assertEqual(meta['KeyManager'], 'CUSTOMER')
        self.assertEqual(meta['KeySpec'], 'SYMMETRIC_DEFAULT')
        self.assertEqual(meta['EncryptionAlgorithms'], ['SYMMETRIC_DEFAULT'])
        self.assertTrue(meta['Arn'].endswith(':key/' + meta['KeyId']))
        described = kms().describe_key(KeyId=meta['Arn'])['KeyMetadata']
        self.assertEqual(described['CreationDate'], meta['CreationDate'])
        self.assertEqual(described['Description'], 'boto3')

    def test_not_found_texts(self):
        self.assertAwsError('NotFoundException', kms().describe_key, KeyId='bad id', message="Invalid keyId 'bad id'")
        missing = str(uuid.uuid4())
        error = self.assertAwsError('NotFoundException', kms().describe_key, KeyId=missing)
        self.assertRegex(error['Message'], r"^Key 'arn:aws:kms:[a-z0-9-]+:\d{12}:key/%s' does not exist$" % missing)

    def test_list_keys_pages(self):
        ids = {new_key()['KeyId'] for _ in range(3)}
        seen = []
        kwargs = {'Limit': 2}
        while True:
            page = kms().list_keys(**kwargs)
            seen.extend(k['KeyId'] for k in page['Keys'])
            if not page['Truncated']:
                break
            kwargs['Marker'] = page['NextMarker']
        self.assertTrue(ids <= set(seen))

    def test_disable_enable(self):
        meta = new_key()
        kms().disable_key(KeyId=meta['KeyId'])
        self.assertAwsError(
            'DisabledException', kms().encrypt, KeyId=meta['KeyId'], Plaintext=b'x', message=meta['Arn'] + ' is disabled.'
        )
        kms().enable_key(KeyId=meta['KeyId'])
        kms().encrypt(KeyId=meta['KeyId'], Plaintext=b'x')

    def test_schedule_and_cancel_deletion(self):
        meta = new_key()
        scheduled = kms().schedule_key_deletion(KeyId=meta['KeyId'], PendingWindowInDays=7)
        self.assertEqual(scheduled['KeyState'], 'PendingDeletion')
        self.assertEqual(scheduled['KeyId'], meta['Arn'])
        self.assertEqual(scheduled['PendingWindowInDays'], 7)
        self.assertAwsError(
            'KMSInvalidStateException',
            kms().encrypt,
            KeyId=meta['KeyId'],
            Plaintext=b'x',
            message=meta['Arn'] + ' is pending deletion.',
        )
        self.assertAwsError(
            'ValidationException',
            kms().schedule_key_deletion,
            KeyId=new_key()['KeyId'],
            PendingWindowInDays=40,
            message='PendingWindowInDays should be between 7 and 30, but it is 40',
        )
        kms().cancel_key_deletion(KeyId=meta['KeyId'])
        self.assertEqual(kms().describe_key(KeyId=meta['KeyId'])['KeyMetadata']['KeyState'], 'Disabled')


class TestCrypto(KmsTestCase):
    def test_encrypt_decrypt_with_context(self):
        meta = new_key()
        blob = kms().encrypt(KeyId=meta['KeyId'], Plaintext=b'boto3 secret', EncryptionContext={'a': '1', 'b': '2'})
        self.assertEqual(blob['KeyId'], meta['Arn'])
        plain = kms().decrypt(CiphertextBlob=blob['CiphertextBlob'], EncryptionContext={'b': '2', 'a': '1'})
        self.assertEqual(plain['Plaintext'], b'boto3 secret')
        self.assertEqual(plain['KeyId'], meta['Arn'])
        self.assertAwsError(
            'InvalidCiphertextException', kms().decrypt, CiphertextBlob=blob['CiphertextBlob'], message=''
        )
        other = new_key()
        self.assertAwsError(
            'IncorrectKeyException',
            kms().decrypt,
            CiphertextBlob=blob['CiphertextBlob'],
            EncryptionContext={'a': '1', 'b': '2'},
            KeyId=other['KeyId'],
            message='The key ID in the request does not identify a CMK that can perform this operation.',
        )

    def test_re_encrypt(self):
        source, destination = new_key(), new_key()
        blob = kms().encrypt(KeyId=source['KeyId'], Plaintext=b'move me')['CiphertextBlob']
        moved = kms().re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination['Arn'])
        self.assertEqual(moved['SourceKeyId'], source['Arn'])
        self.assertEqual(moved['KeyId'], destination['Arn'])
        self.assertEqual(kms().decrypt(CiphertextBlob=moved['CiphertextBlob'])['Plaintext'], b'move me')

    def test_data_keys_and_random(self):
        meta = new_key()
        data_key = kms().generate_data_key(KeyId=meta['KeyId'], KeySpec='AES_256')
        self.assertEqual(len(data_key['Plaintext']), 32)
        self.assertEqual(kms().decrypt(CiphertextBlob=data_key['CiphertextBlob'])['Plaintext'], data_key['Plaintext'])
        hidden = kms().generate_data_key_without_plaintext(KeyId=meta['KeyId'], NumberOfBytes=64)
        self.assertNotIn('Plaintext', hidden)
        self.assertAwsError('ValidationException', kms().generate_data_key, KeyId=meta['KeyId'])
        self.assertEqual(len(kms().generate_random(NumberOfBytes=100)['Plaintext']), 100)


class TestAliasesPoliciesTags(KmsTestCase):
    def test_aliases(self):
        one, two = new_key(), new_key()
        alias = 'alias/' + unique('py')
        kms().create_alias(AliasName=alias, TargetKeyId=one['KeyId'])
        self.assertEqual(kms().describe_key(KeyId=alias)['KeyMetadata']['KeyId'], one['KeyId'])
        self.assertAwsError(
            'ValidationException',
            kms().create_alias,
            AliasName='no-prefix',
            TargetKeyId=one['KeyId'],
            message='Alias must start with the prefix "alias/". Please see '
            'https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
        )
        self.assertAwsError('AlreadyExistsException', kms().create_alias, AliasName=alias, TargetKeyId=two['KeyId'])
        kms().update_alias(AliasName=alias, TargetKeyId=two['KeyId'])
        names = [a['AliasName'] for a in kms().list_aliases(KeyId=two['KeyId'])['Aliases']]
        self.assertEqual(names, [alias])
        all_names = [a['AliasName'] for a in kms().list_aliases(Limit=100)['Aliases']]
        self.assertIn('alias/aws/secretsmanager', all_names)
        kms().delete_alias(AliasName=alias)
        error = self.assertAwsError('NotFoundException', kms().describe_key, KeyId=alias)
        self.assertRegex(error['Message'], r'^Alias arn:aws:kms:.*:%s is not found\.$' % alias)

    def test_key_policy(self):
        meta = new_key()
        policy = kms().get_key_policy(KeyId=meta['KeyId'], PolicyName='default')['Policy']
        self.assertIn('"Sid" : "Enable IAM User Permissions"', policy)
        kms().put_key_policy(KeyId=meta['KeyId'], PolicyName='default', Policy=policy)
        self.assertEqual(kms().list_key_policies(KeyId=meta['KeyId'])['PolicyNames'], ['default'])
        self.assertAwsError(
            'MalformedPolicyDocumentException', kms().put_key_policy, KeyId=meta['KeyId'], PolicyName='default', Policy='{'
        )

    def test_tags(self):
        meta = new_key(Tags=[{'TagKey': 'a', 'TagValue': '1'}])
        kms().tag_resource(KeyId=meta['KeyId'], Tags=[{'TagKey': 'b', 'TagValue': '2'}])
        kms().untag_resource(KeyId=meta['KeyId'], TagKeys=['a'])
        self.assertEqual(kms().list_resource_tags(KeyId=meta['KeyId'])['Tags'], [{'TagKey': 'b', 'TagValue': '2'}])
        self.assertAwsError(
            'TagException',
            kms().tag_resource,
            KeyId=meta['KeyId'],
            Tags=[{'TagKey': 'x', 'TagValue': '1'}, {'TagKey': 'x', 'TagValue': '2'}],
            message='Duplicate tag keys',
        )

    def test_rotation_status(self):
        meta = new_key()
        kms().enable_key_rotation(KeyId=meta['KeyId'])
        self.assertTrue(kms().get_key_rotation_status(KeyId=meta['KeyId'])['KeyRotationEnabled'])
        kms().disable_key_rotation(KeyId=meta['KeyId'])
        self.assertFalse(kms().get_key_rotation_status(KeyId=meta['KeyId'])['KeyRotationEnabled'])


class TestSecretsManagerOnKms(KmsTestCase):
    def test_secret_under_customer_key_follows_the_key_state(self):
        meta = new_key()
        name = unique('py-kms')
        sm().create_secret(Name=name, SecretString='on a customer key', KmsKeyId=meta['Arn'])
        self.assertEqual(sm().describe_secret(SecretId=name)['KmsKeyId'], meta['Arn'])
        kms().disable_key(KeyId=meta['KeyId'])
        self.assertAwsError('DecryptionFailure', sm().get_secret_value, SecretId=name)
        self.assertAwsError('EncryptionFailure', sm().put_secret_value, SecretId=name, SecretString='x')
        kms().enable_key(KeyId=meta['KeyId'])
        self.assertEqual(sm().get_secret_value(SecretId=name)['SecretString'], 'on a customer key')


if __name__ == '__main__':
    unittest.main()
