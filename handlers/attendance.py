"""Trainers take attendance (a paginated roster, tap to mark, all present) or show a check-in QR
code; participants who scan it are marked present. Every press re-checks that the session is
the trainer's (or that the person manages sessions)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InputFile, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from bot.services.outcomes import CodeWindow, Marking, Scan
from handlers.announce_access import trainer_may
from handlers.buttons import Callback, StaleButton, on
from handlers.part_attendance import pick_part
from handlers.results import EvaluationResults
from handlers.session_buttons import CheckInCode, Roster, SessionView
from handlers.test_results import TestResults
from handlers.ui import answer, button, esc, keyboard, nav_row, say, show

ICONS = {"attended": "✅", "absent": "❌", "confirmed": "▫️"}


@dataclass(frozen=True)
class Mark(Callback, feature="att", action="t"):
    """A tap on a name says what it makes of the person: tapped twice, the second tap asks for
    the same thing again and changes nothing."""

    registration: int
    page: int
    present: bool


@dataclass(frozen=True)
class AllPresent(Callback, feature="att", action="all"):
    session: int
    page: int


def session_rows(t: Translator, session_id: int) -> list[list]:
    """The buttons the trainer's session view gets from this feature."""
    return [[button(t._("📋 Attendance"), Roster(session_id, 0)),
             button(t._("📱 Check-in QR code"), CheckInCode(session_id))],
            [button(t._("📊 Evaluation results"), EvaluationResults(session_id, True)),
             button(t._("🧠 Test results"), TestResults(session_id))]]


async def show_roster(update: Update, context: BotContext, session_id: int, page: int) -> None:
    if await pick_part(update, context, session_id):  # a session in parts: part by part
        return
    t = context.t
    roster = await context.services.attendance.roster(session_id, page)
    if roster is None:
        raise StaleButton
    s, counts = roster.session, roster.counts
    lines = [t._("📋 <b>Attendance</b> — {title}", title=esc(t.pick(s.title_fr, s.title_ar))),
             t.datetime(s.starts_at),
             t._("✅ {present} present · ❌ {absent} absent · ▫️ {unmarked} not marked",
                 present=t.number(counts["attended"]), absent=t.number(counts["absent"]),
                 unmarked=t.number(counts["confirmed"]))]
    if not roster.total:
        lines.append(t._("Nobody is registered for this session."))
    elif roster.editable:
        lines.append(t.to_person("Tap a name to mark the person present or absent."))
    else:
        lines.append(t._("🔒 Attendance can be taken from {opens} until {closes}.",
                         opens=t.datetime(roster.opens_at), closes=t.datetime(roster.closes_at)))
    rows = [[button(f"{ICONS[line.status]} {t.iso(line.full_name)}",
                    Mark(line.registration_id, roster.page, line.status != "attended"))]
            for line in roster.lines]
    rows.append(nav_row(t, roster.page, roster.pages, lambda page: Roster(session_id, page)))
    if roster.editable and counts["confirmed"]:  # absences already marked are never overwritten
        # TRANSLATORS: button: mark every participant of the session present at once.
        rows.append([button(t._("✅ All present"), AllPresent(session_id, roster.page))])
    # TRANSLATORS: button: show the attendance list again, with the latest check-ins.
    rows.append([button(t._("🔄 Refresh"), Roster(session_id, roster.page)),
                 button(t._("📱 Check-in QR code"), CheckInCode(session_id))])
    rows.append([button(t._("⬅ Back"), SessionView(session_id))])
    await show(update, "\n".join(lines), keyboard(rows))


