"""Pacing of the messages the bot sends on its own: a global rate and a per-chat interval."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    """At most `rate` sends per second overall and one send per `per_chat` seconds per chat.

    Time and sleep are injectable so benchmarks and tests control them."""

    def __init__(self, rate: float, per_chat: float,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.per_chat = per_chat
        self.monotonic = monotonic
        self.sleep = sleep
        self._next = 0.0
        self._last_by_chat: dict[int, float] = {}
        self.paused_until = 0.0

    def chat_ready(self, chat_id: int) -> bool:
        last = self._last_by_chat.get(chat_id)
        return last is None or self.monotonic() - last >= self.per_chat

    def chat_wait(self, chat_id: int) -> float:
        last = self._last_by_chat.get(chat_id)
        return 0.0 if last is None else max(0.0, self.per_chat - (self.monotonic() - last))

    async def slot(self, chat_id: int) -> None:
        """Wait for the next global slot (and any RetryAfter pause), then book it for the chat."""
        now = self.monotonic()
        wait = max(self._next, self.paused_until) - now
        if wait > 0:
            await self.sleep(wait)
            now = self.monotonic()
        self._next = max(now, self._next) + self.interval
        self._last_by_chat[chat_id] = now
        if len(self._last_by_chat) > 10_000:  # forget chats served long ago
            horizon = now - self.per_chat
            self._last_by_chat = {c: t for c, t in self._last_by_chat.items() if t > horizon}

    def pause(self, seconds: float) -> None:
        """Telegram said RetryAfter: nothing goes out before then."""
        self.paused_until = max(self.paused_until, self.monotonic() + seconds)
