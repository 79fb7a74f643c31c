"""Steps that move through the workout: start, done (with the set's reps, load and effort when said),
skip, previous, repeat, start over, pause, resume, progress, rest length, the unit for loads, and the
finish with its summary."""

from __future__ import annotations

from skill.conversation import loads, rests
from skill.conversation.context import Context, choose_options, follow_up, no_workout
from skill.conversation.phrasing import sentence_case
from skill.conversation.reply import Reply
from skill.conversation.said import (
    Done,
    Pause,
    Previous,
    Progress,
    Repeat,
    Resume,
    SetRest,
    SetUnit,
    Skip,
    StartOver,
    StartWorkout,
)
from skill.conversation.screens import set_screen
from skill.conversation.session import Pending, Question
from skill.conversation.steps.history import summary_screen
from skill.conversation.steps.talk import help_
from skill.ssml import Speech
from skill.training.progression import Heard, check_back, effort_rpe
from skill.workout.plan import PlanOptions, build_plan, estimate_seconds
from skill.workout.progress import Workout, clamp_rest, format_time


def start(ctx: Context, said: StartWorkout) -> Reply:
    """A new workout; over one already under way, only after a yes."""
    options, notes = choose_options(ctx, said)
    workout = ctx.workout
    if workout and workout.has_started:
        speech = Speech(" ".join(notes)).say(ctx.say("start.replace_offer", where=ctx.phrasing.where(workout)))
        return Reply.ask(speech, ctx.say("start.replace_reprompt"),
                         question=Question(Pending.REPLACE, requested=options))
    return begin(ctx, options, explained=said != StartWorkout(), notes=notes)


def start_again(ctx: Context, said: StartWorkout) -> Reply:
    """"start leg day" said again to "shall I drop it and start a new one?": yes, with these options."""
    options, notes = choose_options(ctx, said)
    return begin(ctx, options, explained=said != StartWorkout(), notes=notes)


def begin(ctx: Context, options: PlanOptions, explained: bool = True, notes: list[str] | None = None) -> Reply:
    """Plan and start a workout (dropping any other), and announce its first set.

    The first workout ever also hears how to choose options (when none were said) and how to
    reach the coach when the microphone has closed; later ones hear that only in reprompts.
    """
    rests.drop_timer(ctx)
    content = ctx.content
    items = build_plan(options, content)
    now = format_time(ctx.now)
    workout = Workout(options=options, items=items, started_at=now, last_turn_at=now)
    workout.known = loads.snapshot(content, ctx.record, workout)
    first_ever = ctx.record.last_options is None and not ctx.record.history
    ctx.record.workout = workout
    ctx.record.last_options = options
    speech = Speech(" ".join(notes or ()))
    speech.say(
        ctx.say(
            "start.intro",
            length=options.length,
            level=ctx.say(f"level_name.{options.level}"),
            equipment_phrase=ctx.say(f"equipment_phrase.{options.equipment}"),
            main_count=len({item.exercise_id for item in items if item.block == "main"}),
            minutes=round(estimate_seconds(items, content) / 60),
        )
    )
    if first_ever and not explained:
        speech.say(ctx.say("start.defaults_hint"))
    if first_ever:
        speech.say(ctx.say("start.listening_hint"))
    speech.extend(ctx.phrasing.announce(workout, with_block=False))
    return Reply.ask(speech, ctx.say("set.reprompt"), question=None)


def done(ctx: Context, said: Done) -> Reply:
    """The set is done: log it (what was said, else the planned reps at the load suggested), then rest
    and announce the next (or finish the workout). A number more likely misheard is asked back first."""
    return log_set(ctx, said, checked=False)


def confirm_set(ctx: Context, said: Done) -> Reply:
    """"yes" to "did you say 900 kilos?": log the set as heard."""
    heard = ctx.turn.session.heard or {}
    rpe = heard.get("rpe")
    effort = next((word for word, value in loads.rules().effort.items() if value == rpe), None)
    return log_set(ctx, Done(heard.get("reps"), heard.get("load"), heard.get("unit"), effort), checked=True)


def hear_again(ctx: Context, said: Done) -> Reply:
    """"no" to "did you say 900 kilos?": nothing logged, tell me again."""
    if ctx.workout is None:
        return no_workout(ctx)
    return Reply.ask(Speech(ctx.say("check_back.again")), ctx.say("set.reprompt"), question=None)


