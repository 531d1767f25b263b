"""People, their roles, and the drafts of their multi-step flows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.timeutil import to_db


@dataclass(frozen=True)
class Profile:
    id: int
    language: str
    full_name: str | None
    sex: str | None
    administration_code: str | None
    level: str | None
    region_code: str | None
    position_code: str | None
    onboarded: bool
    unreachable: bool


@dataclass(frozen=True)
class Draft:
    user_id: int
    flow: str
    step: str
    data: dict


@dataclass(frozen=True)
class Role:
    user_id: int
    role: str
    administration_code: str | None


PROFILE_FIELDS = ("full_name", "sex", "administration_code", "level", "region_code", "position_code")


def _profile(row) -> Profile | None:
    if row is None:
        return None
    return Profile(
        id=row["id"],
        language=row["language"],
        full_name=row["full_name"],
        sex=row["sex"],
        administration_code=row["administration_code"],
        level=row["level"],
        region_code=row["region_code"],
        position_code=row["position_code"],
        onboarded=row["onboarded_at"] is not None,
        unreachable=row["unreachable_at"] is not None,
    )


def get(conn: sqlite3.Connection, user_id: int) -> Profile | None:
    return _profile(conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())


def get_with_draft(conn: sqlite3.Connection, user_id: int) -> tuple[Profile | None, Draft | None, bool]:
    """The profile, the flow in progress if any, and whether the person holds a role — one
    statement, run on every update."""
    row = conn.execute(
        """SELECT u.*, d.flow AS d_flow, d.step AS d_step, d.data AS d_data,
                  EXISTS (SELECT 1 FROM roles r WHERE r.user_id = k.uid) AS has_role
             FROM (SELECT ? AS uid) k
             LEFT JOIN users u ON u.id = k.uid
             LEFT JOIN drafts d ON d.user_id = k.uid
            ORDER BY d.updated_at DESC LIMIT 1""",
        (user_id,),
    ).fetchone()
    profile = _profile(row) if row["id"] is not None else None
    draft = (Draft(user_id, row["d_flow"], row["d_step"], json.loads(row["d_data"]))
             if row["d_flow"] is not None else None)
    return profile, draft, bool(row["has_role"])


def save_profile(conn: sqlite3.Connection, user_id: int, language: str, fields: dict,
                 consent_at: datetime, now: datetime) -> None:
    """Create or complete a profile (end of onboarding)."""
    values = {k: fields.get(k) for k in PROFILE_FIELDS}
    if values["level"] != "territorial":
        values["region_code"] = None
    conn.execute(
        "INSERT INTO users (id, language, full_name, sex, administration_code, level, region_code,"
        " position_code, consent_at, onboarded_at, created_at, updated_at)"
        " VALUES (:id, :language, :full_name, :sex, :administration_code, :level, :region_code,"
        " :position_code, :consent, :now, :now, :now)"
        " ON CONFLICT(id) DO UPDATE SET language = excluded.language,"
        " full_name = excluded.full_name, sex = excluded.sex,"
        " administration_code = excluded.administration_code, level = excluded.level,"
        " region_code = excluded.region_code, position_code = excluded.position_code,"
        " onboarded_at = IFNULL(users.onboarded_at, excluded.onboarded_at),"
        " updated_at = excluded.updated_at",
        {**values, "id": user_id, "language": language, "consent": to_db(consent_at), "now": to_db(now)},
    )


def update_fields(conn: sqlite3.Connection, user_id: int, fields: dict, now: datetime) -> None:
    """Change some profile fields of an onboarded person."""
    fields = {k: v for k, v in fields.items() if k in PROFILE_FIELDS}
    if fields.get("level") == "central":
        fields["region_code"] = None
    if not fields:
        return
    sets = ", ".join(f"{k} = :{k}" for k in fields)
    conn.execute(
        f"UPDATE users SET {sets}, updated_at = :now WHERE id = :id",
        {**fields, "now": to_db(now), "id": user_id},
    )


def set_language(conn: sqlite3.Connection, user_id: int, language: str, now: datetime) -> bool:
    cur = conn.execute(
        "UPDATE users SET language = ?, updated_at = ? WHERE id = ?", (language, to_db(now), user_id)
    )
    return cur.rowcount > 0



def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM users WHERE onboarded_at IS NOT NULL").fetchone()[0]


# --- drafts -----------------------------------------------------------------------------------
def get_draft(conn: sqlite3.Connection, user_id: int, flow: str) -> Draft | None:
    row = conn.execute(
        "SELECT step, data FROM drafts WHERE user_id = ? AND flow = ?", (user_id, flow)
    ).fetchone()
    return Draft(user_id, flow, row["step"], json.loads(row["data"])) if row else None


def save_draft(conn: sqlite3.Connection, user_id: int, flow: str, step: str, data: dict,
               now: datetime) -> None:
    conn.execute(
        "INSERT INTO drafts (user_id, flow, step, data, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(user_id, flow) DO UPDATE SET step = excluded.step, data = excluded.data,"
        " updated_at = excluded.updated_at",
        (user_id, flow, step, json.dumps(data, ensure_ascii=False), to_db(now)),
    )


def delete_draft(conn: sqlite3.Connection, user_id: int, flow: str) -> None:
    conn.execute("DELETE FROM drafts WHERE user_id = ? AND flow = ?", (user_id, flow))


# --- roles ------------------------------------------------------------------------------------
def roles_of(conn: sqlite3.Connection, user_id: int) -> list[Role]:
    return [
        Role(r["user_id"], r["role"], r["administration_code"])
        for r in conn.execute(
            "SELECT user_id, role, administration_code FROM roles WHERE user_id = ?", (user_id,)
        )
    ]


def grant(conn: sqlite3.Connection, user_id: int, role: str, administration_code: str | None,
          granted_by: int | None, now: datetime) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO roles (user_id, role, administration_code, granted_by, granted_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (user_id, role, administration_code, granted_by, to_db(now)),
    )


def display_name(conn: sqlite3.Connection, user_id: int) -> str | None:
    row = conn.execute("SELECT full_name FROM users WHERE id = ?", (user_id,)).fetchone()
    return row[0] if row else None




def set_reachable(conn: sqlite3.Connection, user_id: int, reachable: bool, now: datetime) -> None:
    conn.execute(
        "UPDATE users SET unreachable_at = ? WHERE id = ?",
        (None if reachable else to_db(now), user_id),
    )
