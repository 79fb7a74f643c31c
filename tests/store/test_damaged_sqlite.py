"""A damaged SQLite file tells the truth: every read and write fails as StoreUnavailable,
``/healthz`` answers 503 naming the file, and ``legday serve`` refuses to start with one line.

The file is never moved aside or replaced: it holds people's progress, and what to do with it
(restore a backup, ``sqlite3 legday.sqlite3 .recover``) is the operator's decision.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from skill import cli
from skill.app import create_app
from skill.config import Settings
from skill.store.records import NO_RECORD, Owner, StoreUnavailable
from skill.store.sqlite import SQLiteStore
from tests.store.conftest import workout

ME = Owner("amzn1.ask.account.ME")
REPO = Path(__file__).resolve().parents[2]


def filled(settings: Settings, people: int = 300) -> SQLiteStore:
    """A store with enough people that their records span many pages of the file."""
    store = SQLiteStore(settings.database_path)
    for number in range(people):
        store.save(Owner(f"amzn1.ask.account.U{number}"), {"padding": "x" * 400, "n": number}, NO_RECORD,
                   log=[workout(1)])
    return store


def truncate(path: Path, size: int = 1000) -> None:
    # Everything written so far moved from the write-ahead log into the file, as at rest.
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as file:
        file.truncate(size)


def test_a_file_truncated_while_running_fails_reads_and_writes_and_health_says_why(settings: Settings) -> None:
    store = filled(settings)
    assert store.health() is None
    truncate(settings.database_path)

    problem = store.health()
    assert problem is not None and str(settings.database_path) in problem and "damaged" in problem
    assert "\n" not in problem
    with pytest.raises(StoreUnavailable, match="damaged"):  # a worker starting now
        SQLiteStore(settings.database_path)
    with pytest.raises(StoreUnavailable):
        store.save(Owner("amzn1.ask.account.NEW"), {"n": 1}, NO_RECORD)
    with pytest.raises(StoreUnavailable):
        store.load(Owner("amzn1.ask.account.U150"))
    assert store.health() == problem


def test_healthz_answers_503_naming_the_damaged_file(settings: Settings) -> None:
    app = create_app(settings)
    healthy = app.test_client().get("/healthz")
    assert healthy.status_code == 200 and healthy.get_json()["status"] == "ok"
    filled(settings, people=50)
    truncate(settings.database_path)

    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "store unavailable" and str(settings.database_path) in body["problem"]


def test_legday_serve_refuses_a_damaged_file_with_one_line_naming_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(settings, people=50)
    truncate(settings.database_path)
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(settings.data_dir))
    started: list[object] = []
    monkeypatch.setattr("skill.serve.serve", lambda *args, **kwargs: started.append(args))

    result = CliRunner().invoke(cli.main, ["serve", "--dev"])
    assert result.exit_code == 1 and not started
    refusal = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(refusal) == 1 and str(settings.database_path) in refusal[0] and "move it aside" in refusal[0]
    assert "Traceback" not in result.output
    assert settings.database_path.stat().st_size == 1000, "the file was left as it was"


def test_a_file_corrupted_in_the_middle_is_refused_at_start(settings: Settings) -> None:
    filled(settings)
    truncate(settings.database_path, settings.database_path.stat().st_size)
    data = bytearray(settings.database_path.read_bytes())
    data[20_000:60_000] = b"\xa5" * 40_000
    settings.database_path.write_bytes(bytes(data))

    from skill.store import refusal_at_start

    refusal = refusal_at_start(settings)
    assert refusal is not None and str(settings.database_path) in refusal


def test_a_healthy_or_missing_file_is_no_reason_to_refuse(settings: Settings) -> None:
    from skill.store import refusal_at_start

    assert refusal_at_start(settings) is None
    filled(settings, people=5)
    assert refusal_at_start(settings) is None
    assert refusal_at_start(settings.replace(store="dynamodb")) is None


@pytest.mark.slow
def test_the_real_command_prints_one_line_and_no_traceback(settings: Settings) -> None:
    filled(settings, people=50)
    truncate(settings.database_path)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "legday"), "serve", "--port", "5999"], cwd=REPO, capture_output=True, text=True,
        timeout=60, env={"PATH": "/usr/bin:/bin", "LEGDAY_DATA_DIR": str(settings.data_dir), "HOME": str(settings.data_dir)},
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(settings.database_path) in errors[0]
    assert "Traceback" not in result.stderr
