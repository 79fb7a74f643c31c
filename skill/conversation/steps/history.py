"""History questions: the last workout, an exercise's last sets and best, leg day counts, the streak,
and "show my progress" (a chart on a screen, a spoken summary elsewhere).

Each answer comes from the summary the live record carries when it holds the answer, else from
one page of the log (``ctx.turn.log``): never more than one page a turn.
"""

from __future__ import annotations

from datetime import date

from skill.content import Exercise
from skill.conversation.context import Context, follow_up
from skill.conversation.reply import Reply
from skill.conversation.said import BestLift, LastExercise, LastWorkout, LegDayCount, ShowProgress, Streak
from skill.conversation.screens import AnyScreen, finished_screen, progress_screen, short_load
from skill.conversation.session import Pending
from skill.ssml import Speech
from skill.training import chart, history_answers
from skill.training.calendar import local_day, week_of, zone_named
from skill.training.history import entries
from skill.training.history_answers import PERIODS, SetGroup
from skill.training.log import LogEntry
from skill.training.summary import ExerciseSummary, Summary
from skill.workout.progress import HistoryEntry


def summary_of(ctx: Context) -> Summary:
    """The log's summary: the one place history questions read it (its home may move out of the record)."""
    return ctx.record.summary


def today(ctx: Context) -> date:
    """The person's calendar day: in their time zone when known, UTC otherwise."""
    return local_day(ctx.now, zone_named(ctx.record.time_zone))


def last_workout(ctx: Context, said: LastWorkout) -> Reply:
    """"what did I do last time": when, how many sets and minutes, which exercises, the top sets (one page)."""
    if summary_of(ctx).workouts == 0:
        return _new_user(ctx)
    read = entries(ctx.turn.log.page(limit=1))
    if not read:
        return _new_user(ctx)
    entry = read[0]
    names = [_name(ctx, exercise) for exercise in (history_answers.main_exercises(entry) or list(entry.exercises))]
    speech = Speech(ctx.say("history.last_workout", when=spoken_day(ctx, entry.date), sets=entry.set_count,
                            sets_word=ctx.phrasing.plural(entry.set_count, "set"),
                            duration=ctx.phrasing.duration(entry.minutes * 60), exercises=ctx.phrasing.list(names)))
    tops = [_top_set(ctx, entry, exercise) for exercise in history_answers.main_exercises(entry)]
    tops = [top for top in tops if top]
    if tops:
        speech.say(ctx.say("history.last_workout_lifts", lifts=ctx.phrasing.list(tops)))
    return follow_up(ctx, speech)


def last_exercise(ctx: Context, said: LastExercise) -> Reply:
    """"what did I squat last time": that exercise's last sets and load, from the summary."""
    asked = _exercise_asked(ctx, said.exercise_id)
    if isinstance(asked, Reply):
        return asked
    exercise, known = asked
    if known is None or not known.sets:
        return follow_up(ctx, Speech(ctx.say("history.exercise_never", name=exercise.name)))
    sets = ctx.phrasing.list([spoken_group(ctx, group) for group in history_answers.grouped(known.sets)])
    return follow_up(ctx, Speech(ctx.say("history.last_exercise", name=exercise.name,
                                         when=spoken_day(ctx, known.date), sets=sets)))


def best_lift(ctx: Context, said: BestLift) -> Reply:
    """"what's my best deadlift": the best set and its estimated one-rep max, with its date, from the summary."""
    asked = _exercise_asked(ctx, said.exercise_id)
    if isinstance(asked, Reply):
        return asked
    exercise, known = asked
    best = known.best if known else None
    if best is None:
        return follow_up(ctx, Speech(ctx.say("history.best_none", name=exercise.name)))
    estimated = history_answers.in_unit(best.e1rm_kg, "kg", best.unit)
    values = {"name": exercise.name, "load": spoken_load(ctx, best.load, best.unit), "when": spoken_day(ctx, best.date),
              "max": spoken_load(ctx, round(estimated * 2) / 2, best.unit)}
    if best.reps == 1:
        return follow_up(ctx, Speech(ctx.say("history.best_one", **values)))
    return follow_up(ctx, Speech(ctx.say("history.best", reps=best.reps,
                                         reps_word=ctx.phrasing.plural(best.reps, "rep"), **values)))


