"""Long histories for the benchmark: owners whose store already holds many finished workouts.

Every workout is done set by set and finished through the skill's own record (``UserRecord``), and
the record with its log entries is saved through the real store, as a turn that finishes a
workout saves it: so the log, its per-exercise rows and the summary (kept apart from the record) are what a
person who trained that often would have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bench.load import TURN_OPTIONS, Returner, Veteran
from skill.config import Settings
from skill.content import load_content
from skill.store import make_store
from skill.store.records import NO_RECORD, LogItem, Owner, RecordStore
from skill.workout.plan import PlanOptions, build_plan
from skill.workout.progress import UserRecord, Workout

# The long history of issue 14: a person with 1,000 finished workouts.
LONG_HISTORY = 1000
# Every plan a person can ask for, taken in turn, so the log and its summary span every exercise.
PLANS = [PlanOptions(level, length, equipment) for level in ("beginner", "intermediate", "advanced")
         for length in (15, 30, 45) for equipment in ("bodyweight", "dumbbells", "barbell")]
# The first workout's start; one every four days after it.
FIRST = datetime(2015, 1, 1, 18, tzinfo=timezone.utc)


def long_history(workouts: int = LONG_HISTORY, plans: Sequence[PlanOptions] = PLANS
                 ) -> tuple[dict[str, Any], list[LogItem], dict[str, Any] | None]:
    """A live record (no workout in progress), its log and its summary after ``workouts`` finished
    workouts (of ``plans`` in turn), every set done with a load."""
    content = load_content()
    record = UserRecord()
    for number in range(workouts):
        options = plans[number % len(plans)]
        began = FIRST + timedelta(days=4 * number)
        record.workout = Workout(options=options, items=build_plan(options, content),
                                 started_at=began.isoformat(), last_turn_at=began.isoformat())
        while not record.workout.complete_set(reps=8, load=20 + number % 40, unit="kg").workout_finished:
            pass
        record.finish_workout(began + timedelta(minutes=40), content)
    return record.to_dict(), record.take_log_items(), record.take_summary()


# Workouts appended per save: a DynamoDB transaction holds at most 100 items (a workout is one, plus
# one per exercise in it).
WORKOUTS_PER_SAVE = 8


def save_history(store: RecordStore, owner: Owner, workouts: int) -> None:
    """Give ``owner`` (with no record yet) a log of ``workouts`` finished workouts and its summary."""
    attributes, items, summary = long_history(workouts)
    revision: int | None = NO_RECORD
    for start in range(0, len(items), WORKOUTS_PER_SAVE):
        last = start + WORKOUTS_PER_SAVE >= len(items)
        revision = store.save(owner, attributes, based_on=revision, log=items[start:start + WORKOUTS_PER_SAVE],
                              summary=summary if last else None)


def seed(data_dir: Path, user_ids: Iterable[str], workouts: int = LONG_HISTORY,
         plans: Sequence[PlanOptions] = PLANS) -> None:
    """Give each account in ``user_ids`` (with no record yet) a log of ``workouts`` finished workouts
    (of ``plans`` in turn), in the SQLite store the skill opens in ``data_dir``."""
    attributes, items, summary = long_history(workouts, plans)
    store = make_store(Settings(data_dir=data_dir))
    for user_id in user_ids:
        store.save(Owner(user_id), attributes, based_on=NO_RECORD, log=items, summary=summary)


def seed_bench_users(data_dir: Path, numbers: Iterable[int]) -> None:
    """The benchmark's users with a history: veterans with LONG_HISTORY workouts of every plan,
    returners with one workout of the plan the benchmark's workouts follow."""
    numbers = list(numbers)
    seed(data_dir, [Veteran.user_id(number) for number in numbers])
    seed(data_dir, [Returner.user_id(number) for number in numbers], workouts=1, plans=[TURN_OPTIONS])


def logged_workouts(data_dir: Path, user_id: str) -> tuple[int, int]:
    """How many workouts the account's log holds (read in one page) and how many its summary counts."""
    store = make_store(Settings(data_dir=data_dir))
    owner = Owner(user_id)
    summary = store.load_summary(owner, store.load(owner).summary_at) or {}
    return len(store.log_page(owner, limit=100_000)), int(summary.get("workouts", 0))
