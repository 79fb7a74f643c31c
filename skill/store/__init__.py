"""Where each person's state is kept: one setting picks the store, handlers never know which."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skill.config import Settings
    from skill.store.records import RecordStore


def make_store(settings: Settings) -> RecordStore:
    """The store named by ``LEGDAY_STORE`` (imported lazily: DynamoDB pulls in botocore)."""
    if settings.store == "dynamodb":
        from skill.store.dynamodb import make_dynamodb_store

        return make_dynamodb_store(settings)
    from skill.store.sqlite import SQLiteStore

    return SQLiteStore(settings.database_path)


def refusal_at_start(settings: Settings) -> str | None:
    """Why a server should not start on this store (one line naming the file), or None.

    A damaged SQLite file is refused, never moved aside or replaced: it holds people's data, and
    what to do with it (restore a backup, try ``sqlite3 .recover``) is the operator's call.
    """
    if settings.store != "sqlite":
        return None
    from skill.store.sqlite import damage

    return damage(settings.database_path)
