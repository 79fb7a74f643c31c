""""Delete my data": asked to confirm, then deleted by the glue (the conversation only asks for it).

A person Alexa recognised deletes their own live record and training log; a voice it does not
recognise speaks for the account, so everything kept for the account goes, every person's too.
The question is answered on the next turn or dropped (``questions.ANSWERED_AT_ONCE``).
"""

from __future__ import annotations

from skill.conversation.context import Context, follow_up
from skill.conversation.reply import Reply
from skill.conversation.said import DeleteMyData, No, Yes
from skill.conversation.session import Pending
from skill.ssml import Speech


def delete_my_data(ctx: Context, said: DeleteMyData) -> Reply:
    """"This deletes your training log and your progress for good. Are you sure?\""""
    key = "your_data.confirm" if ctx.turn.person_id else "your_data.confirm_account"
    return Reply.ask(Speech(ctx.say(key)), ctx.say("your_data.reprompt"), question=Pending.DELETE_DATA)


def delete_it(ctx: Context, said: Yes) -> Reply:
    """"yes": goodbye, and the glue deletes the data (nothing of this turn is saved)."""
    key = "your_data.deleted" if ctx.turn.person_id else "your_data.deleted_account"
    return Reply(Speech(ctx.say(key)), None, end_session=True, question=None, forget=True)


def keep_it(ctx: Context, said: No) -> Reply:
    """"no": nothing is deleted; back to the set, or to starting one."""
    return follow_up(ctx, Speech(ctx.say("your_data.kept")))
