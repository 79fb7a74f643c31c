"""The hello-world that keeps state as the ASK SDK documents it: a visit count in persistent
attributes, read and saved on every request through the SDK's AttributesManager, with a SQLite
persistence adapter set up as the skill's store sets up its file (WAL, ``synchronous=NORMAL``, one
connection per thread and process).

The smallest skill that writes on every turn: what a durable write per turn costs on this stack,
apart from everything else the skill does (see ``bench.run``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response

from bench.hello_skill import skill_builder

CREATE = "CREATE TABLE IF NOT EXISTS attributes (user_id TEXT PRIMARY KEY, body TEXT NOT NULL)"
SAVE = ("INSERT INTO attributes (user_id, body) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET body = excluded.body")


class SQLitePersistenceAdapter(AbstractPersistenceAdapter):
    """Each account's attributes as one JSON row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            local.connection.execute("PRAGMA synchronous=NORMAL")
            local.pid = os.getpid()
        return local.connection

    def create(self) -> None:
        """The table, in a WAL file; waiting out another worker doing the same (switching a new file
        to WAL takes a lock that SQLite's busy timeout does not wait for)."""
        for attempt in range(100):
            try:
                with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as connection:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute(CREATE)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == 99:
                    raise
                time.sleep(0.05)

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        row = self._connection().execute("SELECT body FROM attributes WHERE user_id = ?",
                                         (request_envelope.context.system.user.user_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        self._connection().execute(SAVE, (request_envelope.context.system.user.user_id, json.dumps(attributes)))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._connection().execute("DELETE FROM attributes WHERE user_id = ?",
                                   (request_envelope.context.system.user.user_id,))


class CountVisit(AbstractResponseInterceptor):
    """One more visit, saved before the answer leaves."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        attributes = handler_input.attributes_manager.persistent_attributes
        attributes["visits"] = attributes.get("visits", 0) + 1
        handler_input.attributes_manager.save_persistent_attributes()


def saving_skill_builder(data_dir: Path) -> CustomSkillBuilder:
    """The hello-world's handlers, with its visits counted in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    adapter = SQLitePersistenceAdapter(data_dir / "hello.sqlite3")
    adapter.create()
    builder = skill_builder(CustomSkillBuilder(persistence_adapter=adapter))
    builder.add_global_response_interceptor(CountVisit())
    return builder
