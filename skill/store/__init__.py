"""Where each user's progress is kept: one setting picks the store, handlers never know which."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

    from skill.config import Settings


def make_adapter(settings: Settings) -> AbstractPersistenceAdapter:
    """The persistence adapter named by ``LEGDAY_STORE`` (imported lazily: DynamoDB pulls in boto3)."""
    if settings.store == "dynamodb":
        from skill.store.dynamodb import make_dynamodb_adapter

        return make_dynamodb_adapter(settings)
    from skill.store.sqlite import SQLiteAdapter

    return SQLiteAdapter(settings.database_path)
