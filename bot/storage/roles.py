"""Role holders and single-use invitations to a role.

An invitation is used once `used_at` is set, and stays used: `used_by` says who, and an erasure
forgets it (bot/storage/privacy_staff.py) without making the link work again."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.timeutil import from_db, to_db


@dataclass(frozen=True)
class Invite:
    token: str
    role: str
    administration_code: str | None
    expires_at: datetime
    used: bool
    used_by: int | None  # None once used if its holder was erased
    revoked: bool


def create_invite(conn: sqlite3.Connection, token: str, role: str, administration_code: str | None,
                  created_by: int | None, now: datetime, expires_at: datetime) -> None:
    conn.execute(
        "INSERT INTO invites (token, role, administration_code, created_by, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (token, role, administration_code, created_by, to_db(now), to_db(expires_at)))


def get_invite(conn: sqlite3.Connection, token: str) -> Invite | None:
    r = conn.execute("SELECT * FROM invites WHERE token = ?", (token,)).fetchone()
    if r is None:
        return None
    return Invite(r["token"], r["role"], r["administration_code"], from_db(r["expires_at"]),
                  r["used_at"] is not None, r["used_by"], r["revoked_at"] is not None)


def use_invite(conn: sqlite3.Connection, token: str, user_id: int, now: datetime) -> bool:
    """Mark the invitation used; False if someone used it first (single use, race-proof)."""
    return conn.execute(
        "UPDATE invites SET used_by = ?, used_at = ? WHERE token = ? AND used_at IS NULL"
        " AND revoked_at IS NULL", (user_id, to_db(now), token)).rowcount == 1


def revoke_invite(conn: sqlite3.Connection, token: str, now: datetime) -> bool:
    return conn.execute("UPDATE invites SET revoked_at = ? WHERE token = ? AND used_at IS NULL"
                        " AND revoked_at IS NULL", (to_db(now), token)).rowcount == 1


def holders(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Everyone holding a role, with their name."""
    return conn.execute(
        """SELECT r.user_id, r.role, r.administration_code, u.full_name
             FROM roles r LEFT JOIN users u ON u.id = r.user_id
            ORDER BY r.role, u.full_name, r.user_id""").fetchall()


def revoke(conn: sqlite3.Connection, user_id: int, role: str, administration_code: str | None) -> bool:
    return conn.execute(
        "DELETE FROM roles WHERE user_id = ? AND role = ? AND IFNULL(administration_code, '') = ?",
        (user_id, role, administration_code or "")).rowcount == 1


def open_invites(conn: sqlite3.Connection, now: datetime) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM invites WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"
        " ORDER BY created_at DESC", (to_db(now),)).fetchall()


def open_invite(conn: sqlite3.Connection, invite_id: int, now: datetime) -> sqlite3.Row | None:
    """One open invitation by its row number (what buttons carry: never the secret token)."""
    return conn.execute(
        "SELECT rowid AS id, * FROM invites WHERE rowid = ? AND used_at IS NULL"
        " AND revoked_at IS NULL AND expires_at > ?", (invite_id, to_db(now))).fetchone()


def pending_invites(conn: sqlite3.Connection, now: datetime) -> list[sqlite3.Row]:
    """Open invitations with their row number and who created them, newest first."""
    return conn.execute(
        "SELECT i.rowid AS id, i.role, i.administration_code, i.created_at, i.expires_at,"
        " u.full_name AS created_by_name FROM invites i LEFT JOIN users u ON u.id = i.created_by"
        " WHERE i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?"
        " ORDER BY i.created_at DESC, i.rowid DESC", (to_db(now),)).fetchall()


def upcoming_sessions_trained(conn: sqlite3.Connection, user_id: int, now: datetime) -> list[sqlite3.Row]:
    """The sessions not yet over that this person is the trainer of (cancelled ones aside)."""
    return conn.execute(
        "SELECT id, reference, starts_at FROM sessions WHERE trainer_id = ? AND status != 'cancelled'"
        " AND ends_at > ? ORDER BY starts_at, id", (user_id, to_db(now))).fetchall()


def trainers(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT r.user_id, u.full_name FROM roles r LEFT JOIN users u ON u.id = r.user_id"
        " WHERE r.role = 'trainer' ORDER BY u.full_name, r.user_id").fetchall()


def is_trainer(conn: sqlite3.Connection, user_id: int) -> bool:
    return conn.execute("SELECT 1 FROM roles WHERE user_id = ? AND role = 'trainer'",
                        (user_id,)).fetchone() is not None


def national_coordinators(conn: sqlite3.Connection) -> set[int]:
    return {r[0] for r in conn.execute(
        "SELECT user_id FROM roles WHERE role = 'coordinator' AND administration_code IS NULL")}


def set_trainer(conn: sqlite3.Connection, session_id: int, trainer_id: int | None, now: datetime) -> None:
    conn.execute("UPDATE sessions SET trainer_id = ?, updated_at = ? WHERE id = ?",
                 (trainer_id, to_db(now), session_id))
