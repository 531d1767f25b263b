"""Coordinators' broadcasts: choose the audience, see the count and a preview, send, follow."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.services.catalogue import PAGE_SIZE
from bot.timeutil import from_db, to_db
from conversations import announce
from handlers import labels
from handlers.ui import answer, button, esc, keyboard, nav_row, pairs, parse, say, show, to_int


async def _coordinator(update: Update, context: BotContext):
    access = await context.access()
    if not access.coordinator:
        await (answer(update, context.t._("This command is reserved for coordinators and focal "
                                          "points."), alert=True) if update.callback_query else
               say(update, context.t._("This command is reserved for coordinators and focal points.")))
        return None
    return access


async def broadcast_menu(update: Update, context: BotContext) -> None:
    """/broadcast: who should receive the message?"""
    t = context.t
    access = await _coordinator(update, context)
    if access is None:
        return
    everyone = (t._("Everyone in my administration") if access.scope else t._("Everyone"))
    rows = [[button(everyone, "bc", "all")]]
    if access.scope is None:
        rows.append([button(t._("An administration"), "bc", "pick", "administration", 0)])
    rows += [[button(t._("A level (central or territorial)"), "bc", "pick", "level", 0)],
             [button(t._("A region"), "bc", "pick", "region", 0)],
             [button(t._("The participants of a training"), "bc", "pick", "training", 0)],
             [button(t._("The participants of a session"), "bc", "pick", "session", 0)],
             [button(t._("Attendees who have not filled their evaluation"), "bc", "noeval")]]
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
    rows = pairs([button(label, "bc", "to", kind, code) for code, label in shown], 1 if kind in (
        "administration", "training", "session") else 2)
    rows.append(nav_row(t, page, pages, "bc", "pick", kind))
    rows.append([button(t._("⬅ Back"), "bc", "menu")])
    await show(update, t.to_person("Choose the audience:"), keyboard(rows))


async def choose(update: Update, context: BotContext, kind: str, value: str) -> None:
    access = await _coordinator(update, context)
    if access is None:
        return
    if kind == "administration" and access.scope is not None:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    await announce.begin(update, context, {
        "kind": "coordinator", "session": None,
        "audience": {"kind": kind, "value": value, "scope": access.scope}})


async def on_button(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "bc") or []
    if parts == ["menu"]:
        return await broadcast_menu(update, context)
    if parts == ["all"]:
        return await choose(update, context, "all", "")
    if parts == ["noeval"]:
        return await choose(update, context, "no_evaluation", "")
    if len(parts) == 3 and parts[0] == "pick" and to_int(parts[2]) is not None:
        if await _coordinator(update, context) is None:
            return
        return await pick(update, context, parts[1], to_int(parts[2]) or 0)
    if len(parts) == 3 and parts[0] == "to" and parts[1] in ("administration", "level", "region"):
        return await choose(update, context, parts[1], parts[2])
    if len(parts) == 3 and parts[0] == "to" and parts[1] in ("training", "session") \
            and to_int(parts[2]) is not None:  # an id: the audience's query reads it as a number
        return await choose(update, context, parts[1], str(to_int(parts[2])))
    await answer(update, context.t._("This button is no longer valid."), alert=True)


async def broadcasts_status(update: Update, context: BotContext) -> None:
    """/broadcasts: the latest messages sent to many people, with their delivery figures."""
    t = context.t
    access = await context.access()
    if not (access.coordinator or access.trainer):
        return await say(update, t._("This command is reserved for coordinators and focal points."))
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
    app.add_handler(CommandHandler("broadcast", broadcast_menu))
    app.add_handler(CommandHandler("broadcasts", broadcasts_status))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:bc:"))
