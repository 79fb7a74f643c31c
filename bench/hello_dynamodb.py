"""The hello-world ASK SDK Lambda with DynamoDB persistence: the baseline for the skill's Lambda cold start.

The hello-world skill (``bench.hello_skill``) built with a persistence adapter, as Amazon's samples
build it with ``ask-sdk-dynamodb-persistence-adapter``: a boto3 DynamoDB resource made when the
module loads, the launch reads the user's attributes (one GetItem) and writes them back (one
PutItem). The adapter here does exactly what that package's ``DynamoDbAdapter`` does on a launch
(it is not a dependency of this project): ``get_item(Key=..., ConsistentRead=True)`` and
``put_item(Item=...)`` on ``boto3.resource("dynamodb").Table(name)``. The table and endpoint come from
``HELLO_DYNAMODB_TABLE`` and ``HELLO_DYNAMODB_ENDPOINT``.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import RequestEnvelope, Response

from bench import hello_skill


class DynamoDbAdapter(AbstractPersistenceAdapter):
    """Attributes per user id in one item, ``{"id": user id, "attributes": {...}}``, as the SDK's adapter keeps them."""

    def __init__(self, table_name: str, dynamodb_resource: Any) -> None:
        self.table = dynamodb_resource.Table(table_name)

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        key = request_envelope.context.system.user.user_id
        item = self.table.get_item(Key={"id": key}, ConsistentRead=True).get("Item")
        return item["attributes"] if item else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        key = request_envelope.context.system.user.user_id
        self.table.put_item(Item={"id": key, "attributes": attributes})

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.table.delete_item(Key={"id": request_envelope.context.system.user.user_id})


class LaunchRequestHandler(hello_skill.LaunchRequestHandler):
    """Welcome, counting the visits in the persistent attributes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        manager = handler_input.attributes_manager
        attributes = manager.persistent_attributes
        attributes["visits"] = int(attributes.get("visits", 0)) + 1
        manager.save_persistent_attributes()
        return super().handle(handler_input)


def skill_builder() -> CustomSkillBuilder:
    """The hello-world handlers over a DynamoDB persistence adapter."""
    resource = boto3.resource("dynamodb", endpoint_url=os.environ.get("HELLO_DYNAMODB_ENDPOINT"))
    builder = CustomSkillBuilder(persistence_adapter=DynamoDbAdapter(os.environ["HELLO_DYNAMODB_TABLE"], resource))
    builder.add_request_handler(LaunchRequestHandler())
    builder.add_request_handler(hello_skill.HelloWorldIntentHandler())
    builder.add_request_handler(hello_skill.StopIntentHandler())
    builder.add_request_handler(hello_skill.SessionEndedRequestHandler())
    builder.add_exception_handler(hello_skill.CatchAllExceptionHandler())
    return builder


sb = skill_builder()
lambda_handler = sb.lambda_handler()
