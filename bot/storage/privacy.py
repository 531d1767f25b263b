"""Personal data sources (law 09-08): for every place the database keeps something about a person,
how to export it and how to erase it. Plain functions on a connection, run inside one transaction.

Erasure keeps what the programme's totals need, detached from the person: rows that count in the
indicators (registrations, attendance, later evaluation answers) move to a *tombstone* — a users
row with a random negative id (Telegram ids are positive, so it can never be written to), no name,
no Telegram id, no language choice, no position, no timestamps finer than the day, and only the
four reporting dimensions of DESIGN 5.5: sex, administration, level, region. No table maps the
tombstone back to the person. One tombstone per erased person keeps "people trained" counts true.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.storage import inbox
from bot.storage import privacy_staff as staff
from bot.timeutil import to_db


@dataclass
class Erasure:
    """One erasure in progress, inside its transaction: the tombstone is made on first need."""

    conn: sqlite3.Connection
    user_id: int
    now: datetime
    tombstone_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def tombstone(self) -> int:
        """The anonymous stand-in that keeps this person's rows counting in the totals."""
        if self.tombstone_id is None:
            self.tombstone_id = _make_tombstone(self.conn, self.user_id, self.now)
        return self.tombstone_id

    def count(self, source: str, n: int) -> None:
        if n:
            self.counts[source] = self.counts.get(source, 0) + n


@dataclass(frozen=True)
class Source:
    """Where something about a person is kept. `table` must exist (older databases lack some)."""

    name: str
    table: str
    export: Callable[[sqlite3.Connection, int, str], Any]
    erase: Callable[[Erasure], None]


def _make_tombstone(conn: sqlite3.Connection, user_id: int, now: datetime) -> int:
    row = conn.execute("SELECT sex, administration_code, level, region_code FROM users WHERE id = ?",
                       (user_id,)).fetchone()
    sex, administration, level, region = tuple(row) if row else (None, None, None, None)
    # Random, not the next number down: a sequence would give the order of erasures, which the
    # audit log and the operator's logs date.
    tomb = -1 - secrets.randbelow(2**62)
    while conn.execute("SELECT 1 FROM users WHERE id = ?", (tomb,)).fetchone():
        tomb = -1 - secrets.randbelow(2**62)
    day = to_db(now)[:10] + " 00:00:00"  # the day only: the exact time could match a log line
    # onboarded_at stays NULL (not counted as a registered person); unreachable_at is set so
    # the dispatcher never claims a message for it.
    conn.execute(
        "INSERT INTO users (id, language, sex, administration_code, level, region_code, consent_at,"
        " created_at, updated_at, unreachable_at) VALUES (?, 'fr', ?, ?, ?, ?, ?, ?, ?, ?)",
        (tomb, sex, administration, level, region, day, day, day, day))
    return tomb


def _rows(conn: sqlite3.Connection, sql: str, *params: object) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, params)]


def _name(lang: str) -> str:
    return "name_ar" if lang == "ar" else "name_fr"


