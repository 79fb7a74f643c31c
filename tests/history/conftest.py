"""An app over a counting store, and training logs seeded through the store's own API (loads and units set)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone

import pytest

from skill.store.records import Owner
from skill.training.log import LogEntry, LoggedSet
from skill.workout.progress import UserRecord
# The app over a store whose every call is counted, as the state tests build it.
from tests.state.conftest import CountingStore, app, store  # noqa: F401

USER = "amzn1.ask.account.LOCAL-DEVELOPER"


def today() -> date:
    return datetime.now(timezone.utc).date()


def lift(exercise: str, reps: int, load: float | None = None, unit: str | None = "kg", sets: int = 3,
         block: str = "main") -> list[LoggedSet]:
    """``sets`` sets of ``reps`` at ``load`` (None: bodyweight, no unit)."""
    return [LoggedSet(exercise=exercise, set_number=number, reps=reps, load=load,
                      unit=unit if load is not None else None, block=block) for number in range(1, sets + 1)]


def workout(day: date, *groups: list[LoggedSet], minutes: int = 32) -> LogEntry:
    """A finished workout on ``day`` (18:00 UTC) holding ``groups`` of sets."""
    sets = tuple(logged for group in groups for logged in group)
    finished = datetime.combine(day, time(18, 0), tzinfo=timezone.utc)
    started = finished - timedelta(minutes=minutes)
    return LogEntry(
        workout_id=started.strftime("%Y%m%dT%H%M%SZ"), started_at=started.isoformat(),
        finished_at=finished.isoformat(), date=day.isoformat(), level="intermediate", length=30,
        equipment="barbell", minutes=minutes, sets=sets, exercises=tuple(dict.fromkeys(s.exercise for s in sets)),
        set_count=len(sets),
    )


Seed = Callable[..., None]


@pytest.fixture
def seed(store: CountingStore) -> Seed:
    """Write ``entries`` to the log and their summary to the live record, in one save, as a finished workout does."""

    def write(entries: Sequence[LogEntry], *, user_id: str = USER, time_zone: str | None = None) -> None:
        owner = Owner(user_id)
        record = UserRecord(time_zone=time_zone)
        for entry in sorted(entries, key=lambda entry: entry.finished_at):
            record.summary.add(entry)
        loaded = store.store.load(owner)
        store.store.save(owner, record.to_dict(), based_on=loaded.revision,
                         log=[entry.log_item() for entry in entries])

    return write
