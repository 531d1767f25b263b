"""Whether Telegram can be reached, as the outbox dispatcher sees it (DESIGN 3.10).

Telegram being unreachable (network down, timeouts, 5xx everywhere) is nobody's message's fault:
while it lasts the dispatcher sends nothing and spends no message's attempts; it probes instead,
every 1, 2, 4 ... seconds up to a minute. This module is the state of that pause, with no
Telegram in it, so /status can show it and tests can drive it with a frozen clock.

The states: up; down (sending paused, probing); resuming (a probe was answered, sending
resumes). The outage ends when Telegram accepts a message again, or when a probe is answered and
nothing is waiting: a Telegram that answers getMe but refuses every message is still down for
the people waiting for their messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PROBE_FIRST_S = 1.0
PROBE_MAX_S = 60.0
# Transport failures in a row, across different messages and with no answer from Telegram in
# between, that mean an outage even if a probe is answered (getMe works, every send gets a 502).
FAILURES_FOR_OUTAGE = 3


@dataclass(frozen=True)
class Outage:
    started_at: datetime
    probes: int
    error: str
    ended_at: datetime | None = None

    def seconds(self, now: datetime | None = None) -> float:
        end = self.ended_at or now or self.started_at
        return max(0.0, (end - self.started_at).total_seconds())


class Link:
    """The dispatcher's view of Telegram: up, down since when, probes made, the last outage."""

    def __init__(self) -> None:
        self.current: Outage | None = None  # while down or resuming
        self.last: Outage | None = None  # the last one that ended (since the process started)
        self.resuming = False
        self.failing: set[int] = set()  # messages failed in transport since Telegram last answered
        self._delay = PROBE_FIRST_S
        self._next_probe: datetime | None = None

    @property
    def down(self) -> bool:
        """Sending is paused: claim nothing, send nothing, hold what is claimed."""
        return self.current is not None and not self.resuming

    def failed(self, message_id: int) -> bool:
        """A message's send failed in transport; True when so many different messages failed
        in a row that it means an outage (one message failing again is no more evidence)."""
        self.failing.add(message_id)
        return len(self.failing) >= FAILURES_FOR_OUTAGE

    def lose(self, now: datetime, error: str, probed: bool) -> bool:
        """Telegram is unreachable (`probed`: a probe just failed too): pause. True when this
        starts a new outage (log it once); failing again while resuming continues the same
        outage, with the same backoff."""
        self.resuming = False
        self._next_probe = now + timedelta(seconds=self._delay)
        if self.current is not None:
            if probed:
                self._count_probe()
            return False
        self.current = Outage(now, int(probed), error[:200])
        return True

    def probe_due(self, now: datetime) -> bool:
        return self._next_probe is None or now >= self._next_probe

    def probe_failed(self, now: datetime) -> None:
        self._count_probe()
        self._delay = min(PROBE_MAX_S, self._delay * 2)
        self._next_probe = now + timedelta(seconds=self._delay)

    def probe_answered(self) -> None:
        """A probe got an answer: try sending again (the outage ends at the first accepted send)."""
        if self.current is not None:
            self._count_probe()
            self.resuming = True

    def answered(self, now: datetime) -> Outage | None:
        """Telegram answered a send (accepted, or refused for the message's own reasons).
        Returns the outage this ends, if any (once)."""
        self.failing.clear()
        self._delay = PROBE_FIRST_S
        if self.current is None or not self.resuming:
            return None
        return self._end(now)

    def idle(self, now: datetime) -> Outage | None:
        """A probe was answered and nothing is waiting: the outage is over."""
        if self.current is None or not self.resuming:
            return None
        self.failing.clear()
        self._delay = PROBE_FIRST_S
        return self._end(now)

    def _count_probe(self) -> None:
        if self.current is not None:
            self.current = Outage(self.current.started_at, self.current.probes + 1, self.current.error)

    def _end(self, now: datetime) -> Outage:
        ended = Outage(self.current.started_at, self.current.probes, self.current.error, now)
        self.current, self.last, self.resuming, self._next_probe = None, ended, False, None
        return ended
