"""The one place configuration is read: environment variables with documented defaults.

Every setting is listed in ``ENVIRONMENT`` with its default and meaning; the README's
configuration table is checked against it by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


APP_NAME = "legday"
# Alexa waits about this long for an answer; a turn's budget (LEGDAY_TURN_BUDGET) must fit under it.
ALEXA_ANSWER_SECONDS = 8.0

# name -> (default shown in docs, meaning)
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "LEGDAY_DATA_DIR": ("the user data dir, e.g. ~/.local/share/legday (on Lambda: the temporary dir)",
                        "where the SQLite store and the audio cache live"),
    "LEGDAY_VERIFY_REQUESTS": ("1", "verify Alexa's request signature and timestamp; 0 turns both off (local testing only)"),
    "LEGDAY_DEV": ("0", "development mode: verification off and the /console page on (loopback only); what --dev sets"),
    "LEGDAY_SKILL_ID": ("(unset)", "when set, requests for any other application id are refused"),
    "LEGDAY_STORE": ("sqlite", "where progress is kept: sqlite (embedded) or dynamodb (the default on Lambda)"),
    "LEGDAY_DYNAMODB_TABLE": ("legday-progress", "DynamoDB table of live records when LEGDAY_STORE=dynamodb"),
    "LEGDAY_DYNAMODB_LOG_TABLE": ("legday-log", "DynamoDB table of the training log when LEGDAY_STORE=dynamodb"),
    "LEGDAY_DYNAMODB_ENDPOINT": ("(unset)", "DynamoDB endpoint URL, for a local DynamoDB-compatible server"),
    "LEGDAY_DYNAMODB_CONNECT_TIMEOUT": ("1", "seconds allowed to connect to DynamoDB (a read is tried twice at most, "
                                        "a write once; both within the turn's budget)"),
    "LEGDAY_DYNAMODB_READ_TIMEOUT": ("2", "seconds allowed for DynamoDB to answer one call"),
    "LEGDAY_TURN_BUDGET": ("7", "seconds a turn may spend, from the request's arrival, on every outbound call "
                                "together (store, Alexa APIs); under Alexa's 8"),
    "LEGDAY_MAX_BODY_BYTES": ("131072", "request bodies larger than this are refused with 413 before parsing"),
    "LEGDAY_API_TIMEOUT": ("3", "seconds allowed for one call to an Alexa API (timers, reminders, settings), "
                                "at most what the turn's budget has left"),
    "LEGDAY_ALEXA_API_HOSTS": ("api.amazonalexa.com,api.eu.amazonalexa.com,api.fe.amazonalexa.com",
                               "the only hosts Alexa API calls may go to (https; host or host:port, comma-separated); "
                               "change it only to reach a local fake"),
    "LEGDAY_CERT_TIMEOUT": ("3", "seconds allowed to download Alexa's signing certificate chain"),
    "LEGDAY_CERT_CACHE_SECONDS": ("3600", "how long a downloaded certificate chain is reused"),
    "LEGDAY_TTS_ENGINE": ("auto", "speech engine for local audio: auto (gTTS, offline fallback), gtts or offline"),
    "LEGDAY_TTS_TIMEOUT": ("5", "seconds allowed for one request to Google's TTS host"),
    "LEGDAY_TTS_LANG": ("en", "gTTS language"),
    "LEGDAY_TTS_TLD": ("com", "gTTS accent (Google host top-level domain)"),
    "LEGDAY_LOG_LEVEL": ("INFO", "log level of the server and CLI"),
}


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected 1/0, true/false, yes/no or on/off, got {value!r}")


def default_data_dir() -> Path:
    # Imported here, not at the top: only a local run needs it, and a Lambda cold start pays for every import.
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything the skill, the server and the CLI can be configured with."""

    data_dir: Path = dataclasses.field(default_factory=default_data_dir)
    verify_requests: bool = True
    dev: bool = False
    skill_id: str | None = None
    store: str = "sqlite"
    dynamodb_table: str = "legday-progress"
    dynamodb_log_table: str = "legday-log"
    dynamodb_endpoint: str | None = None
    dynamodb_connect_timeout: float = 1.0
    dynamodb_read_timeout: float = 2.0
    turn_budget: float = 7.0
    max_body_bytes: int = 128 * 1024
    api_timeout: float = 3.0
    # Amazon's API hosts for North America, Europe and the Far East.
    alexa_api_hosts: tuple[str, ...] = ("api.amazonalexa.com", "api.eu.amazonalexa.com", "api.fe.amazonalexa.com")
    cert_timeout: float = 3.0
    cert_cache_seconds: float = 3600.0
    tts_engine: str = "auto"
    tts_timeout: float = 5.0
    tts_lang: str = "en"
    tts_tld: str = "com"
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        if self.dev and self.verify_requests:
            # Development mode means unsigned local requests: it always turns verification off.
            object.__setattr__(self, "verify_requests", False)
        if self.store not in {"sqlite", "dynamodb"}:
            raise ValueError(f"LEGDAY_STORE must be sqlite or dynamodb, got {self.store!r}")
        if self.tts_engine not in {"auto", "gtts", "offline"}:
            raise ValueError(f"LEGDAY_TTS_ENGINE must be auto, gtts or offline, got {self.tts_engine!r}")
        if self.dynamodb_connect_timeout <= 0 or self.dynamodb_read_timeout <= 0:
            raise ValueError("LEGDAY_DYNAMODB_CONNECT_TIMEOUT and LEGDAY_DYNAMODB_READ_TIMEOUT must be positive")
        if not 0 < self.turn_budget < ALEXA_ANSWER_SECONDS:
            raise ValueError(f"LEGDAY_TURN_BUDGET must be above 0 and under Alexa's {ALEXA_ANSWER_SECONDS:g} s, "
                             f"got {self.turn_budget!r}")
        if self.max_body_bytes <= 0:
            raise ValueError("LEGDAY_MAX_BODY_BYTES must be positive")

    @property
    def database_path(self) -> Path:
        return self.data_dir / "legday.sqlite3"

    @property
    def audio_cache_dir(self) -> Path:
        return self.data_dir / "audio-cache"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from the environment (``os.environ`` unless given)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name)
            return value if value not in (None, "") else None

        values: dict[str, Any] = {}
        if (data_dir := get("LEGDAY_DATA_DIR")) is not None:
            values["data_dir"] = Path(data_dir).expanduser()
        if (verify := get("LEGDAY_VERIFY_REQUESTS")) is not None:
            values["verify_requests"] = _flag(verify)
        if (dev := get("LEGDAY_DEV")) is not None:
            values["dev"] = _flag(dev)
        text_settings = {
            "LEGDAY_SKILL_ID": "skill_id",
            "LEGDAY_STORE": "store",
            "LEGDAY_DYNAMODB_TABLE": "dynamodb_table",
            "LEGDAY_DYNAMODB_LOG_TABLE": "dynamodb_log_table",
            "LEGDAY_DYNAMODB_ENDPOINT": "dynamodb_endpoint",
            "LEGDAY_TTS_ENGINE": "tts_engine",
            "LEGDAY_TTS_LANG": "tts_lang",
            "LEGDAY_TTS_TLD": "tts_tld",
            "LEGDAY_LOG_LEVEL": "log_level",
        }
        for name, field in text_settings.items():
            if (text := get(name)) is not None:
                values[field] = text.strip()
        if (hosts := get("LEGDAY_ALEXA_API_HOSTS")) is not None:
            values["alexa_api_hosts"] = tuple(host.strip().lower() for host in hosts.split(",") if host.strip())
        number_settings = {
            "LEGDAY_MAX_BODY_BYTES": ("max_body_bytes", int),
            "LEGDAY_DYNAMODB_CONNECT_TIMEOUT": ("dynamodb_connect_timeout", float),
            "LEGDAY_DYNAMODB_READ_TIMEOUT": ("dynamodb_read_timeout", float),
            "LEGDAY_TURN_BUDGET": ("turn_budget", float),
            "LEGDAY_API_TIMEOUT": ("api_timeout", float),
            "LEGDAY_CERT_TIMEOUT": ("cert_timeout", float),
            "LEGDAY_CERT_CACHE_SECONDS": ("cert_cache_seconds", float),
            "LEGDAY_TTS_TIMEOUT": ("tts_timeout", float),
        }
        for name, (field, kind) in number_settings.items():
            if (number := get(name)) is not None:
                try:
                    values[field] = kind(number)
                except ValueError as error:
                    raise ValueError(f"{name} must be a number, got {number!r}") from error
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def resolve_settings(config: Settings | Mapping[str, Any] | None) -> Settings:
    """Accept a Settings, a mapping of field overrides on top of the environment, or None."""
    if isinstance(config, Settings):
        return config
    settings = Settings.from_env()
    if config:
        overrides = dict(config)
        if "data_dir" in overrides:
            overrides["data_dir"] = Path(overrides["data_dir"])
        settings = settings.replace(**overrides)
    return settings