async def show_qr(update: Update, context: BotContext, session_id: int) -> None:
    """A fresh check-in code as a photo (sent anew: its token is only good for minutes)."""
    t = context.t
    services = context.services
    outcome, s = await services.checkin.may_show(session_id)
    if outcome is not CodeWindow.OK:
        opens, _ = services.checkin.window(s) if s else (None, None)
        text = (t._("The check-in code can be shown from {opens} until the end of the session.",
                    opens=t.datetime(opens)) if outcome is CodeWindow.NOT_OPEN else
                t._("The session is over: check-in is closed.") if outcome is CodeWindow.CLOSED else None)
        if text is None:
            raise StaleButton
        return await answer(update, text, alert=True)
    await answer(update)
    png = services.checkin.qr_png(services.checkin.link(services.bot_username, session_id))
    minutes = round(services.settings.checkin_rotate_minutes)
    caption = t.nto_person(
        "📱 Check-in for <b>{title}</b>: participants scan this code with their phone and are marked "
        "present. It changes every {n} minute: tap “🔄 New code” once it has expired.",
        "📱 Check-in for <b>{title}</b>: participants scan this code with their phone and are marked "
        "present. It changes every {n} minutes: tap “🔄 New code” once it has expired.",
        minutes, title=esc(t.pick(s.title_fr, s.title_ar)))
    # TRANSLATORS: button: make a new check-in QR code (the previous one stops working).
    rows = [[button(t._("🔄 New code"), CheckInCode(session_id)),
             button(t._("📋 Attendance"), Roster(session_id, 0))]]
    await context.bot.send_photo(update.effective_chat.id, InputFile(png, filename="check-in.png"),
                                 caption=caption, reply_markup=keyboard(rows))


async def on_mark(update: Update, context: BotContext, press: Mark) -> None:
    services = context.services
    reg = await services.attendance.registration(press.registration)
    if reg is None or not await trainer_may(context, reg.session_id):
        raise StaleButton
    outcome, session_id = await services.attendance.set(reg.id, present=press.present)
    if outcome is Marking.CLOSED:
        return await answer(update, context.t._("Attendance cannot be changed at this time."),
                            alert=True)
    await show_roster(update, context, session_id, press.page)


async def on_roster(update: Update, context: BotContext, press: Roster) -> None:
    if not await trainer_may(context, press.session):
        raise StaleButton
    await show_roster(update, context, press.session, press.page)


async def on_all_present(update: Update, context: BotContext, press: AllPresent) -> None:
    if not await trainer_may(context, press.session):
        raise StaleButton
    outcome, marked, kept = await context.services.attendance.all_present(press.session)
    t = context.t
    if outcome is Marking.CLOSED:
        return await answer(update, t._("Attendance cannot be changed at this time."), alert=True)
    done = t.ngettext("{n} marked present", "{n} marked present", marked)
    if kept:
        # TRANSLATORS: joins two counts in a short notice, e.g. “12 marked present; 2 absences kept”.
        done = t._("{marked}; {kept}", marked=done,
                   kept=t.ngettext("{n} absence kept", "{n} absences kept", kept))
    await answer(update, done)  # the roster below shows who is which
    await show_roster(update, context, press.session, press.page)


async def on_check_in_code(update: Update, context: BotContext, press: CheckInCode) -> None:
    if not await trainer_may(context, press.session):
        raise StaleButton
    await show_qr(update, context, press.session)


async def check_in_link(update: Update, context: BotContext, payload: str) -> None:
    """/start c_<session>_<token>: a participant scanned the check-in code."""
    t = context.t
    result = await context.services.checkin.check_in(context.person.user_id, payload)
    s = result.session
    title = esc(t.pick(s.title_fr, s.title_ar)) if s else ""
    if result.outcome is Scan.NOT_OPEN:
        opens = result.opens_at or context.services.checkin.window(s)[0]
        return await say(update, t._("Check-in for <b>{title}</b> opens at {opens}.", title=title,
                                     opens=t.datetime(opens)))
    await say(update, {
        Scan.CHECKED_IN: t._("✅ Welcome! You are marked present at <b>{title}</b>.", title=title),
        Scan.ALREADY: t._("You are already marked present at <b>{title}</b>.", title=title),
        Scan.NOT_REGISTERED: t.to_person("You are not on the list of participants of <b>{title}</b>, so you "
                                      "cannot be marked present. Please see the trainer.", title=title),
        Scan.CLOSED: t._("Check-in for <b>{title}</b> is closed: the session is over.", title=title),
        Scan.EXPIRED: t._("This check-in code is not valid or has expired. Please scan the code shown "
                       "in the room now."),
    }.get(result.outcome, t._("This check-in code is not valid or has expired. Please scan the code "
                              "shown in the room now.")))


def register(app: Application) -> None:
    # Each press checks the session too: the trainer's own, or any for the national team.
    app.add_handler(on(Mark, on_mark, requires=Role.TRAINER))
    app.add_handler(on(Roster, on_roster, requires=Role.TRAINER))
    app.add_handler(on(AllPresent, on_all_present, requires=Role.TRAINER))
    app.add_handler(on(CheckInCode, on_check_in_code, requires=Role.TRAINER))
