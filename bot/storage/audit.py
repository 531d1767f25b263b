"""The audit log: who did what, when, on what — for every privileged action."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.timeutil import to_db


def record(conn: sqlite3.Connection, actor_id: int | None, action: str, target: str | None,
           now: datetime, **details: object) -> None:
    """Write one entry, inside the transaction of the action itself (both or neither)."""
    conn.execute("INSERT INTO audit (at, actor_id, action, target, details) VALUES (?, ?, ?, ?, ?)",
                 (to_db(now), actor_id, action, target, json.dumps(details, ensure_ascii=False)))


def latest(conn: sqlite3.Connection, limit: int, offset: int = 0) -> tuple[list[sqlite3.Row], int]:
    total = conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    rows = conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
    return rows, total


def all_rows(conn: sqlite3.Connection):
    """Every entry, oldest first, as a cursor (exports stream it)."""
    return conn.execute("SELECT at, actor_id, action, target, details FROM audit ORDER BY id")


def names(conn: sqlite3.Connection, user_ids: set[int]) -> dict[int, str | None]:
    """The full name of each of these people who still has a row (None: a tombstone or a name
    never given)."""
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT id, full_name FROM users WHERE id IN ({marks})", tuple(user_ids))}


def session_references(conn: sqlite3.Connection, session_ids: set[int]) -> dict[int, str]:
    if not session_ids:
        return {}
    marks = ",".join("?" * len(session_ids))
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT id, reference FROM sessions WHERE id IN ({marks})", tuple(session_ids))}


def training_codes(conn: sqlite3.Connection, training_ids: set[int]) -> dict[int, str]:
    if not training_ids:
        return {}
    marks = ",".join("?" * len(training_ids))
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT id, code FROM trainings WHERE id IN ({marks})", tuple(training_ids))}
