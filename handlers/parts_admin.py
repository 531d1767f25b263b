"""Coordinators split a session into parts (days or half-days) from "Manage this session": the
list of parts, add one, move one, remove one. The people with a place receive only the changed
part's calendar event (bot/services/part_notices.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services.access import Role
from bot.services.outcomes import PartRemoval
from conversations.session_part import begin
from handlers import notices, part_notices
from handlers.buttons import StaleButton, on, stale_text
from handlers.parts_view import AddPart, MovePart, PartsScreen, RemovePart, show_parts
from handlers.ui import answer, button, keyboard, show


async def on_screen(update: Update, context: BotContext, press: PartsScreen) -> None:
    await answer(update)
    await show_parts(update, context, press.session)


async def on_add(update: Update, context: BotContext, press: AddPart) -> None:
    await begin(update, context, press.session, None)


async def on_move(update: Update, context: BotContext, press: MovePart) -> None:
    part = await context.services.parts.part(press.part)
    if part is None:
        raise StaleButton
    await begin(update, context, part.session_id, part.id)


async def on_remove(update: Update, context: BotContext, press: RemovePart) -> None:
    t = context.t
    part = await context.services.parts.part(press.part)
    if part is None:
        raise StaleButton
    if not press.sure:
        await answer(update)
        return await show(update, t.to_person(
            "Remove part {number}? The people with a place are told, and the part leaves their "
            "calendar.", number=t.number(part.number)), keyboard([
                [button(t._("🗑 Remove"), RemovePart(part.id, True))],
                [button(t._("⬅ Back"), PartsScreen(part.session_id))]]))
    outcome = await context.services.parts.remove_part(part.id)
    context.services.wake_dispatcher()
    if outcome != PartRemoval.REMOVED:
        return await answer(update, {
            PartRemoval.MARKED: t._("Attendance was taken for this part: it cannot be removed."),
            PartRemoval.LAST: t._("A session in parts keeps at least one part."),
        }.get(outcome) or stale_text(t), alert=True)
    await answer(update)
    await show_parts(update, context, part.session_id, t._("✅ The part is removed."))


def register(app: Application) -> None:
    notices.add(part_notices.RENDERERS)  # what this feature sends on its own (the outbox)
    app.add_handler(on(PartsScreen, on_screen, requires=Role.NATIONAL))
    app.add_handler(on(AddPart, on_add, requires=Role.NATIONAL))
    app.add_handler(on(MovePart, on_move, requires=Role.NATIONAL))
    app.add_handler(on(RemovePart, on_remove, requires=Role.NATIONAL))
