"""Moroccan time, read from the `tzdata` package rather than the OS copy of the tz database.

Morocco moved to permanent UTC+0 on 2026-09-20 (IANA 2026c). Many OS copies still say UTC+1 with
a Ramadan switch, so we never trust the system zoneinfo: instants are stored in UTC and converted
with the zone loaded from the pinned `tzdata` package.
"""

from __future__ import annotations

import importlib.resources
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import overload
from zoneinfo import ZoneInfo

import tzdata

TZ_NAME = "Africa/Casablanca"
MIN_TZDATA = "2026c"


@cache
def morocco() -> ZoneInfo:
    """Return Africa/Casablanca as the tzdata package defines it."""
    with importlib.resources.files("tzdata.zoneinfo").joinpath(*TZ_NAME.split("/")).open("rb") as f:
        return ZoneInfo.from_file(f, key=TZ_NAME)


class TimeZoneDataError(RuntimeError):
    """The time-zone data is too old to know Morocco's permanent UTC+0."""


def check_tzdata() -> str:
    """Fail at start-up if the tz data would show Moroccan times an hour off."""
    version = tzdata.IANA_VERSION
    probe = datetime(2027, 1, 15, 12, tzinfo=UTC).astimezone(morocco())
    if version < MIN_TZDATA or probe.utcoffset() != timedelta(0):
        raise TimeZoneDataError(
            f"tzdata {version} does not know Morocco's permanent UTC+0 (need >= {MIN_TZDATA})"
        )
    return version


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(instant: datetime) -> datetime:
    return instant.astimezone(morocco())


def from_local(naive: datetime) -> datetime:
    """Turn a wall-clock time typed in Morocco into an aware UTC instant."""
    return naive.replace(tzinfo=morocco()).astimezone(UTC)


# Instants are stored as ISO-8601 UTC text: readable in a backup, sortable, SQLite-friendly.
_last_stored: tuple[datetime | None, str] = (None, "")


def to_db(instant: datetime) -> str:
    global _last_stored
    # A transaction stores the same `now` several times (a registration and its messages):
    # the last one converted is remembered (instants are immutable, so identity is enough).
    last, text = _last_stored
    if instant is last:
        return text
    if instant.tzinfo is None:
        raise ValueError("naive datetime given where an instant was expected")
    # isoformat is several times faster than strftime, and every write stores a few instants.
    text = instant.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat(" ")
    _last_stored = (instant, text)
    return text


@overload
def from_db(text: str) -> datetime: ...
@overload
def from_db(text: None) -> None: ...
@overload
def from_db(text: str | None) -> datetime | None: ...
def from_db(text: str | None) -> datetime | None:
    """A stored instant; NULL stays None (a column that is never NULL gives a datetime)."""
    if text is None:
        return None
    return _from_db(text)


@lru_cache(maxsize=8192)
def _from_db(text: str) -> datetime:
    # The same few instants (sessions' times, deadlines) are read on every card and list.
    # fromisoformat reads 'YYYY-MM-DD HH:MM:SS' about 20 times faster than strptime.
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Clock:
    """The current instant; services ask it instead of the system so tests can move time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to (tests, benchmarks)."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = instant
