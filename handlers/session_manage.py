"""Coordinators change or cancel a session from its card (everyone concerned is told), and
change a training's titles and descriptions from its screen in the catalogue: the screens and
their buttons, which start the flows of conversations/ (what a change then says to the
coordinator is in handlers.session_admin, which those flows call)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services.access import Role
from bot.services.field_edit import SESSION_FIELDS, TRAINING_FIELDS
from conversations import cancel_session, field_edit
from conversations.capacity import begin as begin_capacity
from conversations.field_texts import field_name
from conversations.reschedule import RESCHEDULE
from conversations.reschedule import begin as begin_reschedule
from handlers import notices
from handlers.browse_buttons import SessionCard, TrainingPage
from handlers.buttons import StaleButton, on
from handlers.parts_view import manage_row
from handlers.session_admin_buttons import (
    AssignTrainer,
    CancelSession,
    CancelSessionConfirmed,
    EditSession,
    EditTraining,
    ManageSession,
    ManageTraining,
    Move,
    Seats,
    Trainers,
)
from handlers.session_notices import RENDERERS
from handlers.session_quotas import quota_row
from handlers.ui import answer, button, keyboard, pairs, show


async def manage(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    rows = [[button(t._("🕒 Change the date, time or place"), Move(session_id))],
            [button(t._("👤 Assign a trainer"), Trainers(session_id))],
            [button(t._("🪑 Change the number of places"), Seats(session_id))],
            quota_row(t, session_id),
            manage_row(context, session_id),
            *pairs([button(f"✏ {field_name(t, f)}", EditSession(session_id, f)) for f in SESSION_FIELDS]),
            [button(t._("❌ Cancel the session"), CancelSession(session_id))],
            [button(t._("⬅ Back to the session"), SessionCard(session_id))]]
    await show(update, t.to_person("What do you want to do with this session?"), keyboard(rows))


async def manage_training(update: Update, context: BotContext, training_id: int) -> None:
    t = context.t
    training = await context.services.catalogue.training(training_id)
    if training is None:
        return await answer(update, t._("This training is no longer in the catalogue."), alert=True)
    rows = [*pairs([button(f"✏ {field_name(t, f)}", EditTraining(training_id, f))
                    for f in TRAINING_FIELDS]),
            [button(t._("⬅ Back to the training"), TrainingPage(training_id))]]
    await show(update, t.to_person("What do you want to change in this training?"), keyboard(rows))


async def trainers(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    holders = [h for h in await context.services.roles.holders() if h["role"] == "trainer"][:40]
    if not holders:
        return await answer(
            update, t.to_person("Nobody holds the trainer role yet: invite one with /invite."), alert=True)
    rows = [[button(h["full_name"] or str(h["user_id"]), AssignTrainer(session_id, h["user_id"]))]
            for h in holders]
    rows.append([button(t._("⬅ Back to the session"), SessionCard(session_id))])
    await show(update, t._("Who will run this session?"), keyboard(rows))


async def assign_trainer(update: Update, context: BotContext, press: AssignTrainer) -> None:
    if not await context.services.sessions.assign_trainer(context.person.user_id, press.session,
                                                          press.trainer):
        raise StaleButton
    context.services.wake_dispatcher()
    await answer(update, context.t._("Trainer assigned; they have been told."))


async def edit_session(update: Update, context: BotContext, press: EditSession) -> None:
    if press.field not in SESSION_FIELDS:
        raise StaleButton
    await field_edit.begin(update, context, "s", press.session, press.field)


async def edit_training(update: Update, context: BotContext, press: EditTraining) -> None:
    if press.field not in TRAINING_FIELDS:
        raise StaleButton
    await field_edit.begin(update, context, "t", press.training, press.field)


def register(app: Application) -> None:
    notices.add(RENDERERS)  # what a trainer is told of their sessions' changes
    national = Role.NATIONAL  # the buttons only show to those who manage sessions; checked again
    for kind, callback in (
        (ManageSession, lambda u, c, press: manage(u, c, press.session)),
        (ManageTraining, lambda u, c, press: manage_training(u, c, press.training)),
        (Move, lambda u, c, press: begin_reschedule(u, c, press.session)),
        (Trainers, lambda u, c, press: trainers(u, c, press.session)),
        (AssignTrainer, assign_trainer),
        (Seats, lambda u, c, press: begin_capacity(u, c, press.session)),
        (EditSession, edit_session),
        (EditTraining, edit_training),
        (CancelSession, lambda u, c, press: cancel_session.begin(u, c, press.session, RESCHEDULE)),
        (CancelSessionConfirmed,
         lambda u, c, press: cancel_session.begin(u, c, press.session, RESCHEDULE)),
    ):
        app.add_handler(on(kind, callback, requires=national))
