"""Attendance of a session in parts, part by part: the trainer picks the part, taps a name and
says present, late, excused or absent; each person's standing by the training's rule
(attended, partial with the hours, absent, pending) is shown beside their name."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from bot.services.outcomes import PartMarking
from bot.services.part_roster import part_roster
from handlers.announce_access import trainer_may
from handlers.buttons import Callback, StaleButton, on
from handlers.part_cards import part_line
from handlers.session_buttons import CheckInCode, Roster, SessionView
from handlers.ui import answer, button, esc, keyboard, nav_row, show

MARK_ICONS = {"present": "✅", "late": "⏰", "excused": "🟡", "absent": "❌", None: "▫️"}


@dataclass(frozen=True)
class PartRoster(Callback, feature="pat", action="r"):
    session: int
    part: int
    page: int


@dataclass(frozen=True)
class PartPerson(Callback, feature="pat", action="p"):
    session: int
    part: int
    registration: int
    page: int


@dataclass(frozen=True)
class PartMark(Callback, feature="pat", action="m"):
    session: int
    part: int
    registration: int
    page: int
    status: str


def mark_name(t: Translator, status: str) -> str:
    return {"present": t._("✅ Present"), "late": t._("⏰ Late"), "excused": t._("🟡 Excused"),
            "absent": t._("❌ Absent")}[status]


def standing(t: Translator, p) -> str:
    """Where a person stands by the rule: 'partial, 14 of 21 h'."""
    done, total = t.number(round(p.hours_attended, 1)), t.number(round(p.hours_total, 1))
    if p.outcome == "attended":
        return t._("attended, {done} of {total} h", done=done, total=total)
    if p.outcome == "partial":
        return t._("partial, {done} of {total} h", done=done, total=total)
    if p.outcome == "absent":
        return t._("absent, {done} of {total} h", done=done, total=total)
    return t._("not decided yet, {done} of {total} h", done=done, total=total)


async def pick_part(update: Update, context: BotContext, session_id: int) -> bool:
    """The attendance of a session in parts starts with its parts (False: one piece)."""
    services = context.services
    s = await services.db.read(services.catalogue.description, session_id)
    if s is None or not s.parts:
        return False
    t = context.t
    lines = [t._("📋 <b>Attendance</b> — {title}", title=esc(t.pick(s.title_fr, s.title_ar))),
             t.to_person("Choose the part whose attendance you take:")]
    rows = [[button(part_line(t, p, len(s.parts))[:60], PartRoster(session_id, p.id, 0))] for p in s.parts]
    rows.append([button(t._("📱 Check-in QR code"), CheckInCode(session_id)),
                 button(t._("⬅ Back"), SessionView(session_id))])
    await show(update, "\n".join(lines), keyboard(rows))
    return True


async def show_part(update: Update, context: BotContext, session_id: int, part_id: int, page: int) -> None:
    services = context.services
    t = context.t
    roster = await part_roster(services.db, services.clock, services.settings, session_id, part_id, page)
    if roster is None:
        raise StaleButton
    s = roster.session
    lines = [t._("📋 <b>Attendance</b> — {title}", title=esc(t.pick(s.title_fr, s.title_ar))),
             part_line(t, roster.part, len(s.parts))]
    if not roster.lines:
        lines.append(t._("Nobody is registered for this session."))
    elif not roster.editable:
        lines.append(t._("🔒 Attendance of this part can be taken from {opens}.",
                         opens=t.datetime(roster.opens_at)))
    else:
        lines.append(t.to_person("Tap a name to mark the person present, late, excused or absent."))
    rows = []
    for line in roster.lines:
        lines.append(f"{MARK_ICONS[line.mark]} {esc(t.iso(line.full_name))} — {standing(t, line.presence)}")
        rows.append([button(f"{MARK_ICONS[line.mark]} {t.iso(line.full_name)}"[:60],
                            PartPerson(session_id, part_id, line.registration_id, roster.page))])
    rows.append(nav_row(t, roster.page, roster.pages, lambda p: PartRoster(session_id, part_id, p)))
    rows.append([button(t._("⬅ Back"), Roster(session_id, 0))])
    await show(update, "\n".join(lines), keyboard([r for r in rows if r]))


async def on_roster(update: Update, context: BotContext, press: PartRoster) -> None:
    if not await trainer_may(context, press.session):
        raise StaleButton
    await answer(update)
    await show_part(update, context, press.session, press.part, press.page)


async def on_person(update: Update, context: BotContext, press: PartPerson) -> None:
    if not await trainer_may(context, press.session):
        raise StaleButton
    t = context.t
    await answer(update)
    marks = [PartMark(press.session, press.part, press.registration, press.page, status)
             for status in ("present", "late", "excused", "absent")]
    await show(update, t._("How was this person at this part?"), keyboard([
        [button(mark_name(t, m.status), m) for m in marks[:2]],
        [button(mark_name(t, m.status), m) for m in marks[2:]],
        [button(t._("⬅ Back"), PartRoster(press.session, press.part, press.page))]]))


async def on_mark(update: Update, context: BotContext, press: PartMark) -> None:
    t = context.t
    if not await trainer_may(context, press.session) or press.status not in MARK_ICONS:
        raise StaleButton
    outcome, _ = await context.services.parts.mark(press.registration, press.part, press.status,
                                                   context.person.user_id)
    if outcome == PartMarking.CLOSED:
        return await answer(update, t._("Attendance cannot be changed at this time."), alert=True)
    if outcome != PartMarking.OK:
        raise StaleButton
    context.services.catalogue.seats_changed()
    await answer(update)
    await show_part(update, context, press.session, press.part, press.page)


def register(app: Application) -> None:
    # Each press checks the session too: the trainer's own, or any for the national team.
    app.add_handler(on(PartRoster, on_roster, requires=Role.TRAINER))
    app.add_handler(on(PartPerson, on_person, requires=Role.TRAINER))
    app.add_handler(on(PartMark, on_mark, requires=Role.TRAINER))
