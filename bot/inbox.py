"""Receipt of updates: nothing Telegram sent is lost by a crash, nothing is handled twice
(DESIGN 3.10).

Telegram forgets an update once the next getUpdates carries a higher offset, and PTB's Updater
moves its offset as soon as a batch is queued, before it is handled. So:
- every getUpdates answer is written to the `inbox` table in ONE transaction (one per fetched
  batch, not per update) before the Updater sees it (`ReceiptRequest`, the request PTB uses for
  getUpdates only); a webhook update is written before the webhook answers 200 (`DurableQueue`);
- while an update is handled, the first transaction its handling commits also marks it done
  (the `Rider` of `Database.write`): the change and the mark commit together or not at all;
- an update whose handling committed nothing (a card shown, a menu) is marked with the next
  transaction anybody makes, or within a second;
- at start-up, what is still `received` is handled again, in order, before anything new;
  an update Telegram redelivers that is already here is not handled twice.

What this does not promise: a reply sent to Telegram just before a crash, for an update that
changed nothing, may be sent again after the restart (the update is replayed).
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

from bot.storage import inbox as store
from bot.storage.db import Database
from bot.timeutil import Clock

log = logging.getLogger("etamkeen.inbox")

MAX_REPLAYS = 3  # an update that crashed the process this many times is set aside
KEEP_HANDLED = timedelta(days=1)  # long after Telegram was told (it confirms within a poll)
PRUNE_EVERY = timedelta(hours=1)


@dataclass
class Receipt:
    update_id: int
    marked: bool = False


_current: ContextVar[Receipt | None] = ContextVar("etamkeen_update", default=None)


class Inbox:
    """The durable record of received updates; also the rider of every transaction."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.db: Database | None = None
        self.open: dict[int, Receipt] = {}  # received, not yet handled
        self.skip: set[int] = set()  # redelivered, already here: never queued again
        self.pending: list[int] = []  # handled without a change of their own: mark soon
        self._pruned_at = None
        self._arriving: list[tuple[dict, asyncio.Future]] = []

    def attach(self, db: Database) -> None:
        self.db = db
        db.rider = self

    # --- receiving ------------------------------------------------------------------------
    async def receive(self, updates: list[dict]) -> None:
        """Make a fetched batch durable (one transaction); note which ones were already here."""
        if not updates or self.db is None:
            return
        known = await self.db.write(store.record, updates, self.clock.now())
        for update in updates:
            update_id = update["update_id"]
            if update_id in known:
                self.skip.add(update_id)
            else:
                self.open[update_id] = Receipt(update_id)

    async def receive_one(self, update: dict) -> None:
        """Make one update durable, sharing the transaction with every other one arriving at
        the same moment (webhook requests come one update each, many at once)."""
        done = asyncio.get_running_loop().create_future()
        self._arriving.append((update, done))
        if len(self._arriving) == 1:
            asyncio.ensure_future(self._receive_arriving())
        await done

    async def _receive_arriving(self) -> None:
        await asyncio.sleep(0)  # those arriving in this turn of the loop come along
        arriving, self._arriving = self._arriving, []
        try:
            await self.receive([update for update, _ in arriving])
        except Exception as exc:  # each caller learns it: the webhook answers 500, Telegram retries
            for _, done in arriving:
                done.set_exception(exc)
        else:
            for _, done in arriving:
                done.set_result(None)

    async def replay(self, queue: asyncio.Queue, bot: Bot) -> int:
        """At start-up: queue, in order, the updates received and never handled."""
        waiting, dropped = await self.db.write(store.take_waiting, MAX_REPLAYS)
        if dropped:
            log.error("set aside %d updates that were being handled at %d crashes in a row: %s",
                      len(dropped), MAX_REPLAYS, dropped[:20])
        for data in waiting:
            update = Update.de_json(data, bot)
            self.open[update.update_id] = Receipt(update.update_id)
            queue.put_nowait(update)
        if waiting:
            log.warning("handling %d updates received before the last stop and never handled",
                        len(waiting))
        return len(waiting)

    # --- handling ---------------------------------------------------------------------------
    def begin(self, update: object) -> object | None:
        """The update is being handled: its first transaction will mark it."""
        if not self.open or not isinstance(update, Update):
            return None
        receipt = self.open.pop(update.update_id, None)
        if receipt is None:
            return None
        return receipt, _current.set(receipt)

    def end(self, started: object | None, handled: bool = True) -> None:
        if started is None:
            return
        receipt, token = started
        _current.reset(token)
        if handled and not receipt.marked:  # it changed nothing: marked with the next transaction
            self.pending.append(receipt.update_id)

    # --- the rider of every transaction (bot.storage.db.Rider) -----------------------------
    def take(self) -> tuple[Receipt | None, list[int]] | None:
        receipt = _current.get()
        if receipt is not None and receipt.marked:
            receipt = None
        if receipt is None and not self.pending:
            return None
        pending, self.pending = self.pending, []
        return receipt, pending

    def write(self, conn, taken: tuple[Receipt | None, list[int]]) -> None:
        receipt, pending = taken
        ids = [receipt.update_id, *pending] if receipt is not None else pending
        store.mark_done(conn, ids)

    def committed(self, taken: tuple[Receipt | None, list[int]]) -> None:
        if taken[0] is not None:
            taken[0].marked = True

    def rolled_back(self, taken: tuple[Receipt | None, list[int]]) -> None:
        self.pending.extend(taken[1])

    # --- upkeep -------------------------------------------------------------------------
    async def flush(self) -> None:
        """Mark what was handled without a change of its own (nobody wrote since)."""
        if self.pending and self.db is not None:
            await self.db.write(lambda conn: None)  # the rider writes the marks

    async def housekeeping(self) -> None:
        await self.flush()
        now = self.clock.now()
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            await self.db.write(store.prune, now - KEEP_HANDLED)


class DurableQueue(asyncio.Queue):
    """The Application's update queue. Updates fetched by polling are already in the inbox
    (`ReceiptRequest`); a webhook update is written there before `put` returns, that is before
    the webhook answers Telegram 200. A redelivered update already here is dropped."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: Any) -> None:
        if isinstance(item, Update) and self.inbox.db is not None:
            update_id = item.update_id
            if update_id not in self.inbox.open and update_id not in self.inbox.skip:
                await self.inbox.receive_one(item.to_dict())  # webhook: durable before 200
            if update_id in self.inbox.skip:
                self.inbox.skip.discard(update_id)
                return
        await super().put(item)


class ReceiptRequest(BaseRequest):
    """The request PTB uses for getUpdates alone: each answer is written to the inbox before
    the Updater queues it — and so before the next getUpdates confirms it to Telegram."""

    __slots__ = ("inner", "inbox")

    def __init__(self, inner: BaseRequest, inbox: Inbox) -> None:
        self.inner = inner
        self.inbox = inbox

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        status, payload = await self.inner.do_request(url, method, request_data, read_timeout,
                                                      write_timeout, connect_timeout, pool_timeout)
        if status == 200 and url.endswith("/getUpdates"):
            updates = json.loads(payload).get("result") or []
            # A failure here raises: the Updater retries the same offset, nothing is confirmed.
            await self.inbox.receive([u for u in updates if isinstance(u, dict) and "update_id" in u])
        return status, payload
