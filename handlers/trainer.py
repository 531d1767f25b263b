"""Trainers: their sessions, and messages to the participants of one of them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.storage import catalogue as sessions_repo
from bot.storage import trainer as repo
from bot.timeutil import from_db
from conversations import announce
from handlers import attendance
from handlers.announce_access import trainer_may
from handlers.ui import answer, button, esc, keyboard, parse, say, show, to_int


async def my_sessions(update: Update, context: BotContext) -> None:
    """/mysessions: the sessions this trainer runs."""
    t = context.t
    access = await context.access()
    if not (access.trainer or access.manages_sessions):
        return await say(update, t._("This command is for trainers."))
    rows = await context.services.db.read(repo.sessions_of_trainer, context.person.user_id,
                                          context.services.clock.now())
    if not rows:
        return await show(update, t._("You have no session as a trainer at the moment."))
    buttons = [[button(_label(t, r), "tr", "s", r["id"])] for r in rows]
    await show(update, t._("<b>My sessions as a trainer</b>"), keyboard(buttons))


def _label(t, row) -> str:
    label = f"{t.short_date(from_db(row['starts_at']))} · {t.pick(row['title_fr'], row['title_ar'])}"
    return t._("❌ Cancelled: {session}", session=label) if row["status"] == "cancelled" else label


async def session_view(update: Update, context: BotContext, session_id: int) -> None:
    t = context.t
    s = await context.services.db.read(sessions_repo.get_session, session_id)
    if s is not None and s.status == "cancelled" and s.trainer_id == context.person.user_id:
        return await _cancelled_view(update, context, s)
    if not await trainer_may(context, session_id):
        return await answer(update, t._("This button is no longer valid."), alert=True)
    counts = await context.services.db.read(repo.session_counts, session_id)
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>", t.datetime(s.starts_at),
             t.ngettext("{n} participant confirmed", "{n} participants confirmed", counts["confirmed"]),
             t.ngettext("{n} person on the waitlist", "{n} people on the waitlist", counts["waitlisted"]),
             t.ngettext("{n} person attended", "{n} people attended", counts["attended"])]
    rows = []
    labels = {"confirmed": t._("📣 Message the participants"),
              "waitlisted": t._("📣 Message the waitlist"),
              "attended": t._("📣 Message those who attended")}
    for kind, label in labels.items():
        if counts[kind]:
            rows.append([button(label, "tr", kind, session_id)])
    rows += attendance.session_rows(t, session_id)  # roster, check-in QR, evaluation results
    rows.append([button(t._("⬅ My sessions"), "tr", "list")])
    await show(update, "\n".join(lines), keyboard(rows))


async def _cancelled_view(update: Update, context: BotContext, s) -> None:
    """A cancelled session keeps its place in the list, but nothing can be done with it."""
    t = context.t
    reason = await context.services.db.read(repo.cancel_reason, s.id)
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>", t.datetime(s.starts_at),
             t._("❌ This session has been cancelled.")]
    if reason:
        lines.append(t._("Reason: {reason}", reason=esc(t.iso(reason))))
    await show(update, "\n".join(lines), keyboard([[button(t._("⬅ My sessions"), "tr", "list")]]))


async def on_button(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "tr") or []
    if parts == ["list"]:
        return await my_sessions(update, context)
    target = to_int(parts[1]) if len(parts) == 2 else None
    if target is None:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    if parts[0] == "s":
        return await session_view(update, context, target)
    if parts[0] in ("confirmed", "waitlisted", "attended"):
        if not await trainer_may(context, target):
            return await answer(update, context.t._("This button is no longer valid."), alert=True)
        return await announce.begin(update, context, {
            "kind": "trainer", "session": target,
            "audience": {"kind": parts[0], "value": str(target), "scope": None}})
    await answer(update, context.t._("This button is no longer valid."), alert=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mysessions", my_sessions))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:tr:"))
