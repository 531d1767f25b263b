"""/status for admins: version, database size, counts, uptime, Telegram outages, the outbox,
unreachable people and the last errors — what an operator checks first when something looks
wrong."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext, Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.logs import install_recent_errors
from bot.services.access import Role
from bot.services.health import Health, health
from bot.services.notice_reads import OutboxRow
from bot.timeutil import from_db
from handlers import notices
from handlers.access import requires
from handlers.ui import esc, say

LAST_ERRORS = 5


def _uptime(t: Translator, minutes: int) -> str:
    if minutes >= 24 * 60:
        return t.ngettext("Up for {n} day", "Up for {n} days", minutes // (24 * 60))
    if minutes >= 60:
        return t.ngettext("Up for {n} hour", "Up for {n} hours", minutes // 60)
    return t.ngettext("Up for {n} minute", "Up for {n} minutes", minutes)


def duration(t: Translator, seconds: float) -> str:
    """How long something lasted, in the largest unit that says it (an outage, here)."""
    seconds = int(seconds)
    if seconds < 60:
        # TRANSLATORS: a duration, inserted in other sentences (e.g. how long Telegram could not be
        # reached).
        return t.ngettext("{n} second", "{n} seconds", seconds)
    if seconds < 2 * 3600:
        return t.ngettext("{n} minute", "{n} minutes", seconds // 60)
    return t.ngettext("{n} hour", "{n} hours", seconds // 3600)


def _telegram_lines(t: Translator, h: Health, now) -> list[str]:
    if h.outage is not None:
        return [
            t._("⚠️ Telegram cannot be reached since {when} ({duration}): sending is paused.",
                when=t.datetime(h.outage.started_at), duration=duration(t, h.outage.seconds(now))),
            t.ngettext("{n} probe made so far", "{n} probes made so far", h.outage.probes),
            t.ngettext("{n} message due is waiting for Telegram", "{n} messages due are waiting for Telegram",
                       h.outage_waiting),
        ]
    if h.last_outage is not None:
        return [t._("Last Telegram outage: from {when}, for {duration}.",
                    when=t.datetime(h.last_outage.started_at), duration=duration(t, h.last_outage.seconds()))]
    return []


def _outbox_lines(t: Translator, h: Health, now) -> list[str]:
    lines = [t.ngettext("Outbox: {n} message waiting to be sent", "Outbox: {n} messages waiting to be sent",
                        h.outbox_due)]
    if h.outbox_oldest is not None:
        age = max(0, int((now - h.outbox_oldest).total_seconds() // 60))
        lines.append(t.ngettext("The oldest was queued {n} minute ago",
                                "The oldest was queued {n} minutes ago", age))
    if h.outbox_held:
        lines.append(t.ngettext("{n} message kept until its recipient unblocks the bot",
                                "{n} messages kept until their recipients unblock the bot", h.outbox_held))
    if h.outbox_failed:
        lines.append(t.ngettext("{n} message could not be sent", "{n} messages could not be sent",
                                h.outbox_failed))
    lines.append(t.ngettext("{n} person cannot be reached (blocked the bot or left Telegram)",
                            "{n} people cannot be reached (blocked the bot or left Telegram)",
                            h.unreachable))
    return lines


def _error_lines(t: Translator) -> list[str]:
    errors = install_recent_errors().last(LAST_ERRORS)
    if not errors:
        return [t._("No errors since the start.")]
    lines = [t._("<b>Last errors</b>")]
    for e in reversed(errors):
        lines.append(f"• {t.time(e.at)} {esc(t.iso(e.logger))}: {esc(t.iso(e.text[:200]))}")
    return lines


@requires(Role.ADMIN)
async def status_command(update: Update, context: BotContext) -> None:
    """/status: the bot's health, for admins only."""
    t = context.t
    now = context.services.clock.now()
    dispatcher = context.services.dispatcher
    h = await health(context.services.db, dispatcher.link if dispatcher else None, now)
    started = context.services.started_at or now
    minutes = int((now - started).total_seconds() // 60)
    lines = [
        t._("<b>Status</b>"),
        t._("Version: {version} (database schema {schema}, time zones {tz})",
            version=h.version, schema=t.number(h.schema), tz=h.tzdata),
        # TRANSLATORS: after how long the bot has been running: the date and time it started.
        _uptime(t, minutes) + " — " + t._("since {when}", when=t.datetime(started)),
        t._("Database: {size} MB", size=t.number(round(h.db_bytes / 1_000_000, 1))),
        t.ngettext("{n} registered person", "{n} registered people", h.people),
        t.ngettext("{n} training", "{n} trainings", h.trainings),
        t.ngettext("{n} session", "{n} sessions", h.sessions),
        t.ngettext("{n} registration", "{n} registrations", h.registrations),
        "",
        *_telegram_lines(t, h, now),
        *_outbox_lines(t, h, now),
        "",
        *_error_lines(t),
    ]
    await say(update, "\n".join(lines))


async def _outage(services: Services, row: OutboxRow, t: Translator) -> Notice:
    """To the admins, once Telegram is back after a long outage (queued by the dispatcher)."""
    start, end = from_db(row.payload["from"]), from_db(row.payload["to"])
    lines = [
        t._("⚠️ Telegram could not be reached from {start} to {end} ({duration}): the bot sent "
            "nothing meanwhile and kept every message.", start=t.datetime(start), end=t.datetime(end),
            duration=duration(t, (end - start).total_seconds())),
    ]
    if row.payload["waiting"]:
        lines.append(t.ngettext("{n} message due was waiting when it came back; it is being sent now.",
                                "{n} messages due were waiting when it came back; they are being sent now.",
                                row.payload["waiting"]))
    return Notice("\n".join(lines))


def register(app: Application) -> None:
    notices.add({"outage": _outage})
    install_recent_errors()  # errors are remembered from the start, not from the first /status
    app.add_handler(CommandHandler("status", status_command))
