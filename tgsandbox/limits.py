"""Flood control and fault injection for the sandbox server: O(1) per call, clock-driven."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

FAULT_KINDS = frozenset(
    {
        "429",
        "403_blocked",
        "403_deactivated",
        "400_chat_not_found",
        "500",
        "502",
        "timeout",
        "timeout_after_delivery",
        "network",
    }
)


class _Bucket:
    """A token bucket: `capacity` sends at once, refilled at `rate` per second."""

    __slots__ = ("capacity", "rate", "tokens", "stamp")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity, self.rate, self.tokens, self.stamp = capacity, rate, capacity, now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        """Spend one token (after wait() returned 0)."""
        self.tokens -= 1


class RateLimiter:
    """Telegram's flood limits: overall, per chat (with a short burst) and per group."""

    def __init__(
        self,
        clock: Callable[[], float],
        global_per_s: float,
        per_chat_per_s: float,
        per_chat_burst: int,
        group_per_min: float,
    ) -> None:
        self._clock = clock
        self._global = _Bucket(global_per_s, global_per_s, clock())
        self._per_chat = (per_chat_burst, per_chat_per_s)
        self._group = (group_per_min, group_per_min / 60.0)
        self._chats: dict[int | str, _Bucket] = {}
        self._groups: dict[int | str, _Bucket] = {}

    def acquire(self, chat_id: int | str) -> int | None:
        """Count one message to chat_id; None when allowed, else retry_after in whole seconds."""
        now = self._clock()
        buckets = [self._global, self._bucket(self._chats, chat_id, *self._per_chat, now)]
        if isinstance(chat_id, int) and chat_id < 0:
            buckets.append(self._bucket(self._groups, chat_id, *self._group, now))
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))  # Telegram never says "retry after 0"
        for bucket in buckets:
            bucket.take()
        return None

    @staticmethod
    def _bucket(
        table: dict[int | str, _Bucket], key: int | str, capacity: float, rate: float, now: float
    ) -> _Bucket:
        bucket = table.get(key)
        if bucket is None:
            bucket = table[key] = _Bucket(capacity, rate, now)
        return bucket


@dataclass
class Fault:
    """A failure armed by fail_next()."""

    kind: str
    method: str | None
    chat_id: int | str | None
    times: int
    retry_after: int

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        """Whether this fault applies to a call.

        Without an explicit method a fault never hits getUpdates, so a background poller cannot
        swallow a failure meant for a send.
        """
        if self.method is None:
            if method == "getUpdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)


OUTAGE_KINDS = frozenset({"network", "timeout", "500", "502"})


class FaultPlan:
    """The armed faults, consumed in the order they were armed; and an outage switch."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self.outage: Fault | None = None  # while set, every call fails this way

    def start_outage(self, kind: str) -> None:
        """Make every call fail (getUpdates and getMe included) until end_outage()."""
        if kind not in OUTAGE_KINDS:
            raise ValueError(f"unknown outage kind {kind!r}; expected one of {sorted(OUTAGE_KINDS)}")
        self.outage = Fault(kind, None, None, 1, 0)

    def end_outage(self) -> None:
        self.outage = None

    def arm(self, fault: Fault) -> None:
        """Add a fault."""
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if fault.times > 0:
            self._faults.append(fault)

    def take(self, method: str, chat_id: int | str | None) -> Fault | None:
        """Consume one use of the first fault matching this call."""
        if not self._faults:  # the common case costs nothing
            return None
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Disarm everything."""
        self._faults.clear()

    def __len__(self) -> int:
        return len(self._faults)
