"""A content-addressed file store that several threads and processes can share.

Files are written to a temporary name and moved into place with ``os.replace``, so a reader
sees a whole file or none. A lock per key (an advisory ``flock`` where the OS has one) makes
concurrent makers of one key wait for the first instead of doing the work again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: threads still wait on each other; processes may repeat work, never corrupt it.
    fcntl = None  # type: ignore[assignment]

KEY_LENGTH = 32
_KEY = re.compile(rf"^[0-9a-f]{{{KEY_LENGTH}}}$")


def content_key(**fields: object) -> str:
    """A stable hash of named fields (JSON, sorted keys), as 32 hex characters."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def is_key(value: str) -> bool:
    """True for strings shaped like ``content_key`` output (and so safe as file names)."""
    return bool(_KEY.match(value))


class FileStore:
    """Files named ``<key><suffix>`` in one folder, written atomically, never empty."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._locks_folder = folder / ".locks"
        self._thread_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, key: str, suffix: str) -> Path:
        """Where the file for ``key`` lives (it may not exist)."""
        if not is_key(key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.folder / f"{key}{suffix}"

    def find(self, key: str, suffix: str) -> Path | None:
        """The stored file for ``key``, or None."""
        path = self.path(key, suffix)
        return path if path.is_file() and path.stat().st_size > 0 else None

    def write(self, key: str, suffix: str, data: bytes) -> Path:
        """Store ``data`` under ``key`` atomically; empty data is refused."""
        if not data:
            raise ValueError("refusing to store an empty file")
        target = self.path(key, suffix)
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".part", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return target

    def get_or_make(self, key: str, suffix: str, make: Callable[[], bytes]) -> tuple[Path, bool]:
        """The file for ``key``, calling ``make`` only if no one has stored it yet; True when made here."""
        if (found := self.find(key, suffix)) is not None:
            return found, False
        with self.lock(key):
            if (found := self.find(key, suffix)) is not None:
                return found, False
            return self.write(key, suffix, make()), True

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        """Hold the lock for ``key`` across threads and, where possible, processes."""
        with self._guard:
            # One lock per key prefix, as for the lock files: bounded, and same-prefix keys already share a file lock.
            thread_lock = self._thread_locks.setdefault(key[:2], threading.Lock())
        with thread_lock:
            if fcntl is None:
                yield
                return
            self._locks_folder.mkdir(parents=True, exist_ok=True)
            # 256 shared lock files at most, instead of one per clip left behind forever.
            with open(self._locks_folder / f"{key[:2]}.lock", "a+b") as lock_file:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
