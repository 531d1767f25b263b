"""The outbox dispatcher: claims due messages, renders them in the recipient's current language,
sends them paced, and records what happened (DESIGN 3.3).

Delivery policy — at least once, duplicates bounded:
- a message is marked in flight ('sending') before its Bot API call and 'sent' right after;
- a kill between the two leaves it in flight; at start-up it is sent again (at most one
  duplicate per message in flight at the kill);
- a `TimedOut` may mean Telegram delivered it: it is retried (possible duplicate) rather than
  lost, at most MAX_ATTEMPTS times;
- `RetryAfter` pauses every send for the time Telegram asks and requeues the message untouched;
- `Forbidden` (blocked, deactivated, never started) and "chat not found" mark the person
  unreachable: their messages wait, unsent, until they write to the bot again;
- any other `BadRequest` is recorded and not retried;
- Telegram unreachable (network errors, timeouts and 5xx, with a probe that fails too, or
  several in a row across messages) is nobody's message's fault: sending pauses as a whole,
  what was claimed goes back unspent, and getMe probes with backoff until Telegram answers
  (bot/reachability.py, bot/outage.py). Only a transport failure while Telegram otherwise
  answers counts as one of the message's MAX_ATTEMPTS.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.i18n import Translator, translator
from bot.outage import Link
from bot.ratelimit import Pacer
from bot.reachability import Reachability
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.outbox import OutboxRow
from bot.timeutil import Clock

log = logging.getLogger("etamkeen.outbox")

MAX_ATTEMPTS = 5
BATCH = 200
FLUSH_EVERY = 16  # final states written per transaction (and at the end of each batch)
CONCURRENCY = 8  # sends in flight at once: Telegram's latency, not our CPU, bounds one-by-one


@dataclass(frozen=True)
class Notice:
    text: str
    markup: InlineKeyboardMarkup | None = None
    document: tuple[str, bytes] | None = None  # (filename, content), sent with text as caption


Renderer = Callable[[OutboxRow, Translator], Awaitable[Notice | None]]


@dataclass
class Stats:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0
    unreachable: int = 0
    rate_limited: int = 0
    held: int = 0  # claimed while Telegram was unreachable: back to pending, attempt given back
    errors: list[str] = field(default_factory=list)


class Dispatcher:
    def __init__(self, bot: Bot, db: Database, clock: Clock, pacer: Pacer, render: Renderer,
                 on_unreachable: Callable[[int], None] = lambda user_id: None,
                 quiet: Callable[[datetime], bool] = lambda now: False,
                 prepare: Callable[[], Awaitable[None]] | None = None,
                 admins: frozenset[int] = frozenset(), alert_after_s: float = 300) -> None:
        self.bot = bot
        # Admins hear once, when Telegram is back, of an outage longer than alert_after_s.
        self.telegram = Reachability(bot, db, clock, admins, alert_after_s, queued=self.wake)
        self.prepare = prepare  # before rendering a batch (e.g. catalogue caches look for writers)
        self.on_unreachable = on_unreachable
        self.quiet = quiet  # at night only urgent messages go out
        self.db = db
        self.clock = clock
        self.pacer = pacer
        self.render = render
        self._wake = asyncio.Event()
        self._marks: list[tuple[int, str]] = []
        self.last_errors: list[str] = []

    @property
    def link(self) -> Link:
        """Telegram's reachability as the dispatcher sees it (for /status)."""
        return self.telegram.link

    def wake(self) -> None:
        """Something was queued: look now rather than at the next tick."""
        self._wake.set()

    async def recover(self) -> int:
        """At start-up: messages in flight at the last stop go out again."""
        count = await self.db.write(outbox.recover)
        if count:
            log.warning("resending %d messages that were in flight at the last stop", count)
        return count

    async def drain(self) -> Stats:
        """Send everything due now; returns when nothing due is left (or only deferred rows)."""
        stats = Stats()
        while True:
            if self.telegram.down and not await self.telegram.resume():
                return stats  # paused: nothing claimed, nothing spent
            now = self.clock.now()
            rows = await self.db.write(outbox.claim, now, BATCH, self.quiet(now))
            if not rows:
                await self.telegram.idle()
                return stats
            await self._batch(rows, stats)

    async def _batch(self, rows: list[OutboxRow], stats: Stats) -> None:
        if self.prepare is not None:
            try:
                await self.prepare()
            except Exception:  # the rows are claimed: they go out regardless
                log.exception("preparing a batch of %d messages failed", len(rows))
        languages = await self.db.read(_languages, sorted({r.user_id for r in rows}))
        gate = asyncio.Semaphore(CONCURRENCY)
        busy: set[int] = set()
        held: list[int] = []

        async def one(row: OutboxRow) -> None:
            async with gate:
                if self.telegram.down:  # claimed before the outage was seen: give it back
                    held.append(row.id)
                    return
                await self._deliver(row, languages.get(row.user_id, ("fr", None)), stats, busy, held)

        await asyncio.gather(*(one(r) for r in rows))
        if held:
            await self.db.write(outbox.release, held, "Telegram unreachable")
            stats.held += len(held)
        await self._flush()

    async def run(self, tick: float = 1.0, before: Callable[[], Awaitable[object]] | None = None) -> None:
        """The background loop: `before` (e.g. expiring offers), then drain, then wait."""
        while True:
            try:
                if before is not None:
                    await before()
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one bad row stop every future message
                log.exception("dispatcher cycle failed")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=tick)
            except TimeoutError:
                pass

    async def _deliver(self, row: OutboxRow, lang: tuple[str, str | None], stats: Stats,
                       busy: set[int], held: list[int]) -> None:
        now = self.clock.now()
        if row.user_id in busy or not self.pacer.chat_ready(row.user_id):
            # One message per person at a time, spaced by the per-chat interval.
            wait = max(self.pacer.chat_wait(row.user_id), self.pacer.per_chat)
            await self.db.write(outbox.retry, row.id, now + timedelta(seconds=wait), "paced", False)
            stats.retried += 1
            return
        busy.add(row.user_id)
        try:
            notice = await self.render(row, translator(*lang))  # language and sex
            if notice is None:  # no longer meaningful (offer taken, registration cancelled...)
                await self._mark(row.id, "skipped")
                stats.skipped += 1
                return
            await self.pacer.slot(row.user_id)
            if self.telegram.down:  # seen while this one waited for its slot
                held.append(row.id)
                return
            await self._send(row.user_id, notice)
        except RetryAfter as exc:
            await self.telegram.answered()
            seconds = exc.retry_after if isinstance(exc.retry_after, int | float) else \
                exc.retry_after.total_seconds()
            self.pacer.pause(seconds)
            await self.db.write(outbox.retry, row.id, now + timedelta(seconds=seconds),
                                f"RetryAfter {seconds}", False)
            stats.rate_limited += 1
        except Forbidden as exc:
            await self.telegram.answered()
            await self._unreachable(row, str(exc), now, stats)
        except BadRequest as exc:  # before NetworkError: in PTB 22 a BadRequest is one
            await self.telegram.answered()
            if "chat not found" in str(exc).lower():
                return await self._unreachable(row, str(exc), now, stats)
            self._error(f"{row.kind}#{row.id}: {exc}")
            await self.db.write(outbox.mark, row.id, "failed", now, str(exc))
            stats.failed += 1
        except NetworkError as exc:  # network errors, TimedOut and 5xx: PTB maps 5xx here
            if await self.telegram.transport_failed(row.id, exc):
                held.append(row.id)
            elif row.attempts >= MAX_ATTEMPTS:
                self._error(f"{row.kind}#{row.id}: gave up after {row.attempts} attempts: {exc}")
                await self.db.write(outbox.mark, row.id, "failed", now, str(exc))
                stats.failed += 1
            else:
                backoff = timedelta(seconds=min(300, 5 * 2 ** row.attempts))
                await self.db.write(outbox.retry, row.id, now + backoff, repr(exc))
                stats.retried += 1
        except Exception as exc:  # a rendering bug: record it, keep the other messages going
            log.exception("outbox row %s (%s) failed", row.id, row.kind)
            self._error(f"{row.kind}#{row.id}: {exc!r}")
            await self.db.write(outbox.mark, row.id, "failed", now, repr(exc))
            stats.failed += 1
        else:
            await self.telegram.answered()
            await self._mark(row.id, "sent")
            stats.sent += 1
        finally:
            busy.discard(row.user_id)

    async def _mark(self, row_id: int, state: str) -> None:
        """Record a final state. Marks are written FLUSH_EVERY at a time — one transaction for
        many messages — so a crash can resend at most that many (they count as in flight)."""
        self._marks.append((row_id, state))
        if len(self._marks) >= FLUSH_EVERY:
            await self._flush()

    async def flush(self) -> None:
        """Write the final states still buffered (at shutdown: a clean stop resends nothing)."""
        await self._flush()

    async def _flush(self) -> None:
        marks, self._marks = self._marks, []
        if marks:
            now = self.clock.now()
            states: dict[str, list[int]] = {}
            for row_id, state in marks:
                states.setdefault(state, []).append(row_id)
            await self.db.write(lambda conn: [outbox.mark_many(conn, ids, state, now)
                                              for state, ids in states.items()])

    async def _send(self, chat_id: int, notice: Notice) -> None:
        if notice.document:
            name, content = notice.document
            await self.bot.send_document(chat_id, InputFile(content, filename=name),
                                         caption=notice.text, reply_markup=notice.markup)
        else:
            await self.bot.send_message(chat_id, notice.text, reply_markup=notice.markup)

    async def _unreachable(self, row: OutboxRow, error: str, now, stats: Stats) -> None:
        # The message waits (pending) for the day the person writes again; no retry storm.
        def tx(conn):
            outbox.skip_unreachable(conn, row.user_id, now)
            outbox.retry(conn, row.id, now, error, False)

        await self.db.write(tx)
        self.on_unreachable(row.user_id)
        stats.unreachable += 1

    def _error(self, text: str) -> None:
        log.error("outbox: %s", text)
        self.last_errors = [*self.last_errors[-9:], text]


def _languages(conn, user_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """Each recipient's language and sex (the grammatical gender of "you"), in one query."""
    marks = ",".join("?" * len(user_ids))
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        f"SELECT id, language, sex FROM users WHERE id IN ({marks})", user_ids)}
