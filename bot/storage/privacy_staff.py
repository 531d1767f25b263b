"""Personal data sources of staff (trainers, approvers, inviters, senders of broadcasts): what
they did is the programme's record and stays, attributed to their tombstone instead of them
(see bot/storage/privacy.py); only their identity goes."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from bot.timeutil import to_db

if TYPE_CHECKING:
    from bot.storage.privacy import Erasure


def _rows(conn: sqlite3.Connection, sql: str, *params: object) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, params)]


def _move(e: Erasure, table: str, column: str, where: str = "", *params: object) -> int:
    """Attribute the person's rows to their tombstone (made only if there is something to move)."""
    sql = f"FROM {table} WHERE {column} = ?{where}"
    n = e.conn.execute(f"SELECT COUNT(*) {sql}", (e.user_id, *params)).fetchone()[0]
    if n:
        e.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?{where}",
                       (e.tombstone(), e.user_id, *params))
    return n


def export_staff(conn: sqlite3.Connection, user_id: int, lang: str) -> dict:
    """Sessions trained, requests decided, roles granted (others' identities are not theirs)."""
    return {
        "sessions_as_trainer": [r[0] for r in conn.execute(
            "SELECT reference FROM sessions WHERE trainer_id = ? ORDER BY starts_at", (user_id,))],
        "registrations_decided": _rows(conn, "SELECT id AS registration, status, updated_at"
                                             " FROM registrations WHERE decided_by = ?", user_id),
        "roles_granted": conn.execute("SELECT COUNT(*) FROM roles WHERE granted_by = ?",
                                      (user_id,)).fetchone()[0],
    }


def erase_staff(e: Erasure) -> None:
    c, uid = e.conn, e.user_id
    # Past sessions keep an (anonymous) trainer, so results per trainer still add up; sessions
    # to come lose theirs and need a new one.
    e.count("sessions_trained", _move(e, "sessions", "trainer_id", " AND ends_at <= ?", to_db(e.now)))
    e.count("sessions_to_train", c.execute(
        "UPDATE sessions SET trainer_id = NULL WHERE trainer_id = ?", (uid,)).rowcount)
    e.count("decisions", c.execute(
        "UPDATE registrations SET decided_by = NULL WHERE decided_by = ?", (uid,)).rowcount)
    e.count("grants", c.execute("UPDATE roles SET granted_by = NULL WHERE granted_by = ?", (uid,)).rowcount)


def export_broadcasts(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return _rows(conn, "SELECT id, kind, text, recipients, created_at FROM broadcasts"
                       " WHERE sender_id = ? ORDER BY id", user_id)


def erase_broadcasts(e: Erasure) -> None:
    # The programme's message stays in its record (recipients counted it); its author does not.
    e.count("broadcasts", _move(e, "broadcasts", "sender_id"))


def export_invites(conn: sqlite3.Connection, user_id: int, lang: str) -> dict:
    return {
        "created": _rows(conn, "SELECT role, administration_code, created_at, expires_at,"
                               " used_at IS NOT NULL AS used, revoked_at FROM invites"
                               " WHERE created_by = ? ORDER BY created_at", user_id),
        "redeemed": _rows(conn, "SELECT role, administration_code, used_at FROM invites"
                                " WHERE used_by = ?", user_id),
    }


def erase_invites(e: Erasure) -> None:
    c, uid = e.conn, e.user_id
    e.count("invites", c.execute("UPDATE invites SET created_by = NULL WHERE created_by = ?",
                                 (uid,)).rowcount)
    # Who used an invitation goes; that it was used stays (used_at): a single-use link must not
    # work again for another account once its holder is erased.
    e.count("invites", c.execute("UPDATE invites SET used_by = NULL WHERE used_by = ?", (uid,)).rowcount)


def export_audit(conn: sqlite3.Connection, user_id: int, lang: str) -> dict:
    return {
        "actions_by_you": _rows(conn, "SELECT at, action, target, details FROM audit"
                                      " WHERE actor_id = ? ORDER BY id", user_id),
        "actions_about_you": _rows(conn, "SELECT at, action FROM audit WHERE target = ? ORDER BY id",
                                   f"user:{user_id}"),
    }


def erase_audit(e: Erasure) -> None:
    # The audit log is the programme's accountability record: entries stay, who and whom become
    # the tombstone.
    e.count("audit", _move(e, "audit", "actor_id"))
    target = f"user:{e.user_id}"
    if e.conn.execute("SELECT 1 FROM audit WHERE target = ? LIMIT 1", (target,)).fetchone():
        e.count("audit", e.conn.execute("UPDATE audit SET target = ? WHERE target = ?",
                                        (f"user:{e.tombstone()}", target)).rowcount)
