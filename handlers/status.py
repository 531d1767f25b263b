"""/status for admins: version, database size, counts, uptime."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.health import health
from handlers.ui import say


def is_admin(context: BotContext) -> bool:
    return context.person.user_id in context.services.settings.admins


async def status_command(update: Update, context: BotContext) -> None:
    """/status: the bot's health, for admins only."""
    t = context.t
    if not is_admin(context):
        return await say(update, t._("This command is reserved for the bot's administrators."))
    h = await health(context.services.db)
    now = context.services.clock.now()
    started = context.services.started_at or now
    minutes = int((now - started).total_seconds() // 60)
    lines = [
        t._("<b>Status</b>"),
        t._("Version: {version} (database schema {schema}, time zones {tz})",
            version=h.version, schema=t.number(h.schema), tz=h.tzdata),
        t.ngettext("Up for {n} minute", "Up for {n} minutes", minutes),
        t._("Database: {size} MB", size=t.number(round(h.db_bytes / 1_000_000, 1))),
        t.ngettext("{n} registered person", "{n} registered people", h.people),
        t.ngettext("{n} training", "{n} trainings", h.trainings),
        t.ngettext("{n} session", "{n} sessions", h.sessions),
        t.ngettext("{n} registration", "{n} registrations", h.registrations),
    ]
    await say(update, "\n".join(lines))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("status", status_command))
