"""Paths (ordered trainings), cohorts (one session per module) and their members (schema:
bot/storage/schema_parts.py). Plain functions on a connection, run inside one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.timeutil import to_db


@dataclass(frozen=True)
class Module:
    position: int
    training_id: int
    code: str
    title_fr: str
    title_ar: str
    modality: str
    duration_hours: float | None
    elearning_url: str | None

    @property
    def elearning(self) -> bool:
        """Followed on the learning platform, not in a session."""
        return self.elearning_url is not None


def insert_path(conn: sqlite3.Connection, code: str, title_fr: str, title_ar: str,
                training_ids: list[int], now) -> int:
    path_id = conn.execute("INSERT INTO paths (code, title_fr, title_ar, created_at)"
                           " VALUES (?, ?, ?, ?) RETURNING id",
                           (code, title_fr, title_ar, to_db(now))).fetchone()[0]
    conn.executemany("INSERT INTO path_modules (path_id, position, training_id) VALUES (?, ?, ?)",
                     [(path_id, n, t) for n, t in enumerate(training_ids, 1)])
    return path_id


def path(conn: sqlite3.Connection, path_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM paths WHERE id = ?", (path_id,)).fetchone()


def modules(conn: sqlite3.Connection, path_id: int) -> list[Module]:
    return [Module(*r) for r in conn.execute(
        """SELECT m.position, t.id, t.code, t.title_fr, t.title_ar, t.modality, t.duration_hours,
                  t.elearning_url
             FROM path_modules m JOIN trainings t ON t.id = m.training_id
            WHERE m.path_id = ? ORDER BY m.position""", (path_id,))]


def insert_cohort(conn: sqlite3.Connection, path_id: int, code: str,
                  sessions: dict[int, int], now) -> int:
    """A cohort with its session for each module position."""
    cohort_id = conn.execute("INSERT INTO cohorts (path_id, code, created_at) VALUES (?, ?, ?)"
                             " RETURNING id", (path_id, code, to_db(now))).fetchone()[0]
    conn.executemany("INSERT INTO cohort_sessions (cohort_id, position, session_id) VALUES (?, ?, ?)",
                     [(cohort_id, pos, sid) for pos, sid in sorted(sessions.items())])
    return cohort_id


def cohort(conn: sqlite3.Connection, cohort_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM cohorts WHERE id = ?", (cohort_id,)).fetchone()


def cohort_sessions(conn: sqlite3.Connection, cohort_id: int) -> dict[int, int]:
    """Module position -> session."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT position, session_id FROM cohort_sessions WHERE cohort_id = ? ORDER BY position",
        (cohort_id,))}


def membership(conn: sqlite3.Connection, cohort_id: int, user_id: int) -> str | None:
    row = conn.execute("SELECT status FROM cohort_members WHERE cohort_id = ? AND user_id = ?",
                       (cohort_id, user_id)).fetchone()
    return row[0] if row else None


def set_member(conn: sqlite3.Connection, cohort_id: int, user_id: int, status: str, now) -> None:
    """Book or queue the person (last in line when queued anew)."""
    conn.execute(
        """INSERT INTO cohort_members (cohort_id, user_id, status, seq, created_at, updated_at)
           VALUES (?1, ?2, ?3, (SELECT IFNULL(MAX(seq), 0) + 1 FROM cohort_members
                                 WHERE cohort_id = ?1), ?4, ?4)
           ON CONFLICT (cohort_id, user_id) DO UPDATE SET status = excluded.status,
               seq = excluded.seq, updated_at = excluded.updated_at""",
        (cohort_id, user_id, status, to_db(now)))


def waitlist_position(conn: sqlite3.Connection, cohort_id: int, user_id: int) -> int | None:
    row = conn.execute(
        """SELECT 1 + (SELECT COUNT(*) FROM cohort_members o WHERE o.cohort_id = m.cohort_id
                        AND o.status = 'waitlisted' AND o.seq < m.seq)
             FROM cohort_members m WHERE m.cohort_id = ? AND m.user_id = ?
              AND m.status = 'waitlisted'""", (cohort_id, user_id)).fetchone()
    return row[0] if row else None


def booked_cohort(conn: sqlite3.Connection, path_id: int, user_id: int) -> int | None:
    row = conn.execute(
        """SELECT c.id FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id
            WHERE c.path_id = ? AND m.user_id = ? AND m.status = 'booked'
            ORDER BY m.updated_at DESC LIMIT 1""", (path_id, user_id)).fetchone()
    return row[0] if row else None


def best_registration(conn: sqlite3.Connection, user_id: int, training_id: int) -> sqlite3.Row | None:
    """The person's registration that best shows where they are in a training: attended first,
    then a seat held, the latest session first."""
    return conn.execute(
        """SELECT g.id, g.status, g.hours_attended, s.id AS session_id, s.starts_at, s.ends_at,
                  (SELECT SUM(julianday(p.ends_at) - julianday(p.starts_at)) * 24
                     FROM session_parts p WHERE p.session_id = s.id) AS parts_hours
             FROM registrations g JOIN sessions s ON s.id = g.session_id
            WHERE g.user_id = ? AND s.training_id = ?
              AND g.status IN ('attended', 'confirmed', 'offered', 'absent')
            ORDER BY g.status = 'attended' DESC, g.status != 'absent' DESC, s.starts_at DESC
            LIMIT 1""", (user_id, training_id)).fetchone()


def cohort_of_session(conn: sqlite3.Connection, session_id: int) -> int | None:
    """The cohort a session belongs to (at most one)."""
    row = conn.execute("SELECT cohort_id FROM cohort_sessions WHERE session_id = ?",
                       (session_id,)).fetchone()
    return row[0] if row else None


def cohort_and_path(conn: sqlite3.Connection, cohort_id: int) -> sqlite3.Row:
    return conn.execute("SELECT c.code, p.title_fr, p.title_ar FROM cohorts c"
                        " JOIN paths p ON p.id = c.path_id WHERE c.id = ?", (cohort_id,)).fetchone()


def waitlisted(conn: sqlite3.Connection, cohort_id: int) -> list[tuple[int, int]]:
    """The people waiting for the cohort, in line order: (person, place in the order)."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT user_id, seq FROM cohort_members WHERE cohort_id = ? AND status = 'waitlisted'"
        " ORDER BY seq", (cohort_id,))]


def members(conn: sqlite3.Connection, cohort_id: int) -> list[tuple[int, str]]:
    """Who holds or waits for the cohort now: (person, 'booked' or 'waitlisted')."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT user_id, status FROM cohort_members WHERE cohort_id = ?"
        " AND status IN ('booked', 'waitlisted') ORDER BY seq", (cohort_id,))]


def member_seq(conn: sqlite3.Connection, cohort_id: int, user_id: int) -> int | None:
    row = conn.execute("SELECT seq FROM cohort_members WHERE cohort_id = ? AND user_id = ?",
                       (cohort_id, user_id)).fetchone()
    return row[0] if row else None
