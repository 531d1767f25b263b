"""Coaching slots (issue 17): a coach publishes a slot of a coaching training, one official
books it, and afterwards the coach records whether they came and the next objective. Plain
functions on a connection; the personal data declared for /mydata and erasure."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage import privacy
from bot.timeutil import from_db, to_db

SCHEMA = """CREATE TABLE IF NOT EXISTS coaching_slots (
    id INTEGER PRIMARY KEY,
    training_id INTEGER NOT NULL REFERENCES trainings(id),
    coach_id INTEGER NOT NULL REFERENCES users(id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES users(id),  -- who booked it (NULL: free)
    attended INTEGER CHECK (attended IN (0, 1)),
    objective TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
)"""


@dataclass(frozen=True)
class Slot:
    id: int
    training_id: int
    title_fr: str
    title_ar: str
    coach_id: int
    coach_name: str
    starts_at: datetime
    ends_at: datetime
    place: str
    user_id: int | None
    person_name: str | None
    attended: bool | None
    objective: str | None


_SELECT = """SELECT c.id, c.training_id, t.title_fr, t.title_ar, c.coach_id, IFNULL(k.full_name, '—'),
                    c.starts_at, c.ends_at, c.place, c.user_id, u.full_name, c.attended, c.objective
               FROM coaching_slots c JOIN trainings t ON t.id = c.training_id
               JOIN users k ON k.id = c.coach_id LEFT JOIN users u ON u.id = c.user_id"""


def _slot(r) -> Slot:
    return Slot(r[0], r[1], r[2], r[3], r[4], r[5], from_db(r[6]), from_db(r[7]), r[8], r[9], r[10],
                None if r[11] is None else bool(r[11]), r[12])


def install(conn: sqlite3.Connection) -> None:
    conn.execute(SCHEMA)
    conn.execute("CREATE INDEX IF NOT EXISTS coaching_slots_training ON coaching_slots(training_id,"
                 " starts_at)")


def insert(conn, training_id: int, coach_id: int, starts_at: datetime, ends_at: datetime,
           place: str, now: datetime) -> int:
    return conn.execute(
        "INSERT INTO coaching_slots (training_id, coach_id, starts_at, ends_at, place, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (training_id, coach_id, to_db(starts_at), to_db(ends_at), place, to_db(now),
         to_db(now))).fetchone()[0]


def get(conn, slot_id: int) -> Slot | None:
    row = conn.execute(f"{_SELECT} WHERE c.id = ?", (slot_id,)).fetchone()
    return _slot(row) if row else None


def free(conn, training_id: int, now: datetime) -> list[Slot]:
    return [_slot(r) for r in conn.execute(
        f"{_SELECT} WHERE c.training_id = ? AND c.user_id IS NULL AND c.starts_at > ?"
        " ORDER BY c.starts_at LIMIT 20", (training_id, to_db(now)))]


def of_coach(conn, coach_id: int, since: datetime) -> list[Slot]:
    return [_slot(r) for r in conn.execute(
        f"{_SELECT} WHERE c.coach_id = ? AND c.ends_at > ? ORDER BY c.starts_at LIMIT 20",
        (coach_id, to_db(since)))]


def book(conn, slot_id: int, user_id: int, now: datetime) -> bool:
    """Take the slot if it is still free and to come (one statement: two people tapping at once
    cannot both have it)."""
    return conn.execute(
        "UPDATE coaching_slots SET user_id = ?, updated_at = ? WHERE id = ? AND user_id IS NULL"
        " AND starts_at > ?", (user_id, to_db(now), slot_id, to_db(now))).rowcount == 1


def record(conn, slot_id: int, attended: bool, objective: str | None, now: datetime) -> None:
    conn.execute("UPDATE coaching_slots SET attended = ?, objective = IFNULL(?, objective),"
                 " updated_at = ? WHERE id = ?", (int(attended), objective, to_db(now), slot_id))


def _export(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    title = "title_ar" if lang == "ar" else "title_fr"
    return [dict(r) for r in conn.execute(
        f"""SELECT t.{title} AS training, c.starts_at, c.ends_at, c.place, c.attended, c.objective
              FROM coaching_slots c JOIN trainings t ON t.id = c.training_id
             WHERE c.user_id = ? ORDER BY c.starts_at""", (user_id,))]


def _erase(e: privacy.Erasure) -> None:
    # A booked slot to come is freed; past ones keep their attendance for the totals,
    # attributed to the tombstone, without the objective (words about the person). A coach's
    # slots stay, attributed to the tombstone, like a trainer's sessions.
    conn, now = e.conn, to_db(e.now)
    n = conn.execute("SELECT COUNT(*) FROM coaching_slots WHERE user_id = ? OR coach_id = ?",
                     (e.user_id, e.user_id)).fetchone()[0]
    if n:
        conn.execute("UPDATE coaching_slots SET user_id = NULL WHERE user_id = ? AND starts_at > ?",
                     (e.user_id, now))
        if conn.execute("SELECT 1 FROM coaching_slots WHERE user_id = ? OR coach_id = ?",
                        (e.user_id, e.user_id)).fetchone():
            stone = e.tombstone()
            conn.execute("UPDATE coaching_slots SET user_id = ?, objective = NULL WHERE user_id = ?",
                         (stone, e.user_id))
            conn.execute("UPDATE coaching_slots SET coach_id = ? WHERE coach_id = ?", (stone, e.user_id))
    e.count("coaching_slots", n)


def declare_personal_data() -> None:
    privacy.add_source(privacy.Source("coaching", "coaching_slots", _export, _erase))