def log_set(ctx: Context, said: Done, *, checked: bool) -> Reply:
    """Count the set as said (asking back first, unless ``checked``), then move on."""
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx)
    # A set is done, so any rest before it is over: its timer goes.
    rests.drop_timer(ctx)
    if workout.paused and said.plain:
        workout.paused = False
        speech = Speech(ctx.say("resume.back"))
        return Reply.ask(speech.extend(ctx.phrasing.announce(workout)), ctx.say("set.reprompt"))
    workout.paused = False
    item = workout.current
    rules = loads.rules()
    tool = loads.implement(ctx.content, workout, item)
    current = loads.current_load(ctx.content, ctx.record, workout) if tool else None
    speech = Speech()
    reps = said.reps
    load, unit = current if current else (None, None)
    if said.load is not None and tool is not None:
        load, unit = said.load, said.unit or unit or loads.person_unit(ctx.turn)
    elif said.load is not None:
        speech.say(ctx.say("logged.hold" if item.is_hold else "logged.bodyweight"))
    if item.is_hold:
        reps = None
    rpe = effort_rpe(said.effort, rules)
    if not checked:
        heard = Heard(reps, said.load if tool else None, unit if said.load is not None and tool else None)
        reason = check_back(heard, tool, current, rules)
        if reason is not None:
            return loads.ask_back(ctx, reason, heard, rpe)
    outcome = workout.complete_set(reps=reps, load=load, unit=unit, rpe=rpe)
    if (said.reps is not None or said.load is not None) and not item.is_hold:
        logged = workout.last_performed()
        assert logged is not None
        speech.say(loads.logged_words(ctx, logged.reps, load if tool else None, unit))
    if said.effort in rules.effort:
        speech.say(ctx.say(f"logged.{said.effort}"))
    # Only a loaded working set can beat a best (the sets are read back only for one).
    best = (loads.best_beaten(ctx, workout, item.exercise_id)
            if tool and not item.ramp_up and load is not None else None)
    if outcome.workout_finished:
        return finish(ctx, speech.say(ctx.phrasing.best(best)) if best else speech)
    # No rest into the cool-down, nor within warm-up and cool-down: they flow, stretches are the recovery.
    rest = workout.rest_for(outcome.finished_item, ctx.content)
    if outcome.next_item is None or outcome.next_item.block != "main" or outcome.finished_item.block != "main":
        rest = 0
    # Warm-up and cool-down flow straight into the next exercise, without a word about the last.
    if best is not None:
        speech.say(ctx.phrasing.best(best))
    elif outcome.finished_item.block == "main":
        done_with_it = outcome.exercise_finished and not outcome.finished_item.ramp_up
        finished = ctx.content.exercise(outcome.finished_item.exercise_id)
        speech.say(sentence_case(ctx.say("rest.exercise_done", name=finished.name)) if done_with_it
                   else ctx.say("rest.good_set"))
    return rests.after_set(ctx, speech, rest)


def set_unit(ctx: Context, said: SetUnit) -> Reply:
    """"use kilos": the unit loads are said and suggested in, from now on."""
    if said.unit not in ("kg", "lb"):
        return Reply.ask(Speech(ctx.say("units.ask")), ctx.say("units.ask"))
    ctx.record.unit = said.unit
    return follow_up(ctx, Speech(ctx.say("units.set", unit_words=ctx.say(f"phrase.unit.{said.unit}"))))


def skip(ctx: Context, said: Skip) -> Reply:
    """Leave the current exercise and announce the next (or finish)."""
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx, ctx.say("skip.nothing"))
    rests.drop_timer(ctx)
    skipped = ctx.content.exercise(workout.current.exercise_id)
    workout.paused = False
    outcome = workout.skip_exercise()
    speech = Speech(ctx.say("skip.skipping", name=skipped.name))
    if outcome.workout_finished:
        return finish(ctx, speech.say(ctx.say("finish.early")))
    return Reply.ask(speech.extend(ctx.phrasing.announce(workout)), ctx.say("set.reprompt"))


def previous(ctx: Context, said: Previous) -> Reply:
    """Back one set, or to the start of the previous exercise."""
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx)
    rests.drop_timer(ctx)
    workout.paused = False
    moved = workout.go_back()
    if moved == "set":
        speech = Speech(ctx.say("previous.set"))
    elif moved == "exercise":
        speech = Speech(ctx.say("previous.exercise", name=ctx.phrasing.current(workout).name))
    else:
        speech = Speech(ctx.say("previous.at_start"))
    return Reply.ask(speech.extend(ctx.phrasing.announce(workout, full=True)), ctx.say("set.reprompt"))


def repeat(ctx: Context, said: Repeat) -> Reply:
    """The current set again, with its cues (help, without a workout)."""
    workout = ctx.workout
    if workout is None:
        return help_(ctx, said)
    return Reply.ask(ctx.phrasing.announce(workout, full=True), ctx.say("set.reprompt"))


def start_over(ctx: Context, said: StartOver) -> Reply:
    """Offer to restart the workout from the warm-up (start one, without a workout)."""
    if ctx.workout is None:
        return start(ctx, StartWorkout())
    return Reply.ask(Speech(ctx.say("restart.confirm")), ctx.say("restart.reprompt"), question=Pending.RESTART)


def restart(ctx: Context) -> Reply:
    """The workout again from the top."""
    workout = ctx.workout
    assert workout is not None
    rests.drop_timer(ctx)
    workout.restart()
    speech = Speech(ctx.say("restart.done"))
    return Reply.ask(speech.extend(ctx.phrasing.announce(workout, with_block=False)), ctx.say("set.reprompt"))


def carry_on(ctx: Context) -> Reply:
    """No to dropping or restarting the workout: carry on with it where it is."""
    workout = ctx.workout
    assert workout is not None
    speech = Speech(ctx.say("start.kept"))
    workout.paused = False
    return Reply.ask(speech.extend(ctx.phrasing.announce(workout, full=True)), ctx.say("set.reprompt"))


