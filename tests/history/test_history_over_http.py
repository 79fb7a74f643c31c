"""History questions over HTTP: real request envelopes in, answers from a log seeded through the store."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import Send, read_request
from tests.history.conftest import Seed, lift, today, workout
from tests.state.conftest import CountingStore

QUESTIONS = ["history_last_workout", "history_last_squat", "history_best_deadlift", "history_count",
             "history_count_month", "history_count_year", "history_count_week", "history_streak",
             "history_show_progress"]


def weeks_said(speech: str) -> int | None:
    """The streak in an answer, whichever variant said it ("a 4 week streak", "4 weeks in a row")."""
    found = re.search(r"(\d+) weeks? (?:streak|in a row)", speech)
    return int(found.group(1)) if found else None


@pytest.fixture
def three_weeks(seed: Seed) -> None:
    """Squats and deadlifts in three consecutive weeks, heavier each week; the last one today."""
    day = today()
    seed([
        workout(day - timedelta(days=14), lift("squat", 8, 55), lift("deadlift", 5, 90, sets=2)),
        workout(day - timedelta(days=7), lift("squat", 8, 57.5), lift("deadlift", 5, 95, sets=2)),
        workout(day, lift("squat", 8, 60) + lift("squat", 6, 62.5, sets=1)[:1],
                lift("deadlift", 5, 100, sets=2), lift("glute_bridge", 12, block="main"), minutes=41),
    ])


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_new_user_hears_a_kind_answer_and_an_offer_to_start(send: Send, store: CountingStore,
                                                              question: str) -> None:
    answer = send(question)
    assert answer.speech.startswith(("No leg days logged yet: say start leg day", "Nothing logged yet. Say start leg day"))
    assert answer.ends_session is False and answer.attributes["pending"] == "start"
    assert store.calls["log_page"] == 0, "a new user's summary says there is nothing to read"
    assert "directives" not in answer.response or not answer.response["directives"]
    assert send("yes").speech.startswith("Here's your"), "yes starts the offered leg day"


def test_what_did_i_do_last_time_reads_one_page(send: Send, store: CountingStore, three_weeks: None) -> None:
    answer = send("history_last_workout")
    speech = answer.speech
    assert "today: 9 sets in 41 minutes, with squat, deadlift and glute bridge." in speech, speech
    assert "Top sets: squat, 62 and a half kilos for 6 and deadlift, 100 kilos for 5." in speech
    assert store.calls["log_page"] == 1
    assert answer.ends_session is False


def test_what_did_i_squat_last_time_comes_from_the_summary(send: Send, store: CountingStore,
                                                           three_weeks: None) -> None:
    speech = send("history_last_squat").speech
    assert "squat" in speech and "today" in speech
    assert "3 sets of 8 at 60 kilos and a set of 6 at 62 and a half kilos" in speech, speech
    assert store.calls["log_page"] == 0


def test_best_deadlift_names_the_set_its_estimate_and_the_date(send: Send, store: CountingStore, seed: Seed) -> None:
    day = today()
    best_day = day - timedelta(days=3)
    seed([workout(day - timedelta(days=30), lift("deadlift", 5, 225, unit="lb")),
          workout(best_day, lift("deadlift", 5, 245, unit="lb")),
          workout(day, lift("deadlift", 3, 240, unit="lb"))])
    speech = send("history_best_deadlift").speech
    weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][best_day.weekday()]
    # Epley: 245 x (1 + 5/30) = 285.8, to the nearest half pound.
    assert "245 pounds for 5 reps" in speech and f"on {weekday}" in speech, speech
    assert "one rep max of 286 pounds" in speech, speech
    assert store.calls["log_page"] == 0


def test_an_exercise_never_done_and_one_not_named(send: Send, seed: Seed) -> None:
    seed([workout(today(), lift("squat", 8, 60))])
    deadlift = read_request("history_last_squat")
    deadlift["request"]["intent"]["slots"]["exercise"] = read_request("history_best_deadlift")["request"]["intent"][
        "slots"]["exercise"]
    assert "You haven't done the deadlift with me yet." in send(deadlift).speech
    never = send("history_best_deadlift").speech
    assert "no deadlift with a weight logged yet" in never
    unnamed = read_request("history_best_deadlift")
    del unnamed["request"]["intent"]["slots"]["exercise"]
    asked = send(unnamed)
    assert asked.speech.startswith("Which exercise?") and asked.ends_session is False


def test_counts_ever_this_month_this_year_and_this_week(send: Send, store: CountingStore, seed: Seed) -> None:
    day = today()
    days = [day, day - timedelta(days=1), day - timedelta(days=9), day - timedelta(days=40), day - timedelta(days=400)]
    seed([workout(one, lift("squat", 8, 60)) for one in days])
    month = sum(1 for one in days if (one.year, one.month) == (day.year, day.month))
    year = sum(1 for one in days if one.year == day.year)
    week = sum(1 for one in days if one >= day - timedelta(days=day.weekday()))
    assert "You've done 5 leg days in all." in send("history_count").speech
    assert f"{month} leg day{'s' if month != 1 else ''} this month" in send("history_count_month").speech
    assert f"{year} leg day{'s' if year != 1 else ''} this year" in send("history_count_year").speech
    assert store.calls["log_page"] == 0, "month and year come from the summary"
    assert f"{week} leg day{'s' if week != 1 else ''} this week" in send("history_count_week").speech
    assert store.calls["log_page"] == 1, "this week is one page of the log"


def test_the_streak_counts_consecutive_weeks(send: Send, seed: Seed, store: CountingStore) -> None:
    day = today()
    monday = day - timedelta(days=day.weekday())
    # Weeks -3 (a gap at -4), -2, -1 and this one: four in a row.
    seed([workout(monday - timedelta(weeks=weeks), lift("squat", 8, 60)) for weeks in (5, 3, 2, 1, 0)])
    assert weeks_said(send("history_streak").speech) == 4
    assert store.calls["log_page"] == 0


def test_a_streak_waits_for_this_week_and_breaks_after_a_week_off(send: Send, seed: Seed) -> None:
    day = today()
    monday = day - timedelta(days=day.weekday())
    seed([workout(monday - timedelta(weeks=weeks), lift("squat", 8, 60)) for weeks in (2, 1)])
    waiting = send("history_streak").speech
    assert weeks_said(waiting) == 2 and "still to come" in waiting
    seed([workout(monday - timedelta(weeks=weeks), lift("squat", 8, 60)) for weeks in (3, 2)],
         user_id="amzn1.ask.account.SOMEONE-ELSE")
    broken = send("history_streak", user_id="amzn1.ask.account.SOMEONE-ELSE").speech
    assert broken.startswith("No streak right now")


def test_show_my_progress_on_a_screen_sends_the_chart(send: Send, store: CountingStore, three_weeks: None) -> None:
    answer = send("history_show_progress")
    assert answer.speech.startswith("Here's each main lift over the last 12 weeks.")
    directives = answer.response["directives"]
    assert [directive["type"] for directive in directives] == ["Alexa.Presentation.APL.RenderDocument"]
    render = directives[0]
    assert render["token"] == "legday-progress"
    assert render["document"]["graphics"]["liftChart"]["type"] == "AVG"
    progress = render["datasources"]["progress"]
    assert [lift_["name"] for lift_ in progress["lifts"]] == ["Squat", "Deadlift"], "loaded main lifts only"
    squat = progress["lifts"][0]
    assert squat["latest"] == "Squat: 62.5 kg" and squat["range"] == "55 kg to 62.5 kg"
    assert squat["line"].startswith("M") and squat["line"].count("L") == 2, "three weeks, three points"
    assert squat["dots"].count("M") == 3
    assert store.calls["log_page"] == 1
    assert len(answer.body.__repr__()) < 120_000


def test_show_my_progress_without_a_screen_is_spoken(send: Send, store: CountingStore, three_weeks: None) -> None:
    body = read_request("history_show_progress")
    body["context"].pop("Viewport")
    body["context"].pop("Viewports")
    answer = send(body, screen=False)
    assert not answer.response.get("directives")
    assert answer.speech.startswith("Over the last 12 weeks: squat: 55 to 62 and a half kilos and deadlift: "
                                    "90 to 100 kilos."), answer.speech
    assert store.calls["log_page"] == 1
