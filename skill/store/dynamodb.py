"""The DynamoDB store, for the skill on AWS Lambda: the ASK SDK's own adapter behind our key and types.

The table is created by the stack in serverless.yml (partition key ``id``, a string; the record
under ``attributes``), never by the skill. DynamoDB gives every number back as ``Decimal`` and
refuses ``float``, so values are converted at this one edge and the rest of the skill sees the same
plain ints, floats, strings, lists and dicts as with SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.store.keys import user_key

if TYPE_CHECKING:
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    from skill.config import Settings

PARTITION_KEY = "id"
ATTRIBUTE_NAME = "attributes"
# Lambda always sets AWS_REGION; elsewhere (a laptop, CI, a local DynamoDB) nothing may be set.
FALLBACK_REGION = "us-east-1"


def aws_region(environ: Mapping[str, str] | None = None) -> str:
    """The region to talk to: AWS_REGION (set by Lambda), else AWS_DEFAULT_REGION, else us-east-1."""
    env = os.environ if environ is None else environ
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or FALLBACK_REGION


def from_dynamodb(value: Any) -> Any:
    """A stored value with every ``Decimal`` turned back into the int (or float) that was saved."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: from_dynamodb(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_dynamodb(item) for item in value]
    return value


def to_dynamodb(value: Any) -> Any:
    """A value boto3 accepts: floats become ``Decimal`` (boto3 refuses floats), tuples become lists."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: to_dynamodb(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_dynamodb(item) for item in value]
    return value


class DynamoDbStore(AbstractPersistenceAdapter):
    """The SDK's ``DynamoDbAdapter``, giving back plain numbers and accepting floats."""

    def __init__(self, adapter: DynamoDbAdapter) -> None:
        self.adapter = adapter

    @property
    def table_name(self) -> str:
        return self.adapter.table_name

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return from_dynamodb(self.adapter.get_attributes(request_envelope))

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        self.adapter.save_attributes(request_envelope, to_dynamodb(attributes))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.adapter.delete_attributes(request_envelope)


def _import_sdk_adapter(region: str) -> type[DynamoDbAdapter]:
    """``DynamoDbAdapter``, even where no AWS region is configured.

    The SDK module builds ``boto3.resource("dynamodb")`` as a default argument while it is being
    imported, which raises ``NoRegionError`` when no region is set. We never use that resource,
    but it must be buildable: give boto3's default session our region and import again.
    """
    from botocore.exceptions import NoRegionError

    try:
        from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    except NoRegionError:
        import boto3

        boto3.setup_default_session(region_name=region)
        from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    return DynamoDbAdapter


def make_dynamodb_adapter(settings: Settings, *, environ: Mapping[str, str] | None = None) -> DynamoDbStore:
    """The store for ``LEGDAY_STORE=dynamodb``: table ``LEGDAY_DYNAMODB_TABLE``, optional endpoint URL."""
    import boto3

    region = aws_region(environ)
    adapter_class = _import_sdk_adapter(region)
    # Our own session and resource, so the region and endpoint are explicit rather than whatever
    # boto3's process-wide default session happens to hold.
    resource = boto3.session.Session(region_name=region).resource(
        "dynamodb", endpoint_url=settings.dynamodb_endpoint
    )
    adapter = adapter_class(
        table_name=settings.dynamodb_table,
        partition_key_name=PARTITION_KEY,
        attribute_name=ATTRIBUTE_NAME,
        create_table=False,
        partition_keygen=user_key,
        dynamodb_resource=resource,
    )
    return DynamoDbStore(adapter)