def pause(ctx: Context, said: Pause) -> Reply:
    """Keep the place (and pause the rest timer) and end the session."""
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx, ctx.say("pause.nothing"))
    workout.paused = True
    speech = Speech(ctx.say("pause.paused", where=ctx.phrasing.where(workout)))
    if rests.pause_timer(ctx):
        speech.say(ctx.say("timer.paused"))
    return Reply.tell(speech)


def resume(ctx: Context, said: Resume | None = None) -> Reply:
    """Carry on from the saved place: back to a paused rest timer, or to the set."""
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx, ctx.say("resume.nothing"))
    workout.paused = False
    speech = Speech(ctx.say("resume.back"))
    seconds = rests.resume_timer(ctx)
    if seconds is not None:
        # Back to the rest that was paused: the timer carries on and calls them back.
        reply = Reply.tell(speech.say(ctx.say("timer.resumed", duration=ctx.phrasing.duration(seconds))),
                           question=None)
        if ctx.turn.shows_screen:
            reply.screen = set_screen(ctx.phrasing, workout, rest=seconds, note=ctx.say("screen.timer_set"))
        return reply
    return Reply.ask(speech.extend(ctx.phrasing.announce(workout, full=True)), ctx.say("set.reprompt"),
                     question=None)


def progress(ctx: Context, said: Progress) -> Reply:
    """Where the workout stands: this set, sets and minutes left, what comes next."""
    workout = ctx.workout
    if workout is None:
        return no_workout(ctx, ctx.say("progress.none"))
    speech = Speech(ctx.say("progress.where", where=ctx.phrasing.where(workout)))
    sets_left = workout.sets_left()
    minutes = max(1, round(workout.seconds_left(ctx.content) / 60))
    speech.say(ctx.say("progress.left", sets_left=sets_left, sets_word=ctx.phrasing.plural(sets_left, "set"),
                       minutes=minutes, minutes_word=ctx.phrasing.plural(minutes, "minute")))
    upcoming = workout.next_item
    if upcoming is None:
        speech.say(ctx.say("progress.last"))
    else:
        speech.say(ctx.say("progress.next", name=ctx.content.exercise(upcoming.exercise_id).name))
    if workout.paused:
        speech.say(ctx.say("pause.while_paused"))
    return Reply.ask(speech.say(ctx.say("set.back_to_it")), ctx.say("set.reprompt"))


def set_rest(ctx: Context, said: SetRest) -> Reply:
    """Change the rest length: to ``said.seconds`` if given, else shorter or longer by a step."""
    workout = ctx.workout
    if workout is None:
        return Reply.ask(Speech(ctx.say("rest_change.no_workout")), ctx.say("help.reprompt"))
    content = ctx.content
    if said.seconds is not None and said.seconds > 0:
        wanted = said.seconds
    elif said.change in {"shorter", "longer"}:
        step = content.timing["rest_step_seconds"] * (-1 if said.change == "shorter" else 1)
        main = [item for item in workout.items if item.block == "main" and not item.ramp_up]
        current_main = next((item for item in workout.items[workout.position:] if item in main), main[-1])
        wanted = workout.rest_for(current_main, content) + step
    else:
        return Reply.ask(Speech(ctx.say("rest_change.ask")), ctx.say("rest_change.ask"))
    workout.rest_override = clamp_rest(wanted, content)
    applied = workout.rest_override
    key = "rest_change.capped_high" if wanted > applied else "rest_change.capped_low" if wanted < applied else (
        "rest_change.set")
    speech = Speech(ctx.say(key, duration=ctx.phrasing.duration(applied)))
    return Reply.ask(speech.say(ctx.say("set.back_to_it")), ctx.say("set.reprompt"))


def finish(ctx: Context, speech: Speech) -> Reply:
    """The workout is over: into the log, with a summary (volume, bests, next time's loads) said,
    sent to the Alexa app as a card, and shown on a screen."""
    workout = ctx.workout
    assert workout is not None
    summary = loads.summary_of(ctx, workout)
    entry = ctx.record.finish_workout(ctx.now, ctx.content)
    loads.note_stalls(ctx.record, {target.exercise: target.stalls for target in summary.targets})
    minutes = {"minutes": entry.minutes, "minutes_word": ctx.phrasing.plural(entry.minutes, "minute")}
    speech.say(ctx.say("finish.summary_one", **minutes) if entry.sets == 1 else ctx.say(
        "finish.summary", exercises=len(entry.exercises), sets=entry.sets,
        exercises_word=ctx.phrasing.plural(len(entry.exercises), "exercise"), **minutes))
    for line in loads.summary_lines(ctx, summary):
        speech.say(line)
    speech.say(ctx.say("finish.encouragement"))
    reply = Reply.tell(speech)
    reply.card = loads.card(ctx, summary)
    if ctx.turn.shows_screen:
        # The screen shows what the card says (past its first line, the sets the screen counts itself).
        reply.screen = summary_screen(ctx, entry, told=tuple(reply.card.text.splitlines()[1:]))
    return reply