def leg_day_count(ctx: Context, said: LegDayCount) -> Reply:
    """"how many leg days have I done" (this week, month, year): the summary, or one page for the week."""
    summary = summary_of(ctx)
    if summary.workouts == 0:
        return _new_user(ctx)
    period = said.period if said.period in PERIODS else history_answers.EVER
    day = today(ctx)
    week = None
    if period == history_answers.WEEK:
        since = history_answers.week_start(day, zone_named(ctx.record.time_zone))
        week = entries(ctx.turn.log.page(limit=history_answers.WEEK_PAGE, since=since))
    counted = history_answers.count(summary, period, day, week)
    period_words = ctx.say(f"history.period.{period}")
    if counted == 0:
        return follow_up(ctx, Speech(ctx.say("history.count_none", period=period_words)))
    if counted == 1:
        return follow_up(ctx, Speech(ctx.say("history.count_one", period=period_words)))
    days_word = ctx.phrasing.plural(counted, "leg_day")
    return follow_up(ctx, Speech(ctx.say("history.count", count=counted, days_word=days_word, period=period_words)))


def streak(ctx: Context, said: Streak) -> Reply:
    """"what's my streak": consecutive calendar weeks (in the person's zone) with a leg day."""
    summary = summary_of(ctx)
    if summary.workouts == 0:
        return _new_user(ctx)
    day = today(ctx)
    weeks = summary.streak(day)
    if weeks == 0:
        return follow_up(ctx, Speech(ctx.say("history.streak_none")))
    speech = Speech(ctx.say("history.streak_one") if weeks == 1 else ctx.say("history.streak", weeks=weeks))
    if summary.streak_week is not None and date.fromisoformat(summary.streak_week) < week_of(day):
        speech.say(ctx.say("history.streak_keep"))
    return follow_up(ctx, speech)


def show_progress(ctx: Context, said: ShowProgress) -> Reply:
    """"show my progress": each main lift over the last weeks (one page), drawn on a screen or summed up aloud."""
    if summary_of(ctx).workouts == 0:
        return _new_user(ctx)
    day = today(ctx)
    start = chart.window_start(day)
    series = chart.lift_series(entries(ctx.turn.log.page(limit=chart.PAGE, since=start.isoformat())), start)
    if not series:
        return follow_up(ctx, Speech(ctx.say("history.progress_none", weeks=chart.WEEKS)))
    if ctx.turn.shows_screen:
        reply = follow_up(ctx, Speech(ctx.say("history.progress_shown", weeks=chart.WEEKS)))
        reply.screen = progress_screen(ctx.phrasing, series, start, day, _names(ctx))
        return reply
    lifts = [spoken_trend(ctx, one) for one in series]
    return follow_up(ctx, Speech(ctx.say("history.progress_spoken", weeks=chart.WEEKS, lifts=ctx.phrasing.list(lifts))))


def summary_screen(ctx: Context, finished: HistoryEntry, told: tuple[str, ...] = ()) -> AnyScreen:
    """The end-of-workout screen: the sets, what the workout's summary ``told`` the person (volume,
    bests, next time's loads: the card's lines), and the chart (one page of the log).

    Today's sets for the chart are the ones the summary the finish just updated keeps with today's
    date; without ``told``, the volume and bests are worked out from them. A workout with no load
    logged keeps the plain finished screen.
    """
    summary = summary_of(ctx)
    day = today(ctx)
    done_today = {exercise: known for exercise, known in summary.exercises.items() if known.date == day.isoformat()}
    sets = tuple(logged for known in done_today.values() for logged in known.sets)
    lifted = history_answers.volume(sets)
    if lifted is None:
        return finished_screen(ctx.phrasing, finished)
    total, unit = lifted
    facts = [ctx.say("screen.finished_sets", sets=finished.sets, sets_word=ctx.phrasing.plural(finished.sets, "set")),
             *told]
    if not told:
        facts.append(ctx.say("history.screen.volume", volume=short_load(ctx.phrasing, round(total), unit)))
    for exercise, known in done_today.items():
        if not told and known.best is not None and known.best.date == day.isoformat():
            facts.append(ctx.say("history.screen.best", name=_name(ctx, exercise),
                                 load=short_load(ctx.phrasing, known.best.load, known.best.unit),
                                 reps=known.best.reps))
    start = chart.window_start(day)
    earlier = entries(ctx.turn.log.page(limit=chart.PAGE, since=start.isoformat()))
    this_one = LogEntry(workout_id="today", started_at="", finished_at="", date=day.isoformat(), level="",
                        length=0, equipment="", minutes=finished.minutes, sets=sets,
                        exercises=tuple(done_today), set_count=len(sets))
    series = chart.lift_series([this_one, *earlier], start)
    return progress_screen(ctx.phrasing, series, start, day, _names(ctx), title=ctx.say("screen.finished_title"),
                           facts=tuple(facts))


# Speaking numbers, loads and days the way a coach would.


def spoken_number(value: float) -> tuple[str, int | None]:
    """A load's number: the whole part and which quarter follows (None, 1, 2, 3), to the nearest quarter."""
    quarters = round(value * 4)
    whole, rest = divmod(quarters, 4)
    return str(whole), rest or None


