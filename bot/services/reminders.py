"""Reminders before a session, queued in the outbox when a place is confirmed (or the session
moves): they survive restarts, and a reminder for a time that no longer holds is skipped."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import test_taking
from bot.services.quiet import night_length
from bot.storage import outbox
from bot.storage.catalogue import Session
from bot.storage.registrations import Registration
from bot.timeutil import to_db


def ahead(starts_at: datetime, now: datetime, settings: Settings) -> list[tuple[float, datetime, bool]]:
    """(hours before, when, urgent) of the reminders still ahead of a start: a session's or,
    for a session in parts, each part's (bot/services/part_notices.py)."""
    night = night_length(settings.quiet_start_hour, settings.quiet_end_hour)
    out = []
    for hours in settings.reminder_hours:
        at = starts_at - timedelta(hours=hours)
        if at <= now:
            continue
        # A reminder for a session closer than a night's length cannot wait for the morning.
        out.append((hours, at, timedelta(hours=hours) < night or not night))
    return out


def due(reg: Registration, session: Session, now: datetime, settings: Settings) -> list[outbox.Message]:
    """The reminders still ahead for a confirmed place, as outbox messages."""
    starts = to_db(session.starts_at)
    return [(reg.user_id, "reminder", {"registration": reg.id, "hours": hours, "starts_at": starts},
             f"reminder:{reg.id}:{starts}:{hours}", at, urgent)
            for hours, at, urgent in ahead(session.starts_at, now, settings)]


def schedule(conn: sqlite3.Connection, reg: Registration, session: Session, now: datetime,
             settings: Settings) -> int:
    """Queue the reminders still ahead (and the pre-test's second invitation); returns how many."""
    return outbox.enqueue_many(conn, due(reg, session, now, settings) + test_taking.day_before(
        conn, reg, session, now), now)
