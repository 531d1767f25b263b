"""The error handler: log with context, apologise to the person in their language, and tell the
admins — at a bounded rate, so an outage does not turn into a message storm."""

from __future__ import annotations

import html
import logging
import time
from collections import deque

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import BotContext
from bot.i18n import Translator, resolve_language, translator

log = logging.getLogger("etamkeen.errors")


class AlertBudget:
    """At most `per_hour` admin alerts in any rolling hour."""

    def __init__(self, per_hour: int, clock=time.monotonic) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self.sent: deque[float] = deque()

    def take(self) -> bool:
        now = self.clock()
        while self.sent and now - self.sent[0] > 3600:
            self.sent.popleft()
        if len(self.sent) >= self.per_hour:
            return False
        self.sent.append(now)
        return True


async def _translator_for(update: Update, context: BotContext) -> Translator:
    """PTB gives the error handler a fresh context: find the person's language again."""
    user = update.effective_user
    stored = None
    try:
        stored = (await context.services.people.load(user.id)).stored_language if user else None
    except Exception:  # the database may be what failed; French is better than nothing
        log.info("language lookup failed for the apology")
    return translator(resolve_language(stored, user.language_code if user else None))


def make_error_handler(budget: AlertBudget):
    async def on_error(update: object, context: BotContext) -> None:
        error = context.error
        who = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        uid = update.update_id if isinstance(update, Update) else None
        if isinstance(error, (NetworkError, TimedOut, RetryAfter)) and not isinstance(error, Forbidden):
            # Transient: PTB retries polling by itself; the log line is enough.
            log.warning("transient error update=%s user=%s: %r", uid, who, error)
            return
        log.error("error update=%s user=%s", uid, who, exc_info=error)
        if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
            try:
                t = await _translator_for(update, context)
                await update.effective_chat.send_message(t._(
                    "Sorry, something went wrong on our side. Please try again in a moment; if "
                    "it happens again, the team has been told."))
            except Exception:  # the apology itself failed (blocked, network): already logged
                log.info("could not apologise to user=%s", who)
        if budget.take():
            text = f"⚠️ {html.escape(type(error).__name__)}: {html.escape(str(error))[:300]}\n" \
                   f"update={uid} user={who}"
            for admin in context.services.settings.admins:
                try:
                    await context.bot.send_message(admin, text)
                except Exception:
                    log.info("could not alert admin %s", admin)

    return on_error
