"""boto3 STS against Coffer: assume_role, then get_caller_identity and a secret read with the result.

Run by boto3.test.ts with COFFER_ENDPOINT, ROLE_ARN, SECRET_ID and the admin's credentials file.
Prints one JSON line with what it saw.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

endpoint = os.environ["COFFER_ENDPOINT"]
sts = boto3.client("sts", endpoint_url=endpoint)
me = sts.get_caller_identity()
assumed = sts.assume_role(
    RoleArn=os.environ["ROLE_ARN"],
    RoleSessionName="boto3",
    ExternalId="boto-ext",
    Tags=[{"Key": "Project", "Value": "Unicorn"}],
)
creds = assumed["Credentials"]
session = boto3.session.Session(
    aws_access_key_id=creds["AccessKeyId"],
    aws_secret_access_key=creds["SecretAccessKey"],
    aws_session_token=creds["SessionToken"],
    region_name=sts.meta.region_name,
)
role_identity = session.client("sts", endpoint_url=endpoint).get_caller_identity()
secret = session.client("secretsmanager", endpoint_url=endpoint).get_secret_value(SecretId=os.environ["SECRET_ID"])
try:
    sts.assume_role(RoleArn=os.environ["ROLE_ARN"], RoleSessionName="boto3")
    denied = None
except ClientError as error:
    denied = [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
print(
    json.dumps(
        {
            "caller": me["Arn"],
            "assumedArn": assumed["AssumedRoleUser"]["Arn"],
            "expiration": assumed["Credentials"]["Expiration"].isoformat(),
            "packed": assumed.get("PackedPolicySize"),
            "roleIdentity": role_identity["Arn"],
            "roleUserId": role_identity["UserId"],
            "secret": secret["SecretString"],
            "denied": denied,
        }
    )
)
