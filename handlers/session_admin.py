"""What a change of a session says to the coordinator who made it: why the service refused it,
and the cancellation once confirmed. The flows of conversations/ (cancel, reschedule, edit a
field) call these; the screens and buttons that start them are in handlers.session_manage, so
this module imports no flow and no import runs in a circle between handlers/ and conversations/."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.outcomes import SessionChange
from handlers.buttons import stale_text
from handlers.ui import answer, show


def refusal(context: BotContext, key: str | None) -> str:
    """Why the service refused a change of a session (the stale-button answer when it is not one
    to change at all)."""
    t = context.t
    return {
        "not_found": t._("This session no longer exists."),
        "cancelled": t._("This session has been cancelled."),
        "started": t._("This session has already started: it can no longer be changed."),
        "bad_times": t._("The new times are not valid: the session must start in the future and "
                         "end after it starts."),
        "in_parts": t._("This session is in parts: move its parts from “Days and parts”."),
        "bad_deadline": t._("The deadline must be to come and no later than the start of the "
                            "session."),
    }.get(key or "") or stale_text(t)


async def cancel(update: Update, context: BotContext, session_id: int, reason: str) -> None:
    """The coordinator confirmed (conversations/cancel_session asked why)."""
    t = context.t
    change = await context.services.sessions.cancel(session_id, context.person.user_id, reason)
    context.services.wake_dispatcher()
    if change.outcome is SessionChange.REFUSED:
        return await answer(update, refusal(context, change.refusal), alert=True)
    await show(update, t.ngettext("The session is cancelled; {n} person is being told.",
                                  "The session is cancelled; {n} people are being told.", change.told))
