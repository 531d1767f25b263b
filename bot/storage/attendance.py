"""Attendance: a session's roster and its marks, and the application secret that signs check-in
codes. Plain functions on a connection, run inside one transaction."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.timeutil import to_db

# Who appears on a roster: people with a place, and those already marked.
ROSTER_STATES = ("confirmed", "attended", "absent")
_ROSTER_SQL = "('confirmed', 'attended', 'absent')"


@dataclass(frozen=True)
class RosterLine:
    registration_id: int
    user_id: int
    full_name: str
    status: str


def roster(conn: sqlite3.Connection, session_id: int, offset: int,
           limit: int) -> tuple[list[RosterLine], int]:
    """A page of the roster in name order, and its length."""
    rows = conn.execute(
        f"""SELECT g.id, g.user_id, IFNULL(u.full_name, '—') AS name, g.status,
                   COUNT(*) OVER () AS total
              FROM registrations g JOIN users u ON u.id = g.user_id
             WHERE g.session_id = ? AND g.status IN {_ROSTER_SQL}
             ORDER BY name COLLATE NOCASE, g.id LIMIT ? OFFSET ?""",
        (session_id, limit, offset)).fetchall()
    if not rows:
        total = conn.execute(f"SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status IN"
                             f" {_ROSTER_SQL}", (session_id,)).fetchone()[0]
        return [], total
    return [RosterLine(r[0], r[1], r[2], r[3]) for r in rows], rows[0]["total"]


def counts(conn: sqlite3.Connection, session_id: int) -> dict[str, int]:
    rows = conn.execute(f"SELECT status, COUNT(*) FROM registrations WHERE session_id = ? AND status IN"
                        f" {_ROSTER_SQL} GROUP BY status", (session_id,)).fetchall()
    found = {r[0]: r[1] for r in rows}
    return {state: found.get(state, 0) for state in ROSTER_STATES}


def unmarked(conn: sqlite3.Connection, session_id: int) -> list[int]:
    """Registrations that 'all present' turns into attended: only those not marked yet, so an
    absence the trainer already recorded is never overwritten."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM registrations WHERE session_id = ? AND status = 'confirmed'", (session_id,))]


def app_secret(conn: sqlite3.Connection, name: str, now: datetime) -> str:
    """A random secret made once and kept in the database (survives restarts, shared by every
    process using the database)."""
    conn.execute("INSERT OR IGNORE INTO app_secrets (name, value, created_at) VALUES (?, ?, ?)",
                 (name, secrets.token_urlsafe(32), to_db(now)))
    return conn.execute("SELECT value FROM app_secrets WHERE name = ?", (name,)).fetchone()[0]
