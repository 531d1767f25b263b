"""Attendance facts: one row per *attended* registration, with the person's id and reporting
dimensions, kept in step with the source tables by triggers (like registration_facts).

Why a table of its own: the indicators of a competence plan count *people*, not rows (a person
who attended three sessions in a semester counts once), so they need the person's id, which
registration_facts does not carry, and the position, which it does not either. Joining
registrations to users for a national semester costs two lookups a row; these rows are clustered
by session and carry everything, so a semester is a range scan. Only attended registrations are
kept (a third of the registrations or less), which keeps the triggers off the frequent path: a
status change touches this table only when it enters or leaves 'attended'.

Erasure moves registrations to the tombstone, which keeps sex, administration, level and region
but no position: the move trigger rebuilds the row from the tombstone (position NULL, "unknown").
"""

from __future__ import annotations

import sqlite3

_COLUMNS = ("session_id, registration_id, user_id, sex, administration_code, level, region_code,"
            " position_code")


def _fill(where: str) -> str:
    """INSERT the facts of the attended registrations matching `where` (g: registrations)."""
    return (f"INSERT INTO attendance_facts ({_COLUMNS})"
            f" SELECT g.session_id, g.id, g.user_id, u.sex, u.administration_code, u.level,"
            f" u.region_code, u.position_code"
            f" FROM registrations g LEFT JOIN users u ON u.id = g.user_id"
            f" WHERE g.status = 'attended' AND {where}")


# On an update, both keys the row may have (an UPDATE can change the status and the session at
# once, and both triggers then run: whichever runs second must not find a duplicate).
_DROP = ("DELETE FROM attendance_facts WHERE session_id IN (old.session_id, {r}.session_id)"
         " AND registration_id = old.id")

TABLES = [
    """CREATE TABLE attendance_facts (
        session_id INTEGER NOT NULL,
        registration_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        sex TEXT,
        administration_code TEXT,
        level TEXT,
        region_code TEXT,
        position_code TEXT,
        PRIMARY KEY (session_id, registration_id)
    ) WITHOUT ROWID""",
    # A corrected profile updates its rows; a plan's achieved figures read one administration.
    "CREATE INDEX attendance_facts_user ON attendance_facts(user_id)",
    "CREATE INDEX attendance_facts_administration ON attendance_facts(administration_code, session_id)",
]

TRIGGERS = [
    f"""CREATE TRIGGER attendance_facts_insert AFTER INSERT ON registrations
        WHEN new.status = 'attended' BEGIN {_fill("g.id = new.id")}; END""",
    f"""CREATE TRIGGER attendance_facts_status AFTER UPDATE OF status ON registrations
        WHEN (old.status = 'attended') != (new.status = 'attended') BEGIN
        {_DROP.format(r="new")}; {_fill("g.id = new.id")}; END""",
    f"""CREATE TRIGGER attendance_facts_move AFTER UPDATE OF session_id, user_id ON registrations
        WHEN new.status = 'attended' AND (old.session_id != new.session_id OR old.user_id != new.user_id)
        BEGIN {_DROP.format(r="new")}; {_fill("g.id = new.id")}; END""",
    f"""CREATE TRIGGER attendance_facts_delete AFTER DELETE ON registrations
        WHEN old.status = 'attended' BEGIN {_DROP.format(r="old")}; END""",
    """CREATE TRIGGER attendance_facts_person AFTER UPDATE OF sex, administration_code, level,
        region_code, position_code ON users
        WHEN old.sex IS NOT new.sex OR old.administration_code IS NOT new.administration_code
          OR old.level IS NOT new.level OR old.region_code IS NOT new.region_code
          OR old.position_code IS NOT new.position_code BEGIN
        UPDATE attendance_facts SET sex = new.sex, administration_code = new.administration_code,
               level = new.level, region_code = new.region_code, position_code = new.position_code
         WHERE user_id = new.id; END""",
]


def install(conn: sqlite3.Connection) -> None:
    for statement in TABLES + TRIGGERS:
        conn.execute(statement)
    conn.execute(_fill("1"))


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute every row from the source tables (after a bulk load without triggers)."""
    conn.execute("DELETE FROM attendance_facts")
    conn.execute(_fill("1"))
