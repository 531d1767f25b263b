"""Updates of different people run concurrently; updates of one person run in order.

PTB's SimpleUpdateProcessor runs everything concurrently, which would let a double tap race
itself and let a person's second answer overtake their first. Here each person has a lock.

The order of the two waits matters (DESIGN 3.9): PTB's own `process_update` takes a global
concurrency slot first, so one person's queued updates would each hold a slot while waiting on
their own lock, and others would wait behind one busy person. Here a person's lock comes first,
and a slot is taken only by the update whose turn it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.inbox import Inbox


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int, inbox: Inbox | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.inbox = inbox
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        if key is None:
            async with self._slots:
                await self.do_process_update(update, coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await self.do_process_update(update, coroutine)
        finally:
            # Forget the lock once nobody holds or waits for it: memory stays bounded by the
            # number of people active right now, not by everyone who ever wrote.
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # The inbox learns which update this task handles: its first transaction marks it.
        started = self.inbox.begin(update) if self.inbox is not None else None
        handled = False
        try:
            await coroutine  # PTB's process_update: handler errors end in the error handler
            handled = True
        finally:
            if started is not None:  # cut off (cancelled): left to be handled at the next start
                self.inbox.end(started, handled)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None
