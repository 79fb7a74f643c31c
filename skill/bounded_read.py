"""Reading a response body with a size cap and a deadline: a host that trickles bytes is cut off."""

from __future__ import annotations

import time
from collections.abc import Iterable


def read_bounded(chunks: Iterable[bytes], *, limit: int, deadline: float, what: str) -> bytes:
    """Join ``chunks``; ``ValueError`` past ``limit`` bytes, ``TimeoutError`` past ``deadline`` (monotonic)."""
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise ValueError(f"{what} is larger than {limit} bytes")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} took too long")
        parts.append(chunk)
    return b"".join(parts)