def spoken_load(ctx: Context, load: float, unit: str) -> str:
    """"62 and a half kilos", "135 pounds": to the nearest quarter, in the phrasing's words for loads."""
    return ctx.phrasing.load(round(load * 4) / 4, unit)


def spoken_day(ctx: Context, iso_day: str) -> str:
    """"today", "yesterday", "on Tuesday" (this past week), "on November 3" (this year), "on May 2, 2025"."""
    day = date.fromisoformat(iso_day)
    now = today(ctx)
    days = (now - day).days
    if days <= 0:
        return ctx.say("when.today")
    if days == 1:
        return ctx.say("when.yesterday")
    if days < 7:
        return ctx.say("history.day.on_weekday", weekday=ctx.say(f"history.weekday.{day.weekday()}"))
    month = ctx.say(f"history.month.{day.month}")
    if day.year == now.year:
        return ctx.say("history.day.on_date", month=month, day=day.day)
    return ctx.say("history.day.on_date_year", month=month, day=day.day, year=day.year)


def spoken_group(ctx: Context, group: SetGroup) -> str:
    """"3 sets of 8 at 60 kilos", "a set of 10", "2 sets of 30 seconds", "a set of 1 rep"."""
    single = group.count == 1
    one = "_one" if group.reps == 1 else ""
    values = {"count": group.count, "sets_word": ctx.phrasing.plural(group.count, "set")}
    if group.seconds and not group.reps:
        key = "history.sets.single_hold" if single else "history.sets.hold"
        return ctx.say(key, duration=ctx.phrasing.duration(group.seconds), **values)
    if group.load is not None and group.unit:
        key = "history.sets.single_reps_load" if single else "history.sets.reps_load"
        return ctx.say(key + one, reps=group.reps or 0, load=spoken_load(ctx, group.load, group.unit), **values)
    return ctx.say(("history.sets.single_reps" if single else "history.sets.reps") + one, reps=group.reps or 0,
                   **values)


def spoken_trend(ctx: Context, series: chart.Series) -> str:
    """"squat: 50 to 60 kilos" (first to latest point of the chart)."""
    name = _name(ctx, series.exercise)
    first, latest = series.points[0].value, series.points[-1].value
    if len(series.points) == 1 or first == latest:
        return ctx.say("history.progress_flat", name=name, latest=spoken_load(ctx, latest, series.unit))
    first_words, quarter = spoken_number(first)
    if quarter is not None:
        first_words = spoken_load(ctx, first, series.unit)
    return ctx.say("history.progress_lift", name=name, first=first_words,
                   latest=spoken_load(ctx, latest, series.unit))


def _top_set(ctx: Context, entry: LogEntry, exercise: str) -> str | None:
    """"squat, 60 kilos for 8": the heaviest set of an exercise in a workout, if it carried a load."""
    loaded = [logged for logged in entry.done_sets()
              if logged.exercise == exercise and logged.load_kg is not None and logged.reps]
    if not loaded:
        return None
    top = max(loaded, key=lambda logged: (logged.load_kg or 0, logged.reps or 0))
    return ctx.say("history.lift_top", name=_name(ctx, exercise), load=spoken_load(ctx, top.load or 0, str(top.unit)),
                   reps=top.reps)


def _exercise_asked(ctx: Context, exercise_id: str | None) -> tuple[Exercise, ExerciseSummary | None] | Reply:
    """The exercise asked about and what the summary knows of it; or the reply when there is nothing
    to look up (no exercise named or one the skill does not know: which? nothing logged: start one)."""
    exercise = ctx.content.exercises.get(exercise_id) if exercise_id else None
    if exercise is None:
        return _which(ctx)
    summary = summary_of(ctx)
    if summary.workouts == 0:
        return _new_user(ctx)
    return exercise, summary.exercises.get(exercise.id)


def _name(ctx: Context, exercise_id: str) -> str:
    known = ctx.content.exercises.get(exercise_id)
    return known.name if known else exercise_id.replace("_", " ")


def _names(ctx: Context) -> dict[str, str]:
    return {exercise.id: exercise.name for exercise in ctx.content.exercises.values()}


def _which(ctx: Context) -> Reply:
    """No exercise, or one the skill does not know: ask which (the session stays open)."""
    return Reply.ask(Speech(ctx.say("history.which_exercise")), ctx.say("history.which_reprompt"))


def _new_user(ctx: Context) -> Reply:
    """Nothing logged yet: a kind answer, and an offer to start (or, mid-workout, back to it)."""
    if ctx.workout:
        return follow_up(ctx, Speech(ctx.say("history.first_workout")))
    return Reply.ask(Speech(ctx.say("history.none")), ctx.say("welcome.reprompt_start"), question=Pending.START)
