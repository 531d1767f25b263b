"""The list of a session's parts (days or half-days) with its buttons: shown by the parts'
screen and by the flow that adds or moves a part once it is done (conversations/session_part.py),
so it imports no flow."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from handlers.buttons import Callback
from handlers.part_cards import part_line
from handlers.session_admin_buttons import ManageSession
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
    rows.append([button(t._("⬅ Back"), ManageSession(session_id))])
    await show(update, "\n".join(lines), keyboard(rows))
