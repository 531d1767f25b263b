"""Cancelling a session from *Manage this session*: the coordinator types why → sees what will
happen → confirms. The reason is stored with the session and told to participants and trainer.

These are steps of the session-changing flow (conversations/reschedule.py): one draft per person,
so a half-written reason is dropped by any other button, as a half-made move is."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.text import clean_text
from conversations.flow import Finish, Go, Outcome, Step
from handlers.browse_buttons import SessionCard
from handlers.buttons import Callback
from handlers.ui import answer, button, esc, keyboard, say, show

REASON, SURE = "cancel_reason", "cancel_sure"
REASON_MAX = 300


@dataclass(frozen=True)
class ConfirmCancel(Callback, feature="rs", action="cancel"):
    pass


async def begin(update: Update, context: BotContext, session_id: int, flow: str) -> None:
    s = await context.services.catalogue.session(session_id)
    if s is None or s.status != "published":
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    data = {"session": session_id}
    await context.services.people.save_draft(context.person.user_id, flow, REASON, data)
    await answer(update)
    await ask_reason(update, context, data)


async def ask_reason(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    s = await context.services.catalogue.session(data["session"])
    if s is None:
        return await show(update, t._("This session no longer exists."))
    await say(update, t.to_person("Why is <b>{title}</b> cancelled? Type the reason: the participants, the "
                          "people on the waitlist and the trainer will read it. Send /cancel to keep "
                          "the session.", title=esc(t.pick(s.title_fr, s.title_ar))))


async def read_reason(context: BotContext, data: dict, typed: str) -> Outcome:
    """A typed reason (at either step: a new one replaces the last)."""
    t = context.t
    reason = clean_text(typed)
    if not reason:
        return t._("Please type the reason for the cancellation.")
    if len(reason) > REASON_MAX:
        return t._("Please keep the reason under {max} characters.", max=t.number(REASON_MAX))
    if await context.services.catalogue.session(data["session"]) is None:
        return Finish(_gone, data)
    return Go({**data, "reason": reason}, SURE)


async def _gone(update: Update, context: BotContext, data: dict) -> None:
    await show(update, context.t._("This session no longer exists."))


async def ask_sure(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    s = await context.services.catalogue.session(data["session"])
    if s is None:
        return await show(update, t._("This session no longer exists."))
    rows = [[button(t._("Yes, cancel the session"), ConfirmCancel()), button(t._("No"), SessionCard(s.id))]]
    await say(update, "\n".join([
        t.to_person("Cancel <b>{title}</b>? Every participant and every person on the waitlist will be told.",
            title=esc(t.pick(s.title_fr, s.title_ar))),
        t._("Reason: {reason}", reason=esc(t.iso(data["reason"])))]), keyboard(rows))


async def confirmed(context: BotContext, data: dict, press: ConfirmCancel) -> Outcome:
    return Finish(_cancel, data)


async def _cancel(update: Update, context: BotContext, data: dict) -> None:
    from handlers.session_admin import cancel

    await cancel(update, context, data["session"], data["reason"])


STEPS = {REASON: Step(ask_reason, text=read_reason),
         SURE: Step(ask_sure, text=read_reason, buttons={ConfirmCancel: confirmed})}
