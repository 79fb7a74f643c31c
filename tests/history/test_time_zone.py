"""Weeks and days in the person's time zone (UTC until it is known): the coach with a fixed clock."""

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
