"""Running the app under gunicorn, the production WSGI server, from Python (no config file)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """Serve an app factory's result with gunicorn; each worker process builds its own app."""

    def __init__(self, make_app: Any, options: dict[str, Any]) -> None:
        self._make_app = make_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        # gunicorn 25.1+ opens a control socket at one path per user ($XDG_RUNTIME_DIR or
        # ~/.gunicorn/gunicorn.ctl): two servers would share it, and stopping one removes it for
        # the other. Nothing here uses it, so no instance opens one.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Flask:
        return self._make_app()


def serve(make_app: Any, *, host: str, port: int, workers: int, threads: int = 4, log_level: str = "info") -> None:
    """Block serving ``make_app()`` on host:port with ``workers`` processes of ``threads`` threads."""
    GunicornServer(
        make_app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": "-",
            "loglevel": log_level.lower(),
        },
    ).run()
