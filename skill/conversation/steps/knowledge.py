"""Steps that answer questions: how to do an exercise (and its form cues, on "tell me more"), why train legs."""

from __future__ import annotations

from skill.conversation.context import Context, follow_up
from skill.conversation.phrasing import sentence, sentence_case
from skill.conversation.reply import Reply
from skill.conversation.said import ExerciseInfo, TellMeMore, WhyTrainLegs
from skill.conversation.session import Pending, Question
from skill.ssml import Speech

# What Alexa heard is repeated back ("I don't know an exercise called ..."), never at length.
MAX_ECHOED_CHARACTERS = 80
BENEFIT_PAUSE_SECONDS = 0.4


def exercise_info(ctx: Context, said: ExerciseInfo) -> Reply:
    """How to do an exercise (the one asked about, or the current one), in about fifteen seconds; the
    form cues wait for "tell me more" (or a yes)."""
    workout = ctx.workout
    exercise_id = said.exercise_id if said.exercise_id in ctx.content.exercises else None
    heard = said.heard[:MAX_ECHOED_CHARACTERS] if said.heard else said.heard
    if exercise_id is None and heard:
        speech = Speech(ctx.say("info.unknown", heard=heard))
        return Reply.ask(speech.say(ctx.say("info.which")), ctx.say("info.reprompt"))
    if exercise_id is None:
        if workout is None:
            return Reply.ask(Speech(ctx.say("info.which")), ctx.say("info.reprompt"))
        exercise_id = workout.current.exercise_id
    exercise = ctx.content.exercise(exercise_id)
    speech = Speech(ctx.say("info.about", name=sentence_case(exercise.name),
                            muscles=ctx.phrasing.list(exercise.muscles), how_to=exercise.how_to))
    question = Question(Pending.MORE_INFO, exercise_id=exercise_id)
    if workout is None:
        return Reply.ask(speech.say(ctx.say("info.more_offer")), ctx.say("info.more_reprompt"), question=question)
    # In a workout, "done" must still mean the set: the cues are offered, not asked about.
    return Reply.ask(speech.say(ctx.say("info.in_workout_more")), ctx.say("set.reprompt"), question=question)


def tell_me_more(ctx: Context, said: TellMeMore) -> Reply:
    """The form cues of the exercise just explained (or the current one), with its note for the
    workout's equipment."""
    question = ctx.turn.session.question
    exercise_id = question.exercise_id if question and question.pending is Pending.MORE_INFO else None
    workout = ctx.workout
    if exercise_id is None and workout is not None:
        exercise_id = workout.current.exercise_id
    if exercise_id is None or exercise_id not in ctx.content.exercises:
        return Reply.ask(Speech(ctx.say("info.nothing_more")), ctx.say("info.reprompt"))
    exercise = ctx.content.exercise(exercise_id)
    speech = Speech(ctx.say("info.cues", cues=" ".join(sentence(cue) for cue in exercise.cues)))
    if workout is not None:
        # Only a workout says what equipment is at hand: without one, no guess at it.
        speech.say(exercise.scaling[workout.options.equipment])
    return follow_up(ctx, speech)


def why_train_legs(ctx: Context, said: WhyTrainLegs) -> Reply:
    """A reason to train legs (never the same twice in a row), the one asked about, or all of them."""
    benefits = ctx.content.benefits
    record = ctx.record
    if said.topic == "all":
        speech = Speech(ctx.say("why.all_intro"))
        for benefit in benefits:
            speech.say(benefit.text).pause(BENEFIT_PAUSE_SECONDS)
        speech.say(ctx.content.benefits_closing)
        record.last_benefit = benefits[-1].id
        return follow_up(ctx, speech)
    if said.topic in {benefit.id for benefit in benefits}:
        chosen = ctx.content.benefit(said.topic)
    else:
        chosen = ctx.phrasing.rng.choice([benefit for benefit in benefits if benefit.id != record.last_benefit])
    record.last_benefit = chosen.id
    speech = Speech(chosen.text)
    if ctx.workout is None:
        speech.say(ctx.say("why.more_offer"))
        return Reply.ask(speech, ctx.say("why.more_reprompt"), question=Pending.MORE_BENEFITS)
    return follow_up(ctx, speech)
