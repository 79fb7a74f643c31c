"""The yes/no questions the coach asks, and what each answer to each question does: one table.

A step that asks a question says so in its reply (``Reply.ask(..., question=Pending.START)``);
the session keeps it until it is answered. An answer found in ``ANSWERS`` under (the question
waiting, what was said) runs that entry's step, and the question is then settled: it is gone,
unless the step asks another. Anything not in the table is an ordinary step
(``skill.conversation.steps``) that leaves the waiting question alone unless its reply says
otherwise. "yes" and "no" are always answered here: the row ``None`` is "nothing was asked".

A question in ``ANSWERED_AT_ONCE`` (deleting the person's data, a number checked back) is answered
by whatever is said next: "yes" or "no" as in the table, anything else by its own step, and then it is gone.

Entries check the workout where the question may have gone stale (the workout finished on
another device since it was asked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.conversation import rests
from skill.conversation.context import Context, follow_up, plan_options
from skill.conversation.reply import Reply
from skill.conversation.said import (
    Done,
    No,
    Repeat,
    Said,
    Skip,
    StartWorkout,
    TellMeMore,
    UseRestTimers,
    WhyTrainLegs,
    Yes,
)
from skill.conversation.session import Pending
from skill.conversation.steps import STEPS, reminders, your_data
from skill.conversation.steps.knowledge import tell_me_more, why_train_legs
from skill.conversation.steps.workout import (
    begin,
    carry_on,
    confirm_set,
    done,
    hear_again,
    repeat,
    restart,
    resume,
    skip,
    start,
    start_again,
)
from skill.ssml import Speech

Answer = Callable[[Context, Any], Reply]


def yes_to_nothing(ctx: Context, said: Said) -> Reply:
    """"yes" with no question that needs it: the set again, or the usual workout."""
    if ctx.workout:
        return repeat(ctx, Repeat())
    return start(ctx, StartWorkout())


def resume_the_workout(ctx: Context, said: Yes) -> Reply:
    return resume(ctx) if ctx.workout else yes_to_nothing(ctx, said)


def restart_the_workout(ctx: Context, said: Yes) -> Reply:
    return restart(ctx) if ctx.workout else yes_to_nothing(ctx, said)


def replace_the_workout(ctx: Context, said: Yes) -> Reply:
    """A new workout, with the options asked for when the question was asked."""
    return begin(ctx, ctx.turn.session.requested or plan_options(ctx, StartWorkout()))


def another_benefit(ctx: Context, said: Yes) -> Reply:
    return why_train_legs(ctx, WhyTrainLegs())


def the_form_cues(ctx: Context, said: Yes | TellMeMore) -> Reply:
    return tell_me_more(ctx, TellMeMore())


def set_the_rest_timer(ctx: Context, said: Yes) -> Reply:
    return rests.accept_timer(ctx) if ctx.workout else yes_to_nothing(ctx, said)


def no_to_nothing(ctx: Context, said: Said) -> Reply:
    """"no" with no question that needs it: back to the set, or what would you like?"""
    if ctx.workout:
        return Reply.ask(Speech(ctx.say("fallback.in_workout")), ctx.say("set.reprompt"))
    return Reply.ask(Speech(ctx.say("yes_no.unclear")), ctx.say("help.reprompt"))


def no_thanks(ctx: Context, said: No) -> Reply:
    """"no" to starting (or to more reasons): goodbye, or back to the set."""
    if ctx.workout:
        return no_to_nothing(ctx, said)
    return Reply.tell(Speech(ctx.say("yes_no.no_idle")))


def offer_a_new_workout(ctx: Context, said: No) -> Reply:
    """"no" to resuming: shall I start a new one instead?"""
    return Reply.ask(Speech(ctx.say("resume.declined")), ctx.say("start.replace_reprompt"), question=Pending.REPLACE)


def keep_the_workout(ctx: Context, said: No) -> Reply:
    """"no" to restarting it from the top: carry on."""
    return carry_on(ctx) if ctx.workout else no_to_nothing(ctx, said)


def keep_the_workout_or_goodbye(ctx: Context, said: No) -> Reply:
    """"no" to dropping it for a new one: carry on (goodbye, if it is gone)."""
    return carry_on(ctx) if ctx.workout else no_thanks(ctx, said)


def count_the_rest(ctx: Context, said: No | Done) -> Reply:
    """"no" (or "done") to the rest timer offered: count the rest out loud."""
    if ctx.workout:
        return rests.decline_timer(ctx)
    return done(ctx, Done()) if isinstance(said, Done) else no_to_nothing(ctx, said)


def no_cues(ctx: Context, said: No) -> Reply:
    """"no" to the form cues: back to the set, or to starting one."""
    return follow_up(ctx, Speech())


def done_with_the_question(ctx: Context, said: Done) -> Reply:
    """"done" while the form cues are offered: the set is done (the offer lapses)."""
    return done(ctx, said)


def skip_the_rest(ctx: Context, said: Skip) -> Reply:
    """"skip" to the rest timer offered: no timer, on to the next exercise."""
    return skip(ctx, said)


ANSWERS: dict[tuple[Pending | None, type], Answer] = {
    (None, Yes): yes_to_nothing,
    (None, No): no_to_nothing,
    # "Shall we start?" (launch, or nothing to do without a workout)
    (Pending.START, Yes): yes_to_nothing,
    (Pending.START, No): no_thanks,
    # "You stopped at squat, set 2 of 4. Shall I pick up where you left off?"
    (Pending.RESUME, Yes): resume_the_workout,
    (Pending.RESUME, No): offer_a_new_workout,
    # "Start this workout again from the warm-up?"
    (Pending.RESTART, Yes): restart_the_workout,
    (Pending.RESTART, No): keep_the_workout,
    # "You already have a workout going. Shall I drop it and start a new one?"
    (Pending.REPLACE, Yes): replace_the_workout,
    (Pending.REPLACE, No): keep_the_workout_or_goodbye,
    (Pending.REPLACE, StartWorkout): start_again,
    # "Want another reason?"
    (Pending.MORE_BENEFITS, Yes): another_benefit,
    (Pending.MORE_BENEFITS, No): no_thanks,
    # "That's a 2 minute rest. Shall I set a rest timer?"
    (Pending.REST_TIMER, Yes): set_the_rest_timer,
    (Pending.REST_TIMER, No): count_the_rest,
    (Pending.REST_TIMER, Done): count_the_rest,
    (Pending.REST_TIMER, UseRestTimers): rests.use_timers_for_the_rest_offered,
    (Pending.REST_TIMER, Skip): skip_the_rest,
    # "Want the form cues?" (or, in a workout, "Say tell me more for the form cues.")
    (Pending.MORE_INFO, Yes): the_form_cues,
    (Pending.MORE_INFO, TellMeMore): the_form_cues,
    (Pending.MORE_INFO, No): no_cues,
    (Pending.MORE_INFO, Done): done_with_the_question,
    # "This deletes your training log and your progress for good. Are you sure?"
    (Pending.DELETE_DATA, Yes): your_data.delete_it,
    (Pending.DELETE_DATA, No): your_data.keep_it,
    # "Did you say 900 kilos? Say yes, or tell me again." (the set heard waits in the session)
    (Pending.CHECK_SET, Yes): confirm_set,
    (Pending.CHECK_SET, No): hear_again,
}

# Questions answered on the very next turn or not at all: anything else said runs its own step
# and drops the question, so a "yes" said later, to something else, never deletes anything.
ANSWERED_AT_ONCE = frozenset({Pending.DELETE_DATA, Pending.CHECK_SET})


def answer_for(pending: Pending | None, said: Said) -> Answer | None:
    """The entry answering the question ``pending`` with ``said``, if ``said`` answers it (anything
    said answers a question in ``ANSWERED_AT_ONCE``, with its own step)."""
    answer = ANSWERS.get((pending, type(said)))
    if answer is None and pending in ANSWERED_AT_ONCE:
        return STEPS[type(said)]
    return answer

# Reminders: "I took 6 as 6 pm. Would you like 6 am instead?" Answered at once or not at all, so a
# later "yes" to something else never moves the reminders.
ANSWERS.update({
    (Pending.REMINDERS_OTHER_HALF, Yes): reminders.other_half,
    (Pending.REMINDERS_OTHER_HALF, No): reminders.keep_half,
})
ANSWERED_AT_ONCE = ANSWERED_AT_ONCE | {Pending.REMINDERS_OTHER_HALF}
