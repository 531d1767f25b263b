"""Quiet hours: what can wait is not delivered at night (Moroccan time)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.timeutil import from_local, morocco


def in_quiet_hours(instant: datetime, start_hour: int, end_hour: int) -> bool:
    """True between start_hour and end_hour local time (the range may wrap midnight)."""
    if start_hour == end_hour:
        return False
    hour = instant.astimezone(morocco()).hour
    if start_hour > end_hour:
        return hour >= start_hour or hour < end_hour
    return start_hour <= hour < end_hour


def night_length(start_hour: int, end_hour: int) -> timedelta:
    return timedelta(hours=(end_hour - start_hour) % 24)


def quiet_until(instant: datetime, start_hour: int, end_hour: int) -> datetime | None:
    """When the quiet hours around `instant` end (UTC), or None outside them: what waits for
    the morning goes at that instant."""
    if not in_quiet_hours(instant, start_hour, end_hour):
        return None
    local = instant.astimezone(morocco()).replace(tzinfo=None)
    end = local.replace(hour=end_hour, minute=0, second=0, microsecond=0)
    if end <= local:  # late evening: the quiet hours end tomorrow morning
        end += timedelta(days=1)
    return from_local(end)
