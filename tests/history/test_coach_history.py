"""The coach on its own, with a fixed clock: weeks in the person's time zone, the end-of-workout screen."""

from __future__ import annotations

import random
from datetime import date, datetime, timezone
from typing import Any

import pytest

from skill.content import load_content
from skill.conversation.coach import Coach
from skill.conversation.said import LegDayCount, Said, Streak
from skill.conversation.session import Turn
from skill.ssml import plain_text
from skill.workout.progress import UserRecord
from tests.history.conftest import lift, workout

# Sunday evening in UTC is already Monday morning in Auckland (UTC+13 in November).
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=timezone.utc)
TRAINED = [date(2026, 11, 16), date(2026, 11, 23)]


class PageLog:
    """A log that hands back its entries and remembers what was asked of it."""

    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        self.bodies = bodies
        self.asked: list[dict[str, Any]] = []

    def page(self, *, limit: int, since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        self.asked.append({"limit": limit, "since": since, "exercise": exercise})
        return [body for body in self.bodies if since is None or body["finished_at"] >= since][:limit]


def ask(said: Said, zone: str | None) -> tuple[str, PageLog]:
    record = UserRecord(time_zone=zone)
    entries = [workout(day, lift("squat", 8, 60)) for day in TRAINED]
    for entry in entries:
        record.summary.add(entry)
    log = PageLog([entry.to_body() for entry in reversed(entries)])
    reply = Coach(load_content(), random.Random(1)).answer(Turn(record=record, now=NOW, log=log), said)
    return plain_text(reply.speech.ssml()), log


@pytest.mark.parametrize(("zone", "waiting"), [(None, False), ("Pacific/Auckland", True), ("Nonsense/Zone", False)])
def test_the_streak_s_week_turns_over_at_the_person_s_midnight(zone: str | None, waiting: bool) -> None:
    speech, log = ask(Streak(), zone)
    assert ("still to come" in speech) is waiting, speech
    assert "2 week" in speech or "2 weeks" in speech
    assert log.asked == []


@pytest.mark.parametrize(("zone", "since", "count"), [
    (None, "2026-11-23T00:00:00+00:00", "1 leg day this week"),
    ("Pacific/Auckland", "2026-11-29T11:00:00+00:00", "No leg days this week yet."),
])
def test_this_week_is_one_page_from_the_person_s_monday(zone: str | None, since: str, count: str) -> None:
    speech, log = ask(LegDayCount("week"), zone)
    assert count in speech, speech
    assert log.asked == [{"limit": 50, "since": since, "exercise": None}]


def test_the_end_of_workout_screen_shows_volume_bests_and_the_chart() -> None:
    from datetime import timedelta

    from skill.conversation.context import Context
    from skill.conversation.phrasing import Phrasing
    from skill.conversation.screens import ProgressScreen, Screen
    from skill.conversation.steps import history
    from skill.services import OFFLINE
    from skill.workout.progress import HistoryEntry

    day = NOW.date()
    earlier = [workout(day - timedelta(weeks=weeks), lift("squat", 8, 55 + weeks)) for weeks in (2, 1)]
    finished = workout(day, lift("squat", 8, 60), lift("glute_bridge", 12))
    record = UserRecord()
    for entry in [*earlier, finished]:
        record.summary.add(entry)
    log = PageLog([entry.to_body() for entry in reversed(earlier)])
    ctx = Context(Turn(record=record, now=NOW, log=log), Phrasing(load_content(), random.Random(1)), OFFLINE)
    shown = history.summary_screen(ctx, HistoryEntry(NOW.isoformat(), "beginner", 30, ("squat",), 6, 32))
    assert isinstance(shown, ProgressScreen)
    # 3 x 8 x 60 kg; the bridges carried no load.
    assert shown.facts == ("6 sets", "Volume: 1440 kg", "Best squat: 60 kg x 8")
    [squat] = shown.lifts
    assert squat.latest == "Squat: 60 kg" and squat.line.count("L") == 2
    assert len(log.asked) == 1

    bodyweight = UserRecord()
    bodyweight.summary.add(workout(day, lift("glute_bridge", 12)))
    plain = Context(Turn(record=bodyweight, now=NOW, log=log), ctx.phrasing, OFFLINE)
    assert isinstance(history.summary_screen(plain, HistoryEntry(NOW.isoformat(), "beginner", 15, (), 3, 12)), Screen)
