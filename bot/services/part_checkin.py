"""The check-in scan of a session in parts marks the part under way: the same rotating code is
shown each day, and a scan counts for the day it is made on (present, or late once the part
has been running for a while), by the rule of bot/services/session_parts."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services.outcomes import PartMarking, Scan
from bot.services.session_parts import mark_part
from bot.storage import parts as repo
from bot.storage.registrations import Registration

LATE_AFTER = timedelta(minutes=15)  # a scan this long after a part starts counts as late


def check_in(conn: sqlite3.Connection, reg: Registration, now: datetime,
             settings: Settings) -> tuple[Scan | None, datetime | None]:
    """(outcome, when check-in opens next): checked_in, already, not_open (between parts),
    closed (after the last), or None (a session in one piece: the whole-session rule applies)."""
    parts = repo.explicit(conn, reg.session_id)
    if not parts:
        return None, None
    opens = timedelta(minutes=settings.checkin_opens_minutes)
    current = next((p for p in parts if p.starts_at - opens <= now <= p.ends_at), None)
    if current is None:
        ahead = [p.starts_at - opens for p in parts if p.starts_at - opens > now]
        return (Scan.NOT_OPEN, min(ahead)) if ahead else (Scan.CLOSED, None)
    assert current.id is not None  # explicit parts are rows: only the implicit part has no id
    if repo.marks(conn, reg.id).get(current.id) in repo.PRESENT:
        return Scan.ALREADY, None
    status = "late" if now > current.starts_at + LATE_AFTER else "present"
    outcome, _ = mark_part(conn, reg.id, current.id, status, None, now, settings)
    return (Scan.CHECKED_IN if outcome == PartMarking.OK else Scan(outcome.value)), None
