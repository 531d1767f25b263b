"""What a trainer sees of their sessions."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.timeutil import to_db


def sessions_of_trainer(conn: sqlite3.Connection, trainer_id: int, now: datetime,
                        limit: int = 30) -> list[sqlite3.Row]:
    """Upcoming sessions, then those of the last 90 days, with their counts by state."""
    return conn.execute(
        """SELECT s.id, s.reference, s.starts_at, s.ends_at, s.status, t.title_fr, t.title_ar,
                  SUM(g.status IN ('confirmed', 'offered')) AS confirmed,
                  SUM(g.status = 'waitlisted') AS waitlisted,
                  SUM(g.status = 'attended') AS attended
             FROM sessions s JOIN trainings t ON t.id = s.training_id
             LEFT JOIN registrations g ON g.session_id = s.id
            WHERE s.trainer_id = ? AND s.status != 'draft' AND s.ends_at >= ?
            GROUP BY s.id ORDER BY s.starts_at < ?, s.starts_at LIMIT ?""",
        (trainer_id, to_db(now - timedelta(days=90)), to_db(now), limit)).fetchall()


def cancel_reason(conn: sqlite3.Connection, session_id: int) -> str | None:
    row = conn.execute("SELECT cancel_reason FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return row[0] if row else None


def session_counts(conn: sqlite3.Connection, session_id: int) -> dict[str, int]:
    rows = conn.execute("SELECT status, COUNT(*) FROM registrations WHERE session_id = ? GROUP BY status",
                        (session_id,)).fetchall()
    counts = {r[0]: r[1] for r in rows}
    return {"confirmed": counts.get("confirmed", 0) + counts.get("offered", 0),
            "waitlisted": counts.get("waitlisted", 0), "attended": counts.get("attended", 0)}
