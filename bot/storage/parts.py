"""Session parts and the attendance marks per part (schema: bot/storage/schema_parts.py).
Plain functions on a connection, run inside one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

from bot.storage.catalogue import Session
from bot.timeutil import from_db, to_db

MARKS = ("present", "absent", "excused", "late")
PRESENT = ("present", "late")  # a late arrival attended the part


@dataclass(frozen=True)
class Part:
    id: int | None  # None: the implicit part of a session without explicit parts
    session_id: int
    number: int  # 1 for the first, in time order
    starts_at: datetime
    ends_at: datetime
    place_fr: str
    place_ar: str
    online_url: str | None
    trainer_id: int | None
    sequence: int

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


_COLS = ("id, session_id, starts_at, ends_at, place_fr, place_ar, online_url, trainer_id,"
         " sequence")


def _part(row, number: int) -> Part:
    return Part(row["id"], row["session_id"], number, from_db(row["starts_at"]),
                from_db(row["ends_at"]), row["place_fr"], row["place_ar"], row["online_url"],
                row["trainer_id"], row["sequence"])


def explicit(conn: sqlite3.Connection, session_id: int) -> list[Part]:
    rows = conn.execute(f"SELECT {_COLS} FROM session_parts WHERE session_id = ?"
                        " ORDER BY starts_at, id", (session_id,)).fetchall()
    return [_part(r, n) for n, r in enumerate(rows, 1)]


def of_session(conn: sqlite3.Connection, session: Session) -> list[Part]:
    """The session's parts; one implicit part spanning it when it has none."""
    return explicit(conn, session.id) or [
        Part(None, session.id, 1, session.starts_at, session.ends_at, session.place_fr,
             session.place_ar, session.online_url, session.trainer_id, 0)]


def get(conn: sqlite3.Connection, part_id: int) -> Part | None:
    row = conn.execute("SELECT session_id FROM session_parts WHERE id = ?", (part_id,)).fetchone()
    if row is None:
        return None
    return next(p for p in explicit(conn, row[0]) if p.id == part_id)


def insert(conn: sqlite3.Connection, session_id: int, starts_at: datetime, ends_at: datetime,
           place_fr: str, place_ar: str, online_url: str | None, trainer_id: int | None,
           now: datetime) -> int:
    return conn.execute(
        "INSERT INTO session_parts (session_id, starts_at, ends_at, place_fr, place_ar, online_url,"
        " trainer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (session_id, to_db(starts_at), to_db(ends_at), place_fr, place_ar, online_url, trainer_id,
         to_db(now), to_db(now))).fetchone()[0]


def update(conn: sqlite3.Connection, part: Part, now: datetime) -> None:
    """Store the part's fields as given, with the next calendar SEQUENCE."""
    conn.execute(
        "UPDATE session_parts SET starts_at = ?, ends_at = ?, place_fr = ?, place_ar = ?,"
        " online_url = ?, trainer_id = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
        (to_db(part.starts_at), to_db(part.ends_at), part.place_fr, part.place_ar, part.online_url,
         part.trainer_id, to_db(now), part.id))


def sync_span(conn: sqlite3.Connection, session_id: int, now: datetime) -> None:
    """The session starts with its first part and ends with its last."""
    conn.execute(
        "UPDATE sessions SET starts_at = (SELECT MIN(starts_at) FROM session_parts WHERE session_id = ?1),"
        " ends_at = (SELECT MAX(ends_at) FROM session_parts WHERE session_id = ?1), updated_at = ?2"
        " WHERE id = ?1 AND EXISTS (SELECT 1 FROM session_parts WHERE session_id = ?1)",
        (session_id, to_db(now)))


def marks(conn: sqlite3.Connection, registration_id: int) -> dict[int, str]:
    return {r[0]: r[1] for r in conn.execute(
        "SELECT part_id, status FROM part_attendance WHERE registration_id = ?", (registration_id,))}


def set_mark(conn: sqlite3.Connection, registration_id: int, part_id: int, status: str,
             marked_by: int | None, now: datetime) -> None:
    conn.execute(
        "INSERT INTO part_attendance (registration_id, part_id, status, marked_by, marked_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (registration_id, part_id) DO UPDATE SET"
        " status = excluded.status, marked_by = excluded.marked_by, marked_at = excluded.marked_at",
        (registration_id, part_id, status, marked_by, to_db(now)))


def set_hours(conn: sqlite3.Connection, registration_id: int, hours: float | None) -> None:
    conn.execute("UPDATE registrations SET hours_attended = ? WHERE id = ?", (hours, registration_id))


def min_share(conn: sqlite3.Connection, training_id: int) -> float:
    return conn.execute("SELECT min_presence_share FROM trainings WHERE id = ?",
                        (training_id,)).fetchone()[0]


def has_marks(conn: sqlite3.Connection, part_id: int) -> bool:
    return conn.execute("SELECT 1 FROM part_attendance WHERE part_id = ? LIMIT 1",
                        (part_id,)).fetchone() is not None


def delete(conn: sqlite3.Connection, part_id: int) -> None:
    conn.execute("DELETE FROM session_parts WHERE id = ?", (part_id,))


def with_parts(conn: sqlite3.Connection, session: Session | None) -> Session | None:
    """The session with its explicit parts filled in (cards and notices show them)."""
    if session is None:
        return None
    found = explicit(conn, session.id)
    return replace(session, parts=tuple(found)) if found else session
