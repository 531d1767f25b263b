"""A job of the housekeeping loop that looks once an hour. The loop runs every second (it must
notice quiet hours ending and expired offers at once); a job that scans every person only
needs to look hourly, and a restart looks again at once."""

from __future__ import annotations

from datetime import datetime

from bot.timeutil import Clock


class Hourly:
    EVERY_S = 3600

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._last: datetime | None = None

    def due(self) -> bool:
        """True once per hour of the injected clock (and at the first call)."""
        now = self.clock.now()
        if self._last is not None and (now - self._last).total_seconds() < self.EVERY_S:
            return False
        self._last = now
        return True
