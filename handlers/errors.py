"""The error handler: log with context, apologise to the person in their language, and tell the
admins — once per cause and at a bounded rate, so neither an outage nor one person's repeated
taps turn into a message storm or hide another fault."""

from __future__ import annotations

import html
import logging
import time
import traceback
from collections import deque
from pathlib import Path

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.i18n import Translator, resolve_language, translator
from handlers.ui import clip

log = logging.getLogger("etamkeen.errors")

HOUR = 3600.0
_ROOT = Path(__file__).resolve().parents[1]
_OUR_PACKAGES = ("bot", "handlers", "conversations")


def _where(filename: str) -> tuple[bool, str]:
    """(whether the file is our code, its path from the project root or its name)."""
    path = Path(filename).resolve()
    if not path.is_relative_to(_ROOT):
        return False, path.name
    relative = path.relative_to(_ROOT)
    return relative.parts[0] in _OUR_PACKAGES, relative.as_posix()


def cause_of(error: BaseException) -> str:
    """What caused an error, to group its alerts: its type and the deepest line of our code it
    went through (PTB raises every Telegram error from the same line of its own code)."""
    frames = [(*_where(f.filename), f.lineno) for f in traceback.extract_tb(error.__traceback__)]
    ours = [f for f in frames if f[0]]
    if not (ours or frames):
        return type(error).__name__
    _, where, line = (ours or frames)[-1]
    return f"{type(error).__name__} at {where}:{line}"


class AlertBudget:
    """Admin alerts grouped by cause: a cause alerts at most once an hour, and its repeats in
    between are counted and reported with the next alert that goes out (its own or another
    cause's); at most `per_hour` alerts in any rolling hour over all causes. Six taps on one
    broken button thus cost one alert, and a new cause still alerts after one has been noisy."""

    def __init__(self, per_hour: int, clock=time.monotonic) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self.sent: deque[float] = deque()
        self.last: dict[str, float] = {}  # cause -> when it last alerted
        self.held: dict[str, int] = {}  # cause -> repeats not reported yet

    def take(self, cause: str) -> int | None:
        """None: do not alert (the repeat is counted); else this cause's repeats not reported
        yet."""
        now = self.clock()
        while self.sent and now - self.sent[0] > HOUR:
            self.sent.popleft()
        self.last = {c: at for c, at in self.last.items() if now - at <= HOUR or c in self.held}
        recent = cause in self.last and now - self.last[cause] <= HOUR
        if recent or len(self.sent) >= self.per_hour:
            self.held[cause] = self.held.get(cause, 0) + 1
            return None
        self.sent.append(now)
        self.last[cause] = now
        return self.held.pop(cause, 0)

    def unreported(self) -> dict[str, int]:
        """The other causes' repeats not reported yet, to report with the alert going out."""
        held, self.held = self.held, {}
        return held


def kind_of(error: BaseException) -> str:
    """transient (the network, PTB retries), harmless, or bug. BadRequest is a NetworkError in
    PTB: it is a request we got wrong ("can't parse entities", "message is too long"), not an
    outage, so it is checked first."""
    if isinstance(error, BadRequest):
        return "harmless" if "message is not modified" in str(error).lower() else "bug"
    if isinstance(error, (NetworkError, RetryAfter)):  # TimedOut is a NetworkError too
        return "transient"
    return "bug"


async def _translator_for(context: BotContext, user_id: int | None, language_code: str | None) -> Translator:
    """PTB gives the error handler a fresh context: find the person's language again."""
    stored = None
    try:
        stored = (await context.services.people.load(user_id)).stored_language if user_id else None
    except Exception:  # the database may be what failed; French is better than nothing
        log.info("language lookup failed for user=%s", user_id)
    return translator(resolve_language(stored, language_code))


def alert_text(t: Translator, error: BaseException, cause: str, repeats: int, others: dict[str, int],
               update_id: int | None, user_id: int | None) -> str:
    lines = [t._("⚠️ Error: {cause}", cause=html.escape(t.iso(cause))),
             html.escape(f"{type(error).__name__}: {error}"[:300]), f"update={update_id} user={user_id}"]
    if repeats:
        # TRANSLATORS: in an error alert to the administrators: the same error happened again.
        lines.append(t.ngettext("Repeated {n} time since last reported.",
                                "Repeated {n} times since last reported.", repeats))
    if others:
        lines.append(t._("Other causes repeated since last reported:"))
        lines += [f"• {html.escape(t.iso(c))} ×{t.number(n)}"
                  for c, n in sorted(others.items(), key=lambda item: -item[1])]
    return clip("\n".join(lines))  # causes are paths and type names: no entity to cut in half


def make_error_handler(budget: AlertBudget):
    async def on_error(update: object, context: BotContext) -> None:
        await report(update, context)
        if isinstance(update, Update):
            # An update that failed half way is not handed to the later groups: a workbook whose
            # questionnaire screen failed would else be read again as a catalogue.
            raise ApplicationHandlerStop

    async def report(update: object, context: BotContext) -> None:
        error = context.error
        user = update.effective_user if isinstance(update, Update) else None
        who = user.id if user else None
        uid = update.update_id if isinstance(update, Update) else None
        kind = kind_of(error)
        if kind == "transient":  # PTB retries polling by itself; the log line is enough
            log.warning("transient error update=%s user=%s: %r", uid, who, error)
            return
        if kind == "harmless":
            log.info("harmless error update=%s user=%s: %r", uid, who, error)
            return
        log.error("error update=%s user=%s", uid, who, exc_info=error)
        if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
            try:
                t = await _translator_for(context, who, user.language_code if user else None)
                await update.effective_chat.send_message(t._(
                    "Sorry, something went wrong on our side. Please try again in a moment; if "
                    "it happens again, the team has been told."))
            except Exception:  # the apology itself failed (blocked, network): already logged
                log.info("could not apologise to user=%s", who)
        cause = cause_of(error)
        repeats = budget.take(cause)
        if repeats is None:
            return
        others = budget.unreported()
        for admin in context.services.settings.admins:
            try:
                t = await _translator_for(context, admin, None)
                await context.bot.send_message(admin, alert_text(t, error, cause, repeats, others, uid, who))
            except Exception:
                log.info("could not alert admin %s", admin)

    return on_error
