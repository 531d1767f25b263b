"""Cancelling a session from *Manage this session*: the coordinator types why → sees what will
happen → confirms. The reason is stored with the session and told to participants and trainer.

These are steps of the session-changing flow (conversations/reschedule.py): one draft per person,
so a half-written reason is dropped by any other button, as a half-made move is."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.people import Draft
from bot.text import clean_text
from handlers.browse_buttons import SessionCard
from handlers.ui import answer, button, esc, keyboard, say, show

REASON, SURE = "cancel_reason", "cancel_sure"
STEPS = (REASON, SURE)
REASON_MAX = 300


async def begin(update: Update, context: BotContext, session_id: int, flow: str) -> None:
    t = context.t
    s = await context.services.catalogue.session(session_id)
    if s is None or s.status != "published":
        return await answer(update, t._("This button is no longer valid."), alert=True)
    await context.services.people.save_draft(context.person.user_id, flow, REASON, {"session": session_id})
    await answer(update)
    await say(update, t.to_person("Why is <b>{title}</b> cancelled? Type the reason: the participants, the "
                          "people on the waitlist and the trainer will read it. Send /cancel to keep "
                          "the session.", title=esc(t.pick(s.title_fr, s.title_ar))))


async def handle(update: Update, context: BotContext, draft: Draft, action: str | None) -> None:
    """A typed reason (at either step: a new one replaces the last), or the final yes."""
    from handlers.session_admin import cancel

    t = context.t
    people = context.services.people
    if action == "cancel" and draft.step == SURE:
        await people.drop_draft(draft.user_id, draft.flow)
        return await cancel(update, context, draft.data["session"], draft.data["reason"])
    await answer(update)
    typed = update.message.text if update.message and update.message.text else ""
    reason = clean_text(typed)
    if not reason:
        return await say(update, t._("Please type the reason for the cancellation."))
    if len(reason) > REASON_MAX:
        return await say(update, t._("Please keep the reason under {max} characters.",
                                     max=t.number(REASON_MAX)))
    await people.save_draft(draft.user_id, draft.flow, SURE, {**draft.data, "reason": reason})
    s = await context.services.catalogue.session(draft.data["session"])
    if s is None:
        await people.drop_draft(draft.user_id, draft.flow)
        return await show(update, t._("This session no longer exists."))
    rows = [[button(t._("Yes, cancel the session"), "rs", "cancel"),
             button(t._("No"), SessionCard(s.id))]]
    await say(update, "\n".join([
        t.to_person("Cancel <b>{title}</b>? Every participant and every person on the waitlist will be told.",
            title=esc(t.pick(s.title_fr, s.title_ar))),
        t._("Reason: {reason}", reason=esc(t.iso(reason)))]), keyboard(rows))
