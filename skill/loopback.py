"""Development mode stays on this machine: the rules for the console and for ``/alexa`` under ``--dev``.

Loopback only, asked for by a loopback name, never through a proxy, and a POST only from the
page's own origin: a proxy or tunnel on this machine would make the world look local, a page
elsewhere could point a DNS name at 127.0.0.1, and any web page open in the same browser could
otherwise post to the development server (a ``text/plain`` form post needs no preflight).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from flask import Request

LOOPBACK_NAMES = {"localhost"}
# Headers proxies, tunnels and CDNs add to say who the real client was, under every name in
# use (Forwarded, X-Forwarded-*, X-Original-Forwarded-For, Via, X-Real-IP, CF-Connecting-IP,
# True-Client-IP, Fastly-Client-IP, X-Client-IP, X-Cluster-Client-IP, X-Originating-IP...).
PROXY_HEADER = re.compile(r"forwarded|^via$|-ip$|^client-ip$|clientip|^cf-|^x-envoy-|^x-amzn-trace", re.IGNORECASE)


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped) and the name localhost."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def proxy_headers(request: Request) -> list[str]:
    """The headers of ``request`` that a proxy or tunnel added."""
    return [name for name in request.headers.keys() if PROXY_HEADER.search(name)]


def refusal(request: Request, what: str) -> str | None:
    """Why ``request`` may not reach ``what`` (the console, the development endpoint), or None."""
    if not is_loopback(request.remote_addr):
        return f"{what} answers only on loopback (127.0.0.1)"
    if proxied := proxy_headers(request):
        return f"{what} does not answer forwarded requests (through a proxy or tunnel: {proxied[0]})"
    if not is_loopback(_host_name(request.host)):
        return f"{what} answers only as http://127.0.0.1:PORT or http://localhost:PORT"
    if request.method == "POST":
        origin = request.headers.get("Origin")
        if origin is not None and origin != request.host_url.rstrip("/"):
            return f"{what} answers only its own pages, not posts from {origin}"
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}:
            return f"{what} answers only its own pages, not posts from other sites"
    return None


def _host_name(host: str) -> str | None:
    try:
        return urlsplit(f"//{host}").hostname
    except ValueError:  # a Host header that is not a host
        return None
