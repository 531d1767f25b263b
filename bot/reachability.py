"""Telling "Telegram is unreachable" from "this message failed", for the outbox dispatcher.

A send that fails in transport (a network error, a TimedOut, a 5xx: PTB raises NetworkError for
those, and BadRequest is a NetworkError too in PTB 22, so callers test BadRequest first) is
judged here: if Telegram does not answer a getMe probe either, or several sends in a row failed
that way across messages, Telegram is unreachable and sending pauses as a whole (bot/outage.py
keeps the state); otherwise only this message failed and it spends one of its attempts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import Bot
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.outage import Link, Outage
from bot.storage import outbox
from bot.storage.db import Database
from bot.timeutil import Clock, to_db

log = logging.getLogger("etamkeen.outbox")


class Reachability:
    def __init__(self, bot: Bot, db: Database, clock: Clock, admins: frozenset[int],
                 alert_after_s: float, queued: Callable[[], None] = lambda: None) -> None:
        self.bot, self.db, self.clock = bot, db, clock
        self.link = Link()
        self.admins = admins  # told once, when Telegram is back, of an outage longer than:
        self.alert_after_s = alert_after_s
        self.queued = queued  # an alert was queued (wake the dispatcher)
        self._verdict = asyncio.Lock()  # sends failing together share one verdict

    @property
    def down(self) -> bool:
        return self.link.down

    async def transport_failed(self, message_id: int, exc: NetworkError) -> bool:
        """A send failed in transport: True if Telegram is unreachable (pause, hold the
        message), False if only this message failed (it spends an attempt)."""
        async with self._verdict:
            if self.link.down:
                return True
            enough = self.link.failed(message_id)
            if enough or not await self.probe():
                if self.link.lose(self.clock.now(), repr(exc), probed=not enough):
                    log.warning("Telegram unreachable (%r): sending paused, probing with backoff", exc)
                return True
            return False

    async def probe(self) -> bool:
        """A cheap call: does Telegram answer at all? (Any answer, even an error, is one.)"""
        try:
            await self.bot.get_me()
        except BadRequest:
            return True
        except NetworkError:  # network errors, timeouts, 5xx
            return False
        except TelegramError:  # 401, 403, 429...: someone answered
            return True
        return True

    async def resume(self) -> bool:
        """While paused: probe when the backoff says so; True when sending may resume."""
        now = self.clock.now()
        if not self.link.probe_due(now):
            return False
        if not await self.probe():
            self.link.probe_failed(now)
            return False
        self.link.probe_answered()
        return True

    async def answered(self) -> None:
        """Telegram answered a send (even with an error about the message): it is reachable."""
        if (over := self.link.answered(self.clock.now())) is not None:
            await self._over(over)

    async def idle(self) -> None:
        """Nothing was waiting when sending resumed: the outage is over."""
        if (over := self.link.idle(self.clock.now())) is not None:
            await self._over(over)

    async def _over(self, outage: Outage) -> None:
        seconds = outage.seconds()
        log.info("Telegram reachable again after an outage of %.0f s (%d probes): sending resumes",
                 seconds, outage.probes)
        if seconds < self.alert_after_s or not self.admins:
            return
        # Through the outbox: in each admin's language, durable, once (the dedupe key). Due
        # when the outage began, so it goes out ahead of the backlog it held, not behind it.
        await self.db.write(_queue_alert, sorted(self.admins), outage)
        self.queued()


def _queue_alert(conn, admins: list[int], outage: Outage) -> None:
    waiting = outbox.due_count(conn, outage.ended_at)
    payload = {"from": to_db(outage.started_at), "to": to_db(outage.ended_at),
               "probes": outage.probes, "waiting": waiting}
    outbox.enqueue_many(conn, [(admin, "outage", payload, f"outage:{payload['from']}:{admin}",
                                outage.started_at, True) for admin in admins], outage.ended_at)
