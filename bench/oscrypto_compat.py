"""Let oscrypto 1.3.0 read any OpenSSL version string, so the benchmark can import the SDK's own web-service stack.

oscrypto 1.3.0 (the newest release, pulled in by certvalidator) finds libcrypto's version with
the regex ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``, which cannot match a two-digit part such as
"OpenSSL 3.0.19", so importing it raises ``LibraryNotFoundError`` at import time. oscrypto's
master fixed it by allowing ``\\d+`` in every part, but that fix is unreleased.

``install()`` puts a meta-path finder in front of the import system that acts on exactly the
two modules holding that regex. When their source still contains the broken patterns, it
compiles the source with the upstream patterns swapped in and nothing else changed; when the
patterns are absent (a fixed oscrypto) it steps aside and the normal import runs. oscrypto
itself, and with it certvalidator's signature checks, run unmodified otherwise.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Sequence
from types import CodeType, ModuleType

PATCHED_MODULES = frozenset(
    {
        "oscrypto._openssl._libcrypto_cffi",
        "oscrypto._openssl._libcrypto_ctypes",
    }
)

# The patterns exactly as written in oscrypto 1.3.0's source, and upstream's fix.
REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (
        r"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'",
        r"'\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b'",
    ),
    (
        r"'(?<=LibreSSL )(\\d\\.\\d(\\.\\d)?)\\b'",
        r"'(?<=LibreSSL )(\\d+\\.\\d+(\\.\\d+)?)\\b'",
    ),
)

_install_lock = threading.Lock()


def needs_patch(source: str) -> bool:
    """Tell whether ``source`` still holds one of oscrypto 1.3.0's broken version patterns."""
    return any(broken in source for broken, _ in REPLACEMENTS)


def patch_source(source: str) -> str:
    """Return ``source`` with each broken version pattern replaced by upstream's fix."""
    for broken, fixed in REPLACEMENTS:
        source = source.replace(broken, fixed)
    return source


class _PatchedSourceLoader(importlib.machinery.SourceFileLoader):
    """Compile the module from its patched source."""

    def get_code(self, fullname: str) -> CodeType:
        # Bypass the bytecode cache both ways: a cached .pyc holds the unpatched code, and the
        # patched code must not be written back as if it matched the file on disk.
        path = self.get_filename(fullname)
        source = importlib.util.decode_source(self.get_data(path))
        return self.source_to_code(patch_source(source), path)


class OscryptoVersionFinder:
    """Meta-path finder that patches oscrypto's libcrypto version detection and nothing else."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """Return a patching spec for the two affected modules while they need it, else None."""
        if fullname not in PATCHED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = spec.loader.get_filename(fullname)
        try:
            source = importlib.util.decode_source(spec.loader.get_data(origin))
        except OSError:
            return None
        if not needs_patch(source):
            return None
        return importlib.util.spec_from_file_location(
            fullname, origin, loader=_PatchedSourceLoader(fullname, origin)
        )


def is_installed() -> bool:
    """Tell whether the finder is on ``sys.meta_path``."""
    return any(isinstance(finder, OscryptoVersionFinder) for finder in sys.meta_path)


def install() -> None:
    """Put the finder first on ``sys.meta_path``; calling it again changes nothing."""
    with _install_lock:
        if not is_installed():
            sys.meta_path.insert(0, OscryptoVersionFinder())


def uninstall() -> None:
    """Take the finder off ``sys.meta_path`` (modules already imported stay as they are)."""
    with _install_lock:
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, OscryptoVersionFinder)]
