"""Alexa's rules for the ``SignatureCertChainUrl`` header, and the one canonical form of a URL that passes them.

Amazon's rules: scheme ``https`` and host ``s3.amazonaws.com`` (both in any case), port 443 if
given, and a path that starts with ``/echo.api/`` (case-sensitive) once ``..`` is resolved. On top
of those, a URL that carries anything the rules do not speak of (user info, a query, a fragment,
percent-escapes or characters outside plain path characters) is refused, and a URL that passes is
rewritten to ``https://s3.amazonaws.com/<resolved path>``. The cache, the download and the
single-flight all key on that form, so ``...pem#1``, ``...pem#2`` and ``HTTPS://S3...:443/...``
cannot each cost a download and push the real chain out of the cache.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

CERT_URL_SCHEME = "https"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PORT = 443
CERT_URL_PATH_PREFIX = "/echo.api/"
# Unreserved characters and the slash: everything Amazon's certificate paths are made of.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~/-]+")


class CertUrlError(ValueError):
    """A certificate URL that breaks one of the rules; the message names the rule."""


def canonical_cert_url(url: object) -> str:
    """The canonical form of an acceptable certificate URL; raises ``CertUrlError`` naming the broken rule."""
    if not isinstance(url, str):
        raise CertUrlError("Signature certificate URL is malformed")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise CertUrlError("Signature certificate URL is malformed") from error
    if parts.scheme.lower() != CERT_URL_SCHEME:
        raise CertUrlError(f"Signature certificate URL has invalid protocol: {parts.scheme or '(none)'}")
    if "@" in parts.netloc or (parts.hostname or "").lower() != CERT_URL_HOST:
        raise CertUrlError(f"Signature certificate URL has invalid hostname: {parts.netloc or '(none)'}")
    if port is not None and port != CERT_URL_PORT:
        raise CertUrlError(f"Signature certificate URL has invalid port: {port}")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise CertUrlError("Signature certificate URL must not carry a query or a fragment")
    if not _PLAIN_PATH.fullmatch(parts.path):
        raise CertUrlError("Signature certificate URL has invalid path: only plain path characters are allowed")
    path = posixpath.normpath(parts.path)
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise CertUrlError(f"Signature certificate URL has invalid path: {parts.path}")
    return f"{CERT_URL_SCHEME}://{CERT_URL_HOST}{path}"
