"""Competence plans (tables: bot/storage/schema_plans.py): plans, their versions and events,
lines, and the sessions linked to lines. Plain statements; the rules are in bot/services/plans.py."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.timeutil import to_db

LINE_FIELDS = ("theme_code", "training_id", "track", "position_code", "level", "region_code",
               "target_people", "target_women", "target_hours", "semester", "priority")


def create_plan(conn: sqlite3.Connection, administration: str, start_year: int, end_year: int,
                actor_id: int | None, now: datetime) -> tuple[int, int]:
    """A plan and its first (draft) version: (plan id, version id)."""
    plan_id = conn.execute(
        "INSERT INTO plans (administration_code, start_year, end_year, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        (administration, start_year, end_year, actor_id, to_db(now))).fetchone()[0]
    return plan_id, add_version(conn, plan_id, 1, actor_id, now)


def find_plan(conn: sqlite3.Connection, administration: str, start_year: int, end_year: int) -> int | None:
    row = conn.execute("SELECT id FROM plans WHERE administration_code = ? AND start_year = ?"
                       " AND end_year = ?", (administration, start_year, end_year)).fetchone()
    return row[0] if row else None


def add_version(conn: sqlite3.Connection, plan_id: int, number: int, actor_id: int | None,
                now: datetime) -> int:
    version_id = conn.execute(
        "INSERT INTO plan_versions (plan_id, number, status, created_by, created_at, updated_at)"
        " VALUES (?, ?, 'draft', ?, ?, ?) RETURNING id",
        (plan_id, number, actor_id, to_db(now), to_db(now))).fetchone()[0]
    add_event(conn, version_id, "draft", actor_id, now)
    return version_id


def add_event(conn: sqlite3.Connection, version_id: int, status: str, actor_id: int | None,
              now: datetime, reason: str | None = None) -> None:
    conn.execute("INSERT INTO plan_events (version_id, status, actor_id, at, reason) VALUES (?, ?, ?, ?, ?)",
                 (version_id, status, actor_id, to_db(now), reason))


_VERSION = """SELECT v.id, v.plan_id, v.number, v.status, v.reason, v.created_at, v.updated_at,
                     p.administration_code, p.start_year, p.end_year
                FROM plan_versions v JOIN plans p ON p.id = v.plan_id"""


def version(conn: sqlite3.Connection, version_id: int) -> sqlite3.Row | None:
    return conn.execute(f"{_VERSION} WHERE v.id = ?", (version_id,)).fetchone()


def versions(conn: sqlite3.Connection, plan_id: int) -> list[sqlite3.Row]:
    """Every version of a plan, the latest first."""
    return conn.execute(f"{_VERSION} WHERE v.plan_id = ? ORDER BY v.number DESC", (plan_id,)).fetchall()


def plans(conn: sqlite3.Connection, administration: str | None = None) -> list[sqlite3.Row]:
    """Each plan's latest version (one administration's, or every plan), by period and code."""
    return conn.execute(
        f"""{_VERSION} WHERE v.number = (SELECT MAX(number) FROM plan_versions WHERE plan_id = p.id)
              AND (:adm IS NULL OR p.administration_code = :adm)
            ORDER BY p.start_year, p.administration_code""", {"adm": administration}).fetchall()


def set_status(conn: sqlite3.Connection, version_id: int, status: str, actor_id: int | None,
               now: datetime, reason: str | None = None) -> None:
    conn.execute("UPDATE plan_versions SET status = ?, reason = ?, updated_at = ? WHERE id = ?",
                 (status, reason, to_db(now), version_id))
    add_event(conn, version_id, status, actor_id, now, reason)


def events(conn: sqlite3.Connection, version_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT status, actor_id, at, reason FROM plan_events WHERE version_id = ?"
                        " ORDER BY id", (version_id,)).fetchall()


def add_line(conn: sqlite3.Connection, version_id: int, fields: dict) -> int:
    names = ", ".join(LINE_FIELDS)
    marks = ", ".join(f":{f}" for f in LINE_FIELDS)
    return conn.execute(f"INSERT INTO plan_lines (version_id, {names}) VALUES (:version_id, {marks})"
                        " RETURNING id", {"version_id": version_id, **fields}).fetchone()[0]


def update_line(conn: sqlite3.Connection, line_id: int, fields: dict) -> None:
    sets = ", ".join(f"{f} = :{f}" for f in LINE_FIELDS)
    conn.execute(f"UPDATE plan_lines SET {sets} WHERE id = :id", {"id": line_id, **fields})


def delete_line(conn: sqlite3.Connection, line_id: int) -> None:
    conn.execute("DELETE FROM plan_lines WHERE id = ?", (line_id,))


def line(conn: sqlite3.Connection, line_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM plan_lines WHERE id = ?", (line_id,)).fetchone()


def lines(conn: sqlite3.Connection, version_id: int) -> list[sqlite3.Row]:
    """A version's lines, by semester then priority."""
    return conn.execute("SELECT * FROM plan_lines WHERE version_id = ? ORDER BY semester, priority, id",
                        (version_id,)).fetchall()


def line_ids(conn: sqlite3.Connection, version_id: int) -> list[int]:
    """A version's line ids in the order copy_lines copies them."""
    return [r[0] for r in conn.execute("SELECT id FROM plan_lines WHERE version_id = ? ORDER BY id",
                                       (version_id,))]


def copy_lines(conn: sqlite3.Connection, from_version: int, to_version: int) -> None:
    """A new version starts as a copy of the previous one's lines and of their linked sessions."""
    names = ", ".join(LINE_FIELDS)
    for (old_id,) in conn.execute("SELECT id FROM plan_lines WHERE version_id = ? ORDER BY id",
                                  (from_version,)).fetchall():
        new_id = conn.execute(f"INSERT INTO plan_lines (version_id, {names}) SELECT ?, {names}"
                              " FROM plan_lines WHERE id = ? RETURNING id",
                              (to_version, old_id)).fetchone()[0]
        conn.execute("INSERT INTO plan_line_sessions (line_id, session_id) SELECT ?, session_id"
                     " FROM plan_line_sessions WHERE line_id = ?", (new_id, old_id))


def link(conn: sqlite3.Connection, line_id: int, session_id: int) -> bool:
    return conn.execute("INSERT OR IGNORE INTO plan_line_sessions (line_id, session_id) VALUES (?, ?)",
                        (line_id, session_id)).rowcount > 0


def unlink(conn: sqlite3.Connection, line_id: int, session_id: int) -> bool:
    return conn.execute("DELETE FROM plan_line_sessions WHERE line_id = ? AND session_id = ?",
                        (line_id, session_id)).rowcount > 0


def linked_sessions(conn: sqlite3.Connection, line_id: int) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT session_id FROM plan_line_sessions WHERE line_id = ? ORDER BY session_id", (line_id,))]


def exists(conn: sqlite3.Connection, table: str, column: str, value: object) -> bool:
    assert (table, column) in {("themes", "code"), ("trainings", "id"), ("positions", "code"),
                               ("regions", "code"), ("administrations", "code"), ("sessions", "id")}
    return conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (value,)).fetchone() is not None


def training_theme(conn: sqlite3.Connection, training_id: int) -> str | None:
    row = conn.execute("SELECT theme_code FROM trainings WHERE id = ?", (training_id,)).fetchone()
    return row[0] if row else None
