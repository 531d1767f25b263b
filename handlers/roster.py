"""/roster: a coordinator's view of trainings → their sessions with fill rates → a session's
roster with every person's status. A focal point sees only sessions with officials of their
administration, and only those officials. (Trainers mark attendance elsewhere: /mysessions.)

Buttons: TrainingsPage, SessionsPage (a training's sessions), RosterPage (a session's roster,
naming the administration it was shown for: re-checked against the scope on every press).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services import vocabulary as vocab
from bot.services.access import Access, Role
from bot.services.indicators import STATUS_ORDER
from bot.timeutil import from_db
from handlers.access import requires
from handlers.buttons import Callback, StaleButton, on
from handlers.part_cards import roster_status
from handlers.reports_ui import indicators, percent
from handlers.session_quotas import quota_row
from handlers.ui import button, esc, keyboard, nav_row, show

PAGE = 8  # trainings or sessions per page
ROSTER_PAGE = 15  # people per page: 15 lines of name, sex, administration, status stay < 4096
EVERY = "-"  # a roster shown with national scope (every administration)


@dataclass(frozen=True)
class TrainingsPage(Callback, feature="ros", action="l"):
    page: int


@dataclass(frozen=True)
class SessionsPage(Callback, feature="ros", action="t"):
    training: int
    page: int


@dataclass(frozen=True)
class RosterPage(Callback, feature="ros", action="s"):
    session: int
    administration: str  # the scope it was shown for, or EVERY
    page: int


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


@requires(Role.COORDINATOR)
async def roster_command(update: Update, context: BotContext) -> None:
    """/roster: the trainings that have sessions."""
    await trainings(update, context, await context.access(), 0)


async def trainings(update: Update, context: BotContext, access: Access, page: int) -> None:
    t = context.t
    rows, total = await indicators(context).trainings(access.scope, page, PAGE)
    if not rows and page == 0:
        return await show(update, t._("No session has officials of your administration yet."))
    buttons = [[button(t.ngettext("{title} ({n} session)", "{title} ({n} sessions)", r["sessions"],
                                  title=t.pick(r["title_fr"], r["title_ar"])[:50]), SessionsPage(r["id"], 0))]
               for r in rows]
    buttons.append(nav_row(t, page, _pages(total, PAGE), TrainingsPage))
    await show(update, t.to_person("<b>Rosters</b>\nChoose a training:"), keyboard(buttons))


async def sessions(update: Update, context: BotContext, access: Access, training_id: int, page: int) -> None:
    t = context.t
    service = indicators(context)
    titles = await service.training_titles()
    if training_id not in titles:
        raise StaleButton
    rows, total = await service.sessions(training_id, access.scope, page, PAGE)
    lines = [f"<b>{esc(t.pick(*titles[training_id]))}</b>", t._("Sessions and fill rates:"), ""]
    buttons = []
    for r in rows:
        start = from_db(r["starts_at"])
        line = t._("{date} · {reference}: {taken}/{capacity} seats taken ({rate})",
                   date=t.date(start), reference=t.iso(esc(r["reference"])), taken=t.number(r["taken"]),
                   capacity=t.number(r["capacity"]), rate=percent(t, r["taken"] / r["capacity"]))
        if r["status"] == "cancelled":
            # TRANSLATORS: the state of a session, after its line in a list (lower case).
            line += " — " + t._("cancelled")
        if access.scope is not None:
            # TRANSLATORS: how many of the registered people are from the focal point's administration.
            line += " — " + t.ngettext("{n} from your administration", "{n} from your administration",
                                       r["ours"])
        lines.append("• " + line)
        buttons.append([button(f"📋 {t.short_date(start)} · {r['reference']}"[:60],
                               RosterPage(r["id"], access.scope or EVERY, 0))])
    if not rows:
        lines.append(t._("No session has officials of your administration yet."))
    buttons.append(nav_row(t, page, _pages(total, PAGE), lambda n: SessionsPage(training_id, n)))
    buttons.append([button(t._("⬅ Trainings"), TrainingsPage(0))])
    await show(update, "\n".join(lines), keyboard(buttons))


async def roster(update: Update, context: BotContext, access: Access, session_id: int, page: int) -> None:
    t = context.t
    service = indicators(context)
    session = await service.session(session_id)
    if session is None:
        raise StaleButton
    counts, people = await service.roster(session_id, access.scope, page, ROSTER_PAGE)
    total = sum(counts.values())
    if access.scope is not None and total == 0:
        raise StaleButton  # no official of theirs: not a button we gave them
    start = from_db(session["starts_at"])
    lines = [f"<b>{esc(t.pick(session['title_fr'], session['title_ar']))}</b>",
             t._("{date} · {reference} · {capacity} seats", date=t.datetime(start),
                 reference=t.iso(esc(session["reference"])), capacity=t.number(session["capacity"]))]
    if access.scope is not None:
        admin = context.services.reference.get("administrations", access.scope)
        lines.append(t._("Officials of {administration} only.",
                         administration=esc(t.pick(admin.name_fr, admin.name_ar) if admin else access.scope)))
    lines.append(" · ".join(f"{vocab.status(t, s)}: {t.number(counts[s])}" for s in STATUS_ORDER
                            if counts.get(s)))
    lines.append("")
    for i, p in enumerate(people, start=page * ROSTER_PAGE + 1):
        parts = [t.iso(esc((p["full_name"] or "—")[:60])), vocab.sex(t, p["sex"])]
        if access.scope is None:
            admin = context.services.reference.get("administrations", p["administration_code"])
            parts.append(esc(t.pick(admin.name_fr, admin.name_ar)[:40] if admin else "—"))
        lines.append(f"{t.number(i)}. " + " · ".join(parts) + f" — <i>{roster_status(t, p)}</i>")
    if not people:
        lines.append(t._("Nobody has registered yet."))
    shown_for = access.scope or EVERY
    buttons = [nav_row(t, page, _pages(total, ROSTER_PAGE), lambda n: RosterPage(session_id, shown_for, n)),
               quota_row(t, session_id),  # the places reserved (read-only for a focal point)
               [button(t._("⬅ Sessions"), SessionsPage(session["training_id"], 0))]]
    await show(update, "\n".join(lines), keyboard(buttons))


async def on_trainings(update: Update, context: BotContext, press: TrainingsPage) -> None:
    await trainings(update, context, await context.access(), press.page)


async def on_sessions(update: Update, context: BotContext, press: SessionsPage) -> None:
    await sessions(update, context, await context.access(), press.training, press.page)


async def on_roster(update: Update, context: BotContext, press: RosterPage) -> None:
    access = await context.access()
    if press.administration != (access.scope or EVERY):
        raise StaleButton  # shown for another scope: not for this person now
    await roster(update, context, access, press.session, press.page)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("roster", roster_command))
    app.add_handler(on(TrainingsPage, on_trainings, requires=Role.COORDINATOR))
    app.add_handler(on(SessionsPage, on_sessions, requires=Role.COORDINATOR))
    app.add_handler(on(RosterPage, on_roster, requires=Role.COORDINATOR))
