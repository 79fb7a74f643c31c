"""What the coach does for each thing a person can say, when it answers no question: one table.

One module per group: ``talk`` (open, help, stop, not understood), ``workout`` (moving through the
plan), ``knowledge`` (questions about exercises and leg day), ``your_data`` (delete my data), ``history``
(the training log asked about); rests and timers live in
``skill.conversation.rests``. "yes" and "no" are not here: they always answer a question
(``skill.conversation.questions``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.conversation import rests
from skill.conversation.context import Context
from skill.conversation.reply import Reply
from skill.conversation.said import (
    DeleteMyData,
    Done,
    ExerciseInfo,
    Fallback,
    Help,
    Launch,
    NavigateHome,
    Pause,
    PermissionAnswered,
    Previous,
    Progress,
    Repeat,
    Resume,
    SetRest,
    SetUnit,
    Skip,
    StartOver,
    StartWorkout,
    Stop,
    TellMeMore,
    UseRestTimers,
    WhyTrainLegs,
)
from skill.conversation.steps import history, knowledge, talk, workout, your_data
from skill.conversation.said import BestLift, LastExercise, LastWorkout, LegDayCount, ShowProgress, Streak

Step = Callable[[Context, Any], Reply]

STEPS: dict[type, Step] = {
    Launch: talk.launch,
    Help: talk.help_,
    Stop: talk.stop,
    NavigateHome: talk.navigate_home,
    Fallback: talk.fallback,
    StartWorkout: workout.start,
    Done: workout.done,
    Skip: workout.skip,
    Previous: workout.previous,
    Repeat: workout.repeat,
    StartOver: workout.start_over,
    Pause: workout.pause,
    Resume: workout.resume,
    Progress: workout.progress,
    SetRest: workout.set_rest,
    UseRestTimers: rests.use_rest_timers,
    PermissionAnswered: rests.permission_answered,
    ExerciseInfo: knowledge.exercise_info,
    TellMeMore: knowledge.tell_me_more,
    WhyTrainLegs: knowledge.why_train_legs,
    DeleteMyData: your_data.delete_my_data,
    SetUnit: workout.set_unit,
    LastWorkout: history.last_workout,
    LastExercise: history.last_exercise,
    BestLift: history.best_lift,
    LegDayCount: history.leg_day_count,
    Streak: history.streak,
    ShowProgress: history.show_progress,
}

# Reminders (leg day on the calendar) and the rest timer's task (``rests.rest_over``).
from skill.conversation.said import (  # noqa: E402  (appended as one block, after the table above)
    CancelReminders,
    ListReminders,
    RemindersPermissionAnswered,
    RestOver,
    SetReminders,
)
from skill.conversation.steps import reminders  # noqa: E402

STEPS.update({
    SetReminders: reminders.set_reminders,
    ListReminders: reminders.list_reminders,
    CancelReminders: reminders.cancel_reminders,
    RemindersPermissionAnswered: reminders.permission_answered,
    RestOver: rests.rest_over,
})
