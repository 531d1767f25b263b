"""Trainers: their sessions, and messages to the participants of one of them."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services import trainer_sessions
from bot.services.access import Role
from bot.timeutil import from_db
from conversations import announce
from handlers import attendance
from handlers.access import requires
from handlers.announce_access import trainer_may
from handlers.buttons import Callback, StaleButton, on
from handlers.session_buttons import MySessions, SessionView
from handlers.ui import button, esc, keyboard, show

GROUPS = ("confirmed", "waitlisted", "attended")  # whom a trainer may message


@dataclass(frozen=True)
class MessageGroup(Callback, feature="tr", action="msg"):
    group: str
    session: int

    @classmethod
    def unpack(cls, data: str | None) -> MessageGroup | None:
        press = super().unpack(data)
        return press if press is not None and press.group in GROUPS else None


@requires(Role.TRAINER)
async def my_sessions(update: Update, context: BotContext) -> None:
    """/mysessions: the sessions this trainer runs."""
    t = context.t
    rows = await trainer_sessions.of_trainer(context.services.db, context.person.user_id,
                                             context.services.clock.now())
    if not rows:
        return await show(update, t._("You have no session as a trainer at the moment."))
    buttons = [[button(_label(t, r), SessionView(r["id"]))] for r in rows]
    await show(update, t._("<b>My sessions as a trainer</b>"), keyboard(buttons))


def _label(t, row) -> str:
    label = f"{t.short_date(from_db(row['starts_at']))} · {t.pick(row['title_fr'], row['title_ar'])}"
    return t._("❌ Cancelled: {session}", session=label) if row["status"] == "cancelled" else label


async def session_view(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    s = await context.services.catalogue.session(session_id)
    if s is not None and s.status == "cancelled" and s.trainer_id == context.person.user_id:
        return await _cancelled_view(update, context, s)
    if not await trainer_may(context, session_id):
        raise StaleButton
    counts = await trainer_sessions.counts(context.services.db, session_id)
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>", t.datetime(s.starts_at),
             t.ngettext("{n} participant confirmed", "{n} participants confirmed", counts["confirmed"]),
             t.ngettext("{n} person on the waitlist", "{n} people on the waitlist", counts["waitlisted"]),
             t.ngettext("{n} person attended", "{n} people attended", counts["attended"])]
    rows = []
    labels = {"confirmed": t._("📣 Message the participants"),
              "waitlisted": t._("📣 Message the waitlist"),
              "attended": t._("📣 Message those who attended")}
    for group, label in labels.items():
        if counts[group]:
            rows.append([button(label, MessageGroup(group, session_id))])
    rows += attendance.session_rows(t, session_id)  # roster, check-in QR, evaluation results
    # TRANSLATORS: button: back to the list of sessions the trainer runs.
    rows.append([button(t._("⬅ My sessions"), MySessions())])
    await show(update, "\n".join(lines), keyboard(rows))


async def _cancelled_view(update: Update, context: BotContext, s) -> None:
    """A cancelled session keeps its place in the list, but nothing can be done with it."""
    t = context.t
    reason = await trainer_sessions.cancel_reason(context.services.db, s.id)
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>", t.datetime(s.starts_at),
             t._("❌ This session has been cancelled.")]
    if reason:
        lines.append(t._("Reason: {reason}", reason=esc(t.iso(reason))))
    await show(update, "\n".join(lines), keyboard([[button(t._("⬅ My sessions"), MySessions())]]))


async def on_list(update: Update, context: BotContext, press: MySessions) -> None:
    await my_sessions(update, context)


async def on_session(update: Update, context: BotContext, press: SessionView) -> None:
    await session_view(update, context, press.session)


async def on_message(update: Update, context: BotContext, press: MessageGroup) -> None:
    if not await trainer_may(context, press.session):
        raise StaleButton
    await announce.begin(update, context, {
        "kind": "trainer", "session": press.session,
        "audience": {"kind": press.group, "value": str(press.session), "scope": None}})


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mysessions", my_sessions))
    # A session's buttons check the session too (handlers.announce_access.trainer_may).
    app.add_handler(on(MySessions, on_list, requires=Role.TRAINER))
    app.add_handler(on(SessionView, on_session, requires=Role.TRAINER))
    app.add_handler(on(MessageGroup, on_message, requires=Role.TRAINER))
