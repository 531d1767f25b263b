"""Coordinators split a session into parts (days or half-days) from "Manage this session": the
list of parts, add one, move one, remove one. The people with a place receive only the changed
part's calendar event (bot/services/part_notices.py)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services.access import Role
from handlers.buttons import Callback, on
from handlers.part_cards import part_line
from handlers.ui import answer, button, esc, keyboard, show


@dataclass(frozen=True)
class PartsScreen(Callback, feature="prt", action="l"):
    session: int


@dataclass(frozen=True)
class AddPart(Callback, feature="prt", action="add"):
    session: int


@dataclass(frozen=True)
class MovePart(Callback, feature="prt", action="mv"):
    part: int


@dataclass(frozen=True)
class RemovePart(Callback, feature="prt", action="rm"):
    part: int
    sure: bool


def manage_row(context: BotContext, session_id: int) -> list:
    """The row "Manage this session" shows (handlers/session_admin.py)."""
    return [button(context.t._("🧩 Days and parts"), PartsScreen(session_id))]


async def show_parts(update: Update, context: BotContext, session_id: int, note: str = "") -> None:
    t = context.t
    services = context.services
    s = await services.db.read(services.catalogue.description, session_id)
    if s is None:
        return await answer(update, t._("This session no longer exists."), alert=True)
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>"]
    if note:
        lines.insert(0, note)
    rows = []
    if s.parts:
        lines.append(t.ngettext("This session has {n} part:", "This session has {n} parts:",
                                len(s.parts)))
        for p in s.parts:
            lines.append(f"• {part_line(t, p, len(s.parts))}")
            rows.append([button(t._("🕒 Move part {number}", number=t.number(p.number)), MovePart(p.id)),
                         button(t._("🗑 Remove part {number}", number=t.number(p.number)),
                                RemovePart(p.id, False))])
    else:
        lines.append(t._("This session is in one piece. Add its days or half-days one by one: "
                         "the session then runs from the start of the first to the end of the last."))
    rows.append([button(t._("➕ Add a part"), AddPart(session_id))])
    rows.append([button(t._("⬅ Back"), "sa", "menu", session_id)])
    await show(update, "\n".join(lines), keyboard(rows))


async def on_screen(update: Update, context: BotContext, press: PartsScreen) -> None:
    await answer(update)
    await show_parts(update, context, press.session)


async def on_add(update: Update, context: BotContext, press: AddPart) -> None:
    from conversations.session_part import begin

    await begin(update, context, press.session, None)


async def on_move(update: Update, context: BotContext, press: MovePart) -> None:
    from conversations.session_part import begin

    part = await context.services.parts.part(press.part)
    if part is None:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    await begin(update, context, part.session_id, part.id)


async def on_remove(update: Update, context: BotContext, press: RemovePart) -> None:
    t = context.t
    part = await context.services.parts.part(press.part)
    if part is None:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    if not press.sure:
        await answer(update)
        return await show(update, t.to_person(
            "Remove part {number}? The people with a place are told, and the part leaves their "
            "calendar.", number=t.number(part.number)), keyboard([
                [button(t._("🗑 Remove"), RemovePart(part.id, True))],
                [button(t._("⬅ Back"), PartsScreen(part.session_id))]]))
    outcome = await context.services.parts.remove_part(part.id)
    context.services.wake_dispatcher()
    if outcome != "removed":
        return await answer(update, {
            "marked": t._("Attendance was taken for this part: it cannot be removed."),
            "last": t._("A session in parts keeps at least one part."),
        }.get(outcome, t._("This button is no longer valid.")), alert=True)
    await answer(update)
    await show_parts(update, context, part.session_id, t._("✅ The part is removed."))


def register(app: Application) -> None:
    app.add_handler(on(PartsScreen, on_screen, requires=Role.NATIONAL))
    app.add_handler(on(AddPart, on_add, requires=Role.NATIONAL))
    app.add_handler(on(MovePart, on_move, requires=Role.NATIONAL))
    app.add_handler(on(RemovePart, on_remove, requires=Role.NATIONAL))
