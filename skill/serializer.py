"""The SDK's serializer with its two slow steps made fast; same results, same errors.

``DefaultSerializer`` parses every timestamp with dateutil's general-purpose parser and looks up
each model class by importing its module by name, about a dozen times per request. Alexa's
timestamps are ISO 8601, which ``datetime.fromisoformat`` reads directly (anything else still
goes to dateutil), and a class name always means the same class, so lookups are cached. Together
about 80 microseconds per request, a fifth of a whole turn's own work.

The overridden methods are the SDK's name-mangled private ones; ``tests/skill`` checks that the
fast path is taken and gives what the SDK gives.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

_SDK_LOAD_CLASS = DefaultSerializer._DefaultSerializer__load_class_from_name  # type: ignore[attr-defined]
_SDK_DATETIME = DefaultSerializer._DefaultSerializer__deserialize_datetime  # type: ignore[attr-defined]


class FastSerializer(DefaultSerializer):
    """``DefaultSerializer`` with cached class lookups and ISO 8601 timestamps read natively."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, Any] = {}

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:  # noqa: N802
        found = self._classes.get(class_name)
        if found is None:
            found = self._classes[class_name] = _SDK_LOAD_CLASS(self, class_name)
        return found

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:  # noqa: N802
        if isinstance(payload, str) and obj_type in (datetime, date):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                return _SDK_DATETIME(self, payload, obj_type)
            return parsed.date() if obj_type is date else parsed
        return _SDK_DATETIME(self, payload, obj_type)
