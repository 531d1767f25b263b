"""Reporting periods in Moroccan time: semesters (S1 January–June, S2 July–December) and custom
ranges of days. A period is a pair of UTC instants [start, end) on which session starts are
compared; its bounds are Moroccan midnights (Morocco was UTC+1 until September 2026, so the
2026 semesters start at 23:00 UTC the evening before)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.timeutil import from_local, to_db, to_local

_SEMESTER = re.compile(r"([0-9]{4})-S([12])")  # ASCII digits only


class PeriodError(ValueError):
    """A period that cannot be: `code` says why ('semester_invalid', 'range_invalid')."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Period:
    start: datetime  # UTC, included
    end: datetime  # UTC, excluded
    label: str  # '2027-S1', or '2027-01-01/2027-03-31' for a custom range (days included)

    def bounds(self) -> tuple[str, str]:
        """As stored instants, for SQL."""
        return to_db(self.start), to_db(self.end)

    def elapsed_share(self, now: datetime) -> float:
        """How much of the period has gone by at `now`, from 0 to 1."""
        whole = (self.end - self.start).total_seconds()
        return min(1.0, max(0.0, (now - self.start).total_seconds() / whole))


def _midnight(day: date) -> datetime:
    return from_local(datetime(day.year, day.month, day.day))


def semester(code: str) -> Period:
    """'2027-S1' -> January 1 to July 1 2027, Moroccan midnights."""
    found = _SEMESTER.fullmatch(code or "")
    if not found or not 2000 <= int(found[1]) <= 2100:
        raise PeriodError("semester_invalid")
    year, half = int(found[1]), int(found[2])
    first = date(year, 1 if half == 1 else 7, 1)
    after = date(year, 7, 1) if half == 1 else date(year + 1, 1, 1)
    return Period(_midnight(first), _midnight(after), code)


def semester_of(instant: datetime) -> str:
    """The semester a moment belongs to, in Moroccan time."""
    local = to_local(instant)
    return f"{local.year}-S{1 if local.month <= 6 else 2}"


def days(first: date, last: date) -> Period:
    """A custom range: from `first` to `last`, both days included, in Moroccan time."""
    if last < first:
        raise PeriodError("range_invalid")
    return Period(_midnight(first), _midnight(last + timedelta(days=1)), f"{first}/{last}")


def years(start_year: int, end_year: int) -> Period:
    """A plan's period: January 1 of the first year to December 31 of the last."""
    if end_year < start_year:
        raise PeriodError("range_invalid")
    return days(date(start_year, 1, 1), date(end_year, 12, 31))
