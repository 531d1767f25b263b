"""Path attestations, kept as printed (name, modules, dates, hours) and verified by the same
codes and /verify as the attestations of participation; their personal data for /mydata and
erasure."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.storage import privacy
from bot.storage.attestations import Attestation, AttestationKind, new_code
from bot.timeutil import from_db, to_db

SCHEMA = """CREATE TABLE IF NOT EXISTS path_attestations (
    code TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    path_id INTEGER NOT NULL REFERENCES paths(id),
    full_name TEXT NOT NULL,
    sex TEXT,
    code_of_path TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_ar TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    hours REAL NOT NULL,
    -- [{title_fr, title_ar, starts_at, ends_at, hours}] in the path's order, as printed
    modules TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    UNIQUE (user_id, path_id)
)"""


def install(conn: sqlite3.Connection) -> None:
    conn.execute(SCHEMA)  # idempotent (IF NOT EXISTS)


def of_user(conn: sqlite3.Connection, user_id: int, path_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM path_attestations WHERE user_id = ? AND path_id = ?",
                        (user_id, path_id)).fetchone()


def issue(conn: sqlite3.Connection, user_id: int, path_id: int, record: dict,
          now: datetime) -> sqlite3.Row:
    """Made once from what the database says now, then kept (the same code every time)."""
    found = of_user(conn, user_id, path_id)
    if found is not None:
        return found
    conn.execute(
        "INSERT INTO path_attestations (code, user_id, path_id, full_name, sex, code_of_path,"
        " title_fr, title_ar, starts_at, ends_at, hours, modules, issued_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_code(), user_id, path_id, record["full_name"], record["sex"], record["code"],
         record["title_fr"], record["title_ar"], to_db(record["starts_at"]),
         to_db(record["ends_at"]), record["hours"], json.dumps(record["modules"], ensure_ascii=False),
         to_db(now)))
    made = of_user(conn, user_id, path_id)
    assert made is not None  # inserted just above
    return made


def as_attestation(row: sqlite3.Row | None) -> Attestation | None:
    """What /verify shows: the path in place of the training, its first and last dates."""
    if row is None:
        return None
    return Attestation(row["code"], 0, row["full_name"], row["sex"], "", "", row["code_of_path"],
                       row["title_fr"], row["title_ar"], from_db(row["starts_at"]),
                       from_db(row["ends_at"]), row["hours"], from_db(row["issued_at"]),
                       AttestationKind.PATH)


def by_code(conn: sqlite3.Connection, code: str) -> Attestation | None:
    return as_attestation(conn.execute("SELECT * FROM path_attestations WHERE code = ?",
                                       (code,)).fetchone())


def _export(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT code, full_name, title_fr, title_ar, starts_at, ends_at, hours, modules, issued_at"
        " FROM path_attestations WHERE user_id = ? ORDER BY issued_at", (user_id,))]


def _erase(e: privacy.Erasure) -> None:
    # They carry the name: they go (a verification then answers "not found").
    e.count("path_attestations", e.conn.execute("DELETE FROM path_attestations WHERE user_id = ?",
                                                (e.user_id,)).rowcount)


def declare_personal_data() -> None:
    privacy.add_source(privacy.Source("path_attestations", "path_attestations", _export, _erase))
