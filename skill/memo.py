"""Values worked out from an object, kept by that very object (by identity, never by equality).

A worker's next turn on a record it saved itself gets back the very objects that save wrote
(the store keeps them as its copy, and a saved workout hands its plan and its snapshot of the
summary on unchanged from save to save), so what was read from them once need not be read again
for the rest of the workout; a response written for the answer kept for a repeat is handed to the
envelope's write the same way. Each object is held with its value, so its id is not reused while
it is here; the least recently used go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

Value = TypeVar("Value")
# Of each kind, as many as the store keeps records of (skill.store.cache.CACHE_SIZE).
KEPT = 1024


class IdentityMemo(Generic[Value]):
    """Values by the object they were read from (compared by identity, never by equality)."""

    def __init__(self, size: int = KEPT) -> None:
        self._values: OrderedDict[int, tuple[Any, Value]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, raw: Any) -> Value | None:
        with self._lock:
            held = self._values.get(id(raw))
        return held[1] if held is not None and held[0] is raw else None

    def put(self, raw: Any, value: Value) -> None:
        with self._lock:
            self._values[id(raw)] = (raw, value)
            self._values.move_to_end(id(raw))
            if len(self._values) > self._size:
                self._values.popitem(last=False)

    def value_of(self, raw: Any, make: Callable[[Any], Value]) -> Value:
        """The value held for ``raw``, else ``make(raw)``, held from now on."""
        value = self.get(raw)
        if value is None:
            value = make(raw)
            self.put(raw, value)
        return value

    def take(self, raw: Any) -> Value | None:
        """The value held for ``raw``, once: it is let go (None if none was held)."""
        with self._lock:
            held = self._values.pop(id(raw), None)
        return held[1] if held is not None and held[0] is raw else None