# --- the sources ----------------------------------------------------------------------------------
def _export_registrations(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    title = "title_ar" if lang == "ar" else "title_fr"
    return _rows(conn, f"""SELECT s.reference AS session, t.{title} AS training, s.starts_at,
        s.ends_at, r.status, r.offer_expires_at, r.reason, r.created_at, r.updated_at
        FROM registrations r JOIN sessions s ON s.id = r.session_id
        JOIN trainings t ON t.id = s.training_id WHERE r.user_id = ? ORDER BY s.starts_at""", user_id)


def _erase_registrations(e: Erasure) -> None:
    # Kept for the totals (past sessions count; future ones were cancelled just before), moved to
    # the tombstone; what an approver wrote about the person goes.
    n = e.conn.execute("SELECT COUNT(*) FROM registrations WHERE user_id = ?", (e.user_id,)).fetchone()[0]
    if n:
        # Times to the day, like the tombstone's own: exact instants could be matched with logs.
        e.conn.execute("UPDATE registrations SET user_id = ?, reason = NULL, decided_by = NULL,"
                       " offer_expires_at = NULL, created_at = substr(created_at, 1, 10) || ' 00:00:00',"
                       " updated_at = substr(updated_at, 1, 10) || ' 00:00:00' WHERE user_id = ?",
                       (e.tombstone(), e.user_id))
    e.count("registrations", n)


def _export_interests(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    title = "title_ar" if lang == "ar" else "title_fr"
    return _rows(conn, f"""SELECT t.code AS training_code, t.{title} AS training, i.created_at
        FROM interests i JOIN trainings t ON t.id = i.training_id WHERE i.user_id = ?
        ORDER BY i.created_at""", user_id)


def _deleting(table: str, column: str = "user_id") -> Callable[[Erasure], None]:
    def erase(e: Erasure) -> None:
        e.count(table, e.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (e.user_id,)).rowcount)

    return erase


def _export_outbox(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return _rows(conn, "SELECT kind, payload, state, due_at, created_at, sent_at, attempts"
                       " FROM outbox WHERE user_id = ? ORDER BY id", user_id)


def _export_drafts(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return _rows(conn, "SELECT flow, step, data, updated_at FROM drafts WHERE user_id = ?", user_id)


def _export_roles(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return _rows(conn, "SELECT role, administration_code, granted_at FROM roles WHERE user_id = ?",
                 user_id)


def _export_profile(conn: sqlite3.Connection, user_id: int, lang: str) -> dict | None:
    name = _name(lang)
    rows = _rows(conn, f"""SELECT u.id AS telegram_user_id, u.language, u.full_name, u.sex,
        u.administration_code, a.{name} AS administration, u.level, u.region_code,
        r.{name} AS region, u.position_code, p.{name} AS position, u.consent_at, u.onboarded_at,
        u.created_at, u.updated_at, u.last_seen_at, u.unreachable_at
        FROM users u LEFT JOIN administrations a ON a.code = u.administration_code
        LEFT JOIN regions r ON r.code = u.region_code LEFT JOIN positions p ON p.code = u.position_code
        WHERE u.id = ?""", user_id)
    return rows[0] if rows else None


# Order matters for erasure: what is kept anonymously is detached before the profile row goes.
# The evaluations issue adds its answers here (see the README, "Personal data").
SOURCES: list[Source] = [
    Source("registrations", "registrations", _export_registrations, _erase_registrations),
    Source("interests", "interests", _export_interests, _deleting("interests")),
    Source("messages", "outbox", _export_outbox, _deleting("outbox")),
    Source("drafts", "drafts", _export_drafts, _deleting("drafts")),
    Source("roles", "roles", _export_roles, _deleting("roles")),
    Source("staff", "sessions", staff.export_staff, staff.erase_staff),
    Source("broadcasts_sent", "broadcasts", staff.export_broadcasts, staff.erase_broadcasts),
    Source("invitations", "invites", staff.export_invites, staff.erase_invites),
    Source("audit_log", "audit", staff.export_audit, staff.erase_audit),
    Source("updates_received", "inbox", lambda conn, user_id, lang: inbox.export_person(conn, user_id),
           lambda e: e.count("inbox", inbox.forget_person(e.conn, e.user_id))),
    Source("profile", "users", _export_profile, _deleting("users", "id")),
]


def add_source(source: Source) -> None:
    """Declare another personal data source (erased before the profile row)."""
    if all(s.name != source.name for s in SOURCES):
        SOURCES.insert(len(SOURCES) - 1, source)


def _present(conn: sqlite3.Connection) -> list[Source]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [s for s in SOURCES if s.table in tables]


def record_erasure(conn: sqlite3.Connection, reason: str, cancelled: int, now: datetime) -> None:
    """Account for the erasure in the audit log — that it happened, never whom it was about."""
    if any(s.table == "audit" for s in _present(conn)):
        conn.execute("INSERT INTO audit (at, actor_id, action, target, details) VALUES (?, NULL,"
                     " 'personal_data_erased', NULL, ?)",
                     (to_db(now), json.dumps({"reason": reason, "places_cancelled": cancelled})))


def export_all(conn: sqlite3.Connection, user_id: int, lang: str) -> dict[str, Any]:
    return {s.name: s.export(conn, user_id, lang) for s in _present(conn)}


def erase_all(conn: sqlite3.Connection, user_id: int, now: datetime) -> Erasure:
    erasure = Erasure(conn, user_id, now)
    for source in _present(conn):
        source.erase(erasure)
    return erasure


def known(conn: sqlite3.Connection, user_id: int) -> bool:
    """Whether anything is stored about the person (a profile or a draft)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM users WHERE id = ?) OR EXISTS (SELECT 1 FROM"
                        " drafts WHERE user_id = ?)", (user_id, user_id)).fetchone()[0] == 1


def upcoming(conn: sqlite3.Connection, user_id: int, now: datetime) -> list[int]:
    """Registrations that hold or await a place in a session not started yet."""
    return [r[0] for r in conn.execute(
        "SELECT r.id FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.user_id = ?"
        " AND r.status IN ('requested', 'confirmed', 'waitlisted', 'offered') AND s.starts_at > ?"
        " ORDER BY r.id", (user_id, to_db(now)))]


def inactive(conn: sqlite3.Connection, cutoff: datetime, limit: int) -> list[int]:
    """People with no sign of life since `cutoff`: profile, visits, registrations, sessions."""
    c = to_db(cutoff)
    return [r[0] for r in conn.execute(
        """SELECT u.id FROM users u WHERE u.id > 0
             AND MAX(u.created_at, u.updated_at, IFNULL(u.last_seen_at, '')) < :c
             AND NOT EXISTS (SELECT 1 FROM registrations r JOIN sessions s ON s.id = r.session_id
                              WHERE r.user_id = u.id AND (r.updated_at >= :c OR s.ends_at >= :c))
             AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.trainer_id = u.id AND s.ends_at >= :c)
           ORDER BY u.id LIMIT :n""", {"c": c, "n": limit})]


def stale_drafts(conn: sqlite3.Connection, cutoff: datetime) -> int:
    """Onboardings abandoned before consent (no profile) and untouched since `cutoff`."""
    return conn.execute("DELETE FROM drafts WHERE updated_at < ? AND user_id NOT IN (SELECT id FROM"
                        " users)", (to_db(cutoff),)).rowcount


def note_seen(conn: sqlite3.Connection, user_id: int, now: datetime) -> bool:
    """Record a visit (at most once a day is enough for a retention counted in years)."""
    day = to_db(now)[:10]
    return conn.execute("UPDATE users SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL"
                        " OR last_seen_at < ?)", (to_db(now), user_id, day)).rowcount > 0
