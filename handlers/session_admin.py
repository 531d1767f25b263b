"""Coordinators change or cancel a session from its card (everyone concerned is told), and
change a training's titles and descriptions from its screen in the catalogue."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.services.field_edit import SESSION_FIELDS, TRAINING_FIELDS
from conversations import cancel_session, field_edit
from conversations.capacity import begin as begin_capacity
from conversations.field_texts import field_name
from conversations.reschedule import RESCHEDULE
from conversations.reschedule import begin as begin_reschedule
from handlers.parts_admin import manage_row
from handlers.session_quotas import quota_row
from handlers.ui import answer, button, keyboard, pairs, parse, show, to_int


def refusal(context: BotContext, key: str | None) -> str:
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
    }.get(key or "", t._("This button is no longer valid."))


async def manage(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    rows = [[button(t._("🕒 Change the date, time or place"), "sa", "move", session_id)],
            [button(t._("👤 Assign a trainer"), "sa", "trainers", session_id)],
            [button(t._("🪑 Change the number of places"), "sa", "seats", session_id)],
            quota_row(t, session_id),
            manage_row(context, session_id),
            *pairs([button(f"✏ {field_name(t, f)}", "sa", "edit", session_id, f) for f in SESSION_FIELDS]),
            [button(t._("❌ Cancel the session"), "sa", "cancel", session_id)],
            [button(t._("⬅ Back to the session"), "cat", "s", session_id, "..")]]
    await show(update, t.to_person("What do you want to do with this session?"), keyboard(rows))


async def manage_training(update: Update, context: BotContext, training_id: int) -> None:
    t = context.t
    training = await context.services.catalogue.training(training_id)
    if training is None:
        return await answer(update, t._("This training is no longer in the catalogue."), alert=True)
    rows = [*pairs([button(f"✏ {field_name(t, f)}", "sa", "tedit", training_id, f)
                    for f in TRAINING_FIELDS]),
            [button(t._("⬅ Back to the training"), "cat", "t", training_id, "..", 0)]]
    await show(update, t.to_person("What do you want to change in this training?"), keyboard(rows))


async def cancel(update: Update, context: BotContext, session_id: int, reason: str) -> None:
    """The coordinator confirmed (conversations/cancel_session asked why)."""
    t = context.t
    change = await context.services.sessions.cancel(session_id, context.person.user_id, reason)
    context.services.wake_dispatcher()
    if change.outcome == "refused":
        return await answer(update, refusal(context, change.refusal), alert=True)
    await show(update, t.ngettext("The session is cancelled; {n} person is being told.",
                                  "The session is cancelled; {n} people are being told.", change.told))


async def trainers(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    holders = [h for h in await context.services.roles.holders() if h["role"] == "trainer"][:40]
    if not holders:
        return await answer(
            update, t.to_person("Nobody holds the trainer role yet: invite one with /invite."), alert=True)
    rows = [[button(h["full_name"] or str(h["user_id"]), "sa", "tr", session_id, h["user_id"])]
            for h in holders]
    rows.append([button(t._("⬅ Back to the session"), "cat", "s", session_id, "..")])
    await show(update, t._("Who will run this session?"), keyboard(rows))


async def on_button(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "sa") or []
    if len(parts) == 3 and parts[0] in ("edit", "tedit") and to_int(parts[1]):
        if not (await context.access()).manages_sessions:
            return await answer(update, context.t._("This button is no longer valid."), alert=True)
        return await field_edit.begin(update, context, "s" if parts[0] == "edit" else "t",
                                      to_int(parts[1]) or 0, parts[2])
    if len(parts) == 3 and parts[0] == "tr" and to_int(parts[1]) and to_int(parts[2]):
        if not (await context.access()).manages_sessions:
            return await answer(update, context.t._("This button is no longer valid."), alert=True)
        done = await context.services.sessions.assign_trainer(context.person.user_id, to_int(parts[1]) or 0,
                                                              to_int(parts[2]) or 0)
        context.services.wake_dispatcher()
        return await answer(update, context.t._("Trainer assigned; they have been told.") if done
                            else context.t._("This button is no longer valid."), alert=not done)
    target = to_int(parts[1]) if len(parts) == 2 else None
    access = await context.access()
    if target is None or not access.manages_sessions:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    if parts[0] == "menu":
        return await manage(update, context, target)
    if parts[0] == "tmenu":
        return await manage_training(update, context, target)
    if parts[0] in ("cancel", "cancelok"):  # cancelok: a confirmation from before reasons were asked
        return await cancel_session.begin(update, context, target, RESCHEDULE)
    if parts[0] == "move":
        return await begin_reschedule(update, context, target)
    if parts[0] == "trainers":
        return await trainers(update, context, target)
    if parts[0] == "seats":
        return await begin_capacity(update, context, target)
    await answer(update, context.t._("This button is no longer valid."), alert=True)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:sa:"))
