"""Coordinators' broadcasts: choose the audience, see the count and a preview, send, follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Role
from bot.services.catalogue import PAGE_SIZE
from bot.timeutil import from_db, to_db
from conversations import announce
from handlers import labels, notices
from handlers.access import refusal, requires
from handlers.broadcast_notices import RENDERERS
from handlers.buttons import Callback, StaleButton, on
from handlers.ui import button, esc, keyboard, nav_row, pairs, say, show

BY_CODE = ("administration", "level", "region")  # audiences named by a reference code
BY_ID = ("training", "session")  # audiences named by an id (the audience's query reads a number)


@dataclass(frozen=True)
class Menu(Callback, feature="bc", action="menu"):
    pass


@dataclass(frozen=True)
class Everyone(Callback, feature="bc", action="all"):
    pass


@dataclass(frozen=True)
class NoEvaluation(Callback, feature="bc", action="noeval"):
    pass


@dataclass(frozen=True)
class Pick(Callback, feature="bc", action="pick"):
    kind: str
    page: int

    @classmethod
    def unpack(cls, data: str | None) -> Pick | None:
        press = super().unpack(data)
        return press if press is not None and press.kind in BY_CODE + BY_ID else None


@dataclass(frozen=True)
class To(Callback, feature="bc", action="to"):
    kind: str
    value: str

    @classmethod
    def unpack(cls, data: str | None) -> To | None:
        press = super().unpack(data)
        if press is None or press.kind not in BY_CODE + BY_ID:
            return None
        if press.kind in BY_ID and not (press.value.isascii() and press.value.isdigit()):
            return None
        return press


@requires(Role.COORDINATOR)
async def broadcast_menu(update: Update, context: BotContext) -> None:
    """/broadcast: who should receive the message?"""
    t = context.t
    access = await context.access()
    everyone = (t._("Everyone in my administration") if access.scope else t._("Everyone"))
    rows = [[button(everyone, Everyone())]]
    if access.scope is None:
        # TRANSLATORS: button: choose who receives a message (the people of one administration).
        rows.append([button(t._("An administration"), Pick("administration", 0))])
    rows += [[button(t._("A level (central or territorial)"), Pick("level", 0))],
             # TRANSLATORS: button: choose who receives a message (the people of one region).
             [button(t._("A region"), Pick("region", 0))],
             [button(t._("The participants of a training"), Pick("training", 0))],
             [button(t._("The participants of a session"), Pick("session", 0))],
             [button(t._("Attendees who have not filled their evaluation"), NoEvaluation())]]
    await show(update, t._("<b>New message</b>\nWho should receive it?"), keyboard(rows))


async def pick(update: Update, context: BotContext, kind: str, page: int) -> None:
    """The values of one kind of audience, as buttons."""
    t = context.t
    ref = context.services.reference
    if kind == "administration":
        items = [(a.code, t.pick(a.name_fr, a.name_ar)) for a in ref.administrations]
    elif kind == "level":
        items = [(c, labels.level(t, c)) for c in ("central", "territorial")]
    elif kind == "region":
        items = [(r.code, t.pick(r.name_fr, r.name_ar)) for r in ref.regions]
    elif kind == "training":
        trainings = await context.services.db.read(lambda c: c.execute(
            "SELECT id, title_fr, title_ar FROM trainings ORDER BY title_fr").fetchall())
        items = [(str(r[0]), t.pick(r[1], r[2])) for r in trainings]
    else:  # sessions from a month ago to three months ahead, by date
        now = context.services.clock.now()
        sessions = await context.services.db.read(lambda c: c.execute(
            "SELECT s.id, s.starts_at, t.title_fr, t.title_ar FROM sessions s JOIN trainings t"
            " ON t.id = s.training_id WHERE s.status = 'published' AND s.starts_at BETWEEN ? AND ?"
            " ORDER BY s.starts_at", (to_db(now - timedelta(days=30)), to_db(now + timedelta(days=90)))
        ).fetchall())
        items = [(str(r[0]), f"{t.short_date(from_db(r[1]))} · {t.pick(r[2], r[3])}") for r in sessions]
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(0, page), pages - 1)
    shown = items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    rows = pairs([button(label, To(kind, code)) for code, label in shown], 1 if kind in (
        "administration", "training", "session") else 2)
    rows.append(nav_row(t, page, pages, lambda n: Pick(kind, n)))
    rows.append([button(t._("⬅ Back"), Menu())])
    await show(update, t.to_person("Choose the audience:"), keyboard(rows))


async def choose(update: Update, context: BotContext, kind: str, value: str) -> None:
    access = await context.access()
    if kind == "administration" and access.scope is not None:
        raise StaleButton  # a focal point's audience is their own
    await announce.begin(update, context, {
        "kind": "coordinator", "session": None,
        "audience": {"kind": kind, "value": value, "scope": access.scope}})


async def on_menu(update: Update, context: BotContext, press: Menu) -> None:
    await broadcast_menu(update, context)


async def on_everyone(update: Update, context: BotContext, press: Everyone) -> None:
    await choose(update, context, "all", "")


async def on_no_evaluation(update: Update, context: BotContext, press: NoEvaluation) -> None:
    await choose(update, context, "no_evaluation", "")


async def on_pick(update: Update, context: BotContext, press: Pick) -> None:
    await pick(update, context, press.kind, press.page)


async def on_to(update: Update, context: BotContext, press: To) -> None:
    value = str(int(press.value)) if press.kind in BY_ID else press.value
    await choose(update, context, press.kind, value)


async def broadcasts_status(update: Update, context: BotContext) -> None:
    """/broadcasts: the latest messages sent to many people, with their delivery figures."""
    t = context.t
    access = await context.access()
    if not (access.has(Role.COORDINATOR) or access.has(Role.TRAINER)):  # trainers see their own
        return await say(update, refusal(t, Role.COORDINATOR))
    sender = None if access.scope is None and access.coordinator else context.person.user_id
    recent = await context.services.broadcasts.recent(sender)
    if not recent:
        return await say(update, t._("No message has been sent to many people yet."))
    lines = [t._("<b>Latest messages</b>")]
    for b in recent:
        p = await context.services.broadcasts.progress(b["id"])
        lines.append(t._("• {date}: {sent}/{total} delivered, {waiting} waiting, {unreachable} "
                         "unreachable — “{start}”",
                         date=t.short_date(_when(b)), sent=t.number(p.sent), total=t.number(p.recipients),
                         waiting=t.number(p.waiting), unreachable=t.number(p.unreachable + p.failed),
                         start=esc(b["text"][:40])))
    await say(update, "\n".join(lines))


def _when(row):
    return from_db(row["created_at"])


def register(app: Application) -> None:
    notices.add(RENDERERS)
    app.add_handler(CommandHandler("broadcast", broadcast_menu))
    app.add_handler(CommandHandler("broadcasts", broadcasts_status))
    app.add_handler(on(Menu, on_menu, requires=Role.COORDINATOR))
    app.add_handler(on(Everyone, on_everyone, requires=Role.COORDINATOR))
    app.add_handler(on(NoEvaluation, on_no_evaluation, requires=Role.COORDINATOR))
    app.add_handler(on(Pick, on_pick, requires=Role.COORDINATOR))
    app.add_handler(on(To, on_to, requires=Role.COORDINATOR))
